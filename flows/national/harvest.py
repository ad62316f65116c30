"""The national catalog harvests the agency catalog: its harvest source, and one harvest run.

The source is ckanext-harvest's, of the ``senate_dga_ckan`` type (the project's subclass of the
CKAN harvester, catalog_config/ckanext-senate_dga/ckanext/senate_dga/harvester.py): with the
same DGA scheming schema on both sides every DGA field arrives intact, only public datasets
whose ``allow_harvest`` is "True" arrive, and withdrawn ones are deleted. The harvest itself is
ckanext-harvest's own gather/fetch/import, run synchronously by ``ckan harvester run-test`` in
the national CKAN's environment; the pipeline never copies a dataset.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence

from ckanapi.errors import NotFound

from flows.errors import CatalogError

SOURCE_NAME = "senate-secretariat-catalog"
SOURCE_TITLE = "บัญชีข้อมูล สำนักงานเลขาธิการวุฒิสภา (Senate Secretariat agency catalog)"
#: The harvester type the project's extension registers (plugin ``senate_dga_harvester``).
SOURCE_TYPE = "senate_dga_ckan"
#: The keys of a source that decide what a harvest does; others (e.g. its id) are CKAN's.
_COMPARED = ("url", "source_type", "config", "title", "owner_org")


class Caller(Protocol):
    def call(self, action: str, **data: Any) -> Any: ...


class HarvestError(CatalogError):
    """A harvest job ended with errors; the message names the datasets and CKAN's reasons."""


@dataclass(frozen=True)
class HarvestResult:
    """What one harvest job did, as ckanext-harvest counts it."""

    job_id: str
    stats: Mapping[str, int]
    seconds: float
    errors: Sequence[str] = field(default_factory=tuple)

    def count(self, status: str) -> int:
        return int(self.stats.get(status, 0))

    def summary(self) -> str:
        order = ("added", "updated", "deleted", "not modified", "errored")
        return ", ".join(f"{self.count(name)} {name}" for name in order)


def source_config(*, dataset_names: Sequence[str] | None = None) -> dict[str, Any]:
    """The harvest source's config: the agency's organisation and groups come along.

    ``remote_orgs``/``remote_groups`` = "create": each harvested dataset keeps its agency
    organisation and DGA groups (created on the national side from the agency's own). With
    ``dataset_names``, only those remote datasets are harvested (a partial harvest).
    """
    config: dict[str, Any] = {"remote_orgs": "create", "remote_groups": "create"}
    if dataset_names is not None:
        names = sorted(set(dataset_names))
        if not all(isinstance(name, str) and name for name in names):
            raise ValueError("dataset_names must be non-empty dataset names")
        config["dataset_names"] = names
    return config


def source_request(*, agency_url: str, config: Mapping[str, Any], owner_org: str,
                   name: str = SOURCE_NAME, title: str = SOURCE_TITLE) -> dict[str, str]:
    """The ``harvest_source_create`` data: manual frequency, the pipeline (or demo) runs it."""
    return {"name": name, "title": title, "url": agency_url.rstrip("/"), "owner_org": owner_org,
            "source_type": SOURCE_TYPE, "frequency": "MANUAL",
            "config": json.dumps(dict(config), sort_keys=True, ensure_ascii=False)}


#: What the national side copies of the agency's organisation (the rest is CKAN's own).
_ORG_FIELDS = ("id", "name", "title", "description", "image_url")


def ensure_organization(national: Caller, agency: Caller, name: str) -> str:
    """Mirror the agency's organisation (same id and name) on the national side; its id.

    It owns the harvest source (ckanext-harvest wants an owner), and harvested datasets keep it
    as their ``owner_org``: the CKAN harvester finds the organisation by the remote id.
    """
    remote = agency.call("organization_show", id=name)
    try:
        return national.call("organization_show", id=remote["id"])["id"]
    except NotFound:
        pass
    created = national.call("organization_create",
                            **{key: remote[key] for key in _ORG_FIELDS if remote.get(key)})
    return created["id"]


def ensure_source(national: Caller, request: Mapping[str, str]) -> tuple[str, str]:
    """Create or update the harvest source; return (its id, "created"/"updated"/"unchanged")."""
    try:
        current = national.call("harvest_source_show", id=request["name"])
    except NotFound:
        created = national.call("harvest_source_create", **request)
        return created["id"], "created"
    if _same_source(current, request):
        return current["id"], "unchanged"
    national.call("harvest_source_update", id=current["id"], **request)
    return current["id"], "updated"


def last_result(national: Caller, source_id: str, *, seconds: float) -> HarvestResult:
    """The newest job's counts and its object errors (harvest_job_report)."""
    jobs = national.call("harvest_job_list", source_id=source_id)
    if not jobs:
        raise HarvestError(f"the harvest source {source_id} has no job after the harvest; "
                           "see the national CKAN's log")
    job = max(jobs, key=lambda item: item.get("created") or "")
    report = national.call("harvest_job_report", id=job["id"])
    errors = [_object_error(item) for item in report.get("object_errors", {}).values()]
    errors += [item.get("message", "") for item in report.get("gather_errors", [])]
    return HarvestResult(job_id=job["id"], stats=dict(job.get("stats") or {}),
                         seconds=seconds, errors=tuple(errors))


def run_job(national: Caller, source_id: str, run_test: Any) -> HarvestResult:
    """One synchronous harvest: ``run_test()`` runs ckanext-harvest's stages for the source."""
    started = time.monotonic()
    run_test()
    result = last_result(national, source_id, seconds=time.monotonic() - started)
    if result.errors or result.count("errored"):
        listed = "; ".join(result.errors[:5]) or "see the national CKAN's log"
        raise HarvestError(f"the harvest of the agency catalog ended with errors "
                           f"({result.summary()}): {listed}")
    return result


def _same_source(current: Mapping[str, Any], request: Mapping[str, str]) -> bool:
    for key in _COMPARED:
        if key == "config":
            if json.loads(current.get("config") or "{}") != json.loads(request["config"]):
                return False
        elif (current.get(key) or "").rstrip("/") != request[key].rstrip("/"):
            return False
    return True


def _object_error(item: Mapping[str, Any]) -> str:
    messages = "; ".join(error.get("message", "") for error in item.get("errors", []))
    return f"{item.get('original_url') or item.get('guid') or 'a dataset'}: {messages}"
