"""Fake catalogs at our own seam (``CatalogClient.call``), answering like CKAN: package_search
(paged, private only when asked and allowed, ``fq`` on one field), package_show by name or id
(a private record is NotAuthorized to an anonymous caller; a deleted one is still shown, with
its state, as CKAN shows it to a sysadmin), harvest_object_show (by id or dataset_id, open to
anyone, as ckanext-harvest's), status_show."""

from __future__ import annotations

import copy
import re
from typing import Any

import ckanapi


class FakeCKAN:
    """Answers read actions from ``records``; ``harvest_objects`` by id; records calls."""

    def __init__(self, records: list[dict[str, Any]], *, anonymous: bool = False,
                 harvest_objects: dict[str, dict[str, Any]] | None = None) -> None:
        self.records = [copy.deepcopy(r) for r in records]
        self.anonymous = anonymous
        self.harvest_objects = harvest_objects or {}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def call(self, action: str, **data: Any) -> Any:
        self.calls.append((action, data))
        if action == "status_show":
            return {"ckan_version": "2.11.3"}
        if action == "package_show":
            found = next((r for r in self.records if data["id"] in (r["name"], r["id"])), None)
            if found is None:
                raise ckanapi.NotFound("Dataset not found")
            if found.get("private") and self.anonymous:
                raise ckanapi.NotAuthorized("User not authorized to read package")
            return copy.deepcopy(found)
        if action == "package_search":
            may_see_private = bool(data.get("include_private")) and not self.anonymous
            visible = [r for r in sorted(self.records, key=lambda r: r["name"])
                       if r.get("state", "active") == "active"
                       and (not r.get("private") or may_see_private)]
            if data.get("fq"):
                key, value = re.fullmatch(r'(\w+):"(.*)"', data["fq"]).groups()
                visible = [r for r in visible if str(r.get(key)) == value]
            start, rows = int(data.get("start", 0)), int(data.get("rows", 10))
            return {"count": len(visible),
                    "results": [copy.deepcopy(r) for r in visible[start:start + rows]]}
        if action == "harvest_object_show":
            found = (self.harvest_objects.get(data["id"]) if "id" in data else
                     next((o for o in self.harvest_objects.values()
                           if o.get("package") == data["dataset_id"]), None))
            if found is None:
                raise ckanapi.NotFound("Harvest object not found")
            return copy.deepcopy(found)
        raise AssertionError(f"a status check must only read; it called {action}")


def agency_record(name: str, *, private: bool = False, allow_harvest: str = "True",
                  title: str | None = None, **fields: Any) -> dict[str, Any]:
    """A dataset of the agency catalog as package_show gives it (DGA fields, Thai text)."""
    return {"id": f"id-{name}", "name": name, "title": title or f"ชุดข้อมูล {name}",
            "private": private, "owner_org": "org-senate", "allow_harvest": allow_harvest,
            "notes": f"คำอธิบาย {name}", "data_category": "ข้อมูลสาธารณะ",
            "license_id": "Open-Government-Licence-TH", "senate_pipeline_id": name,
            "tags": [{"name": "วุฒิสภา"}, {"name": "open-data"}],
            "metadata_modified": "2026-12-01T03:00:00.000000", **fields}


def harvested(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The national catalog's copy of an agency record as package_show gives it after the CKAN
    harvester ran: same name and id, its own organisation (ckanext-harvest puts its extras in
    the search index only, so package_show has none)."""
    copied = {**copy.deepcopy(record), "owner_org": "org-national",
              "metadata_modified": "2026-12-02T04:00:00.000000", **changes}
    return copied
