"""The national catalog's harvester of an agency DGA catalog: ckanext-harvest's CKAN harvester
with the DGA harvest rules.

The CKAN harvester copies each remote dataset as ``package_show`` returns it, so with the same
scheming schema on both sides every DGA field arrives intact (the DCAT harvester would keep only
what DCAT can say). What it lacks, added here in the gather stage:

- only public datasets whose ``allow_harvest`` is "True" arrive (the agency's consent to send
  them to the GD Catalog); the CKAN harvester can filter by organisation or group only;
- a dataset withdrawn, made private or no longer harvestable in the agency catalog is deleted
  from the national one at the next harvest (a ``delete`` harvest object, reported 'deleted',
  as ckanext-dcat's harvester does); the CKAN harvester never deletes;
- every harvest compares the whole remote list (not only what changed since the last job, which
  cannot see deletions); unchanged datasets still come back 'not modified' from the CKAN
  harvester's import, which compares ``metadata_modified``: no update, no new activity.

Source config (JSON), on top of the CKAN harvester's own keys (``remote_orgs``, ...):
``dataset_names``: optional list of remote dataset names; only these are harvested (a partial
harvest, e.g. of what one test published).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ckan import model
from ckan.plugins import toolkit
from ckanext.harvest.harvesters.ckanharvester import CKANHarvester, SearchError
from ckanext.harvest.model import HarvestObject, HarvestObjectExtra

log = logging.getLogger(__name__)

SOURCE_TYPE = "senate_dga_ckan"
#: The harvest object extra that marks a dataset to delete on the national side.
STATUS_KEY = "status"
DELETE = "delete"


def harvestable(package: dict[str, Any]) -> bool:
    """The DGA harvest rule: public, active, and the agency consented (``allow_harvest``)."""
    return (not package.get("private")
            and package.get("state", "active") == "active"
            and str(package.get("allow_harvest")) == "True"
            and package.get("type", "dataset") != "harvest")


class SenateDgaHarvester(CKANHarvester):
    """CKAN harvester + consent filter + deletions (see the module docstring)."""

    def __new__(cls, *args: Any, **kwargs: Any) -> "SenateDgaHarvester":
        # SingletonPlugin keeps its one instance in ``cls._instance``, which a subclass
        # inherits: loaded after the ckan_harvester plugin, this plugin would otherwise *be*
        # the plain CKAN harvester's instance.
        if "_instance" not in cls.__dict__:
            cls._instance = object.__new__(cls)
        return cls._instance

    def info(self) -> dict[str, str]:
        return {"name": SOURCE_TYPE,
                "title": "Agency DGA catalog (CKAN)",
                "description": "Harvests the public datasets an agency CKAN catalog allows "
                               "for harvest (allow_harvest), with every DGA field; deletes "
                               "those withdrawn",
                "form_config_interface": "Text"}

    def validate_config(self, config: str) -> str:
        config = super().validate_config(config)
        if config:
            names = json.loads(config).get("dataset_names")
            if names is not None and not (isinstance(names, list)
                                          and all(isinstance(n, str) for n in names)):
                raise ValueError("dataset_names must be a list of dataset names")
        return config

    def gather_stage(self, harvest_job: Any) -> list[str] | None:
        self._set_config(harvest_job.source.config)
        remote_url = harvest_job.source.url.rstrip("/")
        try:
            found = self._search_for_datasets(remote_url, self._filter_terms())
        except SearchError as exc:
            self._save_gather_error(f"Unable to search the agency catalog {remote_url}: {exc}; "
                                    "check that it answers and the source URL", harvest_job)
            return None
        wanted = {package["id"]: package for package in found if self._wanted(package)}
        object_ids = []
        for package in wanted.values():
            obj = HarvestObject(guid=package["id"], job=harvest_job,
                                content=json.dumps(package))
            obj.save()
            object_ids.append(obj.id)
        for guid, package_id in _current_packages(harvest_job.source.id).items():
            if guid in wanted:
                continue
            obj = HarvestObject(guid=guid, job=harvest_job, package_id=package_id,
                                extras=[HarvestObjectExtra(key=STATUS_KEY, value=DELETE)])
            obj.save()
            object_ids.append(obj.id)
        log.info("harvest of %s: %d harvestable, %d to delete", remote_url, len(wanted),
                 len(object_ids) - len(wanted))
        return object_ids

    def import_stage(self, harvest_object: Any) -> bool | str:
        if _status(harvest_object) != DELETE:
            return super().import_stage(harvest_object)
        context = {"model": model, "session": model.Session, "ignore_auth": True,
                   "user": self._get_user_name()}
        try:
            toolkit.get_action("package_delete")(context, {"id": harvest_object.package_id})
        except toolkit.ObjectNotFound:
            pass  # already gone: nothing left to withdraw
        # No object stays current for this dataset: queue reports the object 'deleted'.
        model.Session.query(HarvestObject).filter(
            HarvestObject.package_id == harvest_object.package_id).update({"current": False})
        harvest_object.current = False
        harvest_object.save()
        log.info("deleted %s: withdrawn or no longer harvestable in the agency catalog",
                 harvest_object.package_id)
        return True

    def _filter_terms(self) -> list[str]:
        """The CKAN harvester's organisation/group filters (its gather builds them inline)."""
        terms = []
        include = self.config.get("organizations_filter_include", [])
        exclude = self.config.get("organizations_filter_exclude", [])
        if include:
            terms.append(" OR ".join(f"organization:{name}" for name in include))
        terms += [f"-organization:{name}" for name in exclude if not include]
        include = self.config.get("groups_filter_include", [])
        exclude = self.config.get("groups_filter_exclude", [])
        if include:
            terms.append(" OR ".join(f"groups:{name}" for name in include))
        terms += [f"-groups:{name}" for name in exclude if not include]
        return terms

    def _wanted(self, package: dict[str, Any]) -> bool:
        names = self.config.get("dataset_names")
        return harvestable(package) and (names is None or package.get("name") in names)


def _current_packages(source_id: str) -> dict[str, str]:
    """guid -> national package id of the active datasets this source harvested."""
    rows = (model.Session.query(HarvestObject.guid, HarvestObject.package_id)
            .join(model.Package, model.Package.id == HarvestObject.package_id)
            .filter(HarvestObject.harvest_source_id == source_id)
            .filter(HarvestObject.current == True)  # noqa: E712 (SQL, not Python)
            .filter(model.Package.state == "active")
            .all())
    return {guid: package_id for guid, package_id in rows}


def _status(harvest_object: Any) -> str | None:
    for extra in harvest_object.extras:
        if extra.key == STATUS_KEY:
            return extra.value
    return None
