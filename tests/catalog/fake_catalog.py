"""A fake at our own seam (``CatalogClient.call``): canned package_show answers, recorded calls."""

from __future__ import annotations

import copy
import json
from typing import Any

import ckanapi

from flows.catalog.owned import KIND_FIELD

ORG_ID = "31ec0c35-org"


class FakeCatalog:
    """Answers package_show from ``packages``; records every call; writes return minimal dicts."""

    def __init__(self, packages: dict[str, dict[str, Any]] | None = None) -> None:
        self.packages = packages or {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        #: DataStore tables by resource id: the digest stored with each (flows.catalog.datastore)
        self.datastore: dict[str, str] = {}
        self.views: dict[str, list[dict[str, Any]]] = {}   # resource id -> its views

    def call(self, action: str, **data: Any) -> Any:
        self.calls.append((action, data))
        if action == "package_show":
            if data["id"] not in self.packages:
                raise ckanapi.NotFound("Dataset not found")
            return copy.deepcopy(self.packages[data["id"]])
        if action == "package_search":  # every package, paged (no query language)
            names = sorted(self.packages)
            start, rows = int(data.get("start", 0)), int(data.get("rows", 10))
            return {"count": len(names),
                    "results": [copy.deepcopy(self.packages[n]) for n in names[start:start + rows]]}
        if action == "package_create":
            return {"id": f"id-{data['name']}", **data}
        if action == "resource_create":
            return {"id": f"res-{data.get(KIND_FIELD)}", **data}
        if action == "package_revise":   # as the publisher sends it: new resources, their files
            added = json.loads(data["update__resources__extend"])
            return {"package": {"id": data["match__id"], "resources": [
                {"id": f"res-{resource.get(KIND_FIELD)}", **resource} for resource in added]}}
        if action == "senate_datastore_digest":
            digest = self.datastore.get(data["resource_id"])
            return {"exists": digest is not None, "digest": digest, "rows": 0}
        if action == "resource_view_list":
            return copy.deepcopy(self.views.get(data["id"], []))
        if action == "senate_datastore_replace":
            self.datastore[data["resource_id"]] = data["digest"]
            return {"resource_id": data["resource_id"], "rows": len(data["records"])}
        if action == "resource_view_create":
            self.views.setdefault(data["resource_id"], []).append(dict(data))
            return {"id": f"view-{data['resource_id']}", **data}
        if action == "datastore_delete":
            self.datastore.pop(data["resource_id"], None)
            return {"resource_id": data["resource_id"]}
        return {"id": data.get("id", "x")}

    @property
    def actions(self) -> list[str]:
        return [action for action, _ in self.calls]


def as_ckan_returns(package: dict[str, Any]) -> dict[str, Any]:
    """What package_show answers after CKAN stored ``package``: CKAN's shapes, not ours."""
    shown = copy.deepcopy(package)
    tags = shown.pop("tag_string").split(",")
    shown["tags"] = [{"name": tag.strip(), "display_name": tag.strip()} for tag in reversed(tags)]
    for key, value in list(shown.items()):
        if isinstance(value, list) and key not in ("groups", "resources"):
            shown[key] = list(reversed(value))    # scheming stores choices in choice order
    shown.update(id=f"id-{package['name']}", owner_org=ORG_ID, state="active",
                 organization={"id": ORG_ID, "name": package["owner_org"]},
                 author=None, version=None, disaggregate=[], unit_of_measure=None)
    shown["resources"] = [{**r, "id": f"res-{r[KIND_FIELD]}", "url_type": "upload",
                           "url": f"http://ckan/download/{r[KIND_FIELD]}", "size": r["size"],
                           "resource_disaggregate": [], "mimetype": "text/csv", "position": i}
                          for i, r in enumerate(shown.get("resources", []))]
    shown["groups"] = [{"name": g["name"], "id": f"g-{g['name']}"} for g in shown["groups"]]
    return shown
