"""The national catalog harvests the agency catalog for real: two CKANs, ckanext-harvest.

Each test publishes its own datasets in the agency catalog (DGA payloads through the API) and
harvests only those (the source's ``dataset_names``), with its own harvest source, so it never
sees other tests' datasets. Fields are compared one by one against the DGA scheming schema,
whatever the schema holds.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Iterator

import ckanapi
import pytest
import yaml

from flows.catalog import CatalogClient
from flows.national import local
from flows.national.harvest import HarvestResult
from flows.settings import CatalogSettings, Secret, StackSettings
from flows.stack import ckan, national
from tests.integration.dga_payloads import valid_dataset

pytestmark = pytest.mark.integration

SCHEMA = (Path(__file__).resolve().parents[2] / "catalog_config" / "ckanext-senate_dga"
          / "ckanext" / "senate_dga" / "schemas" / "dga_dataset.yaml")
#: Fields CKAN computes per catalog (when it stored the record, who created it), and the ids of
#: tags, which each CKAN gives its own tag rows.
_PER_CATALOG = {"metadata_created", "metadata_modified", "creator_user_id", "extras",
                "revision_id", "organization", "tags", "groups", "resources",
                "relationships_as_object", "relationships_as_subject"}


def _schema_fields() -> tuple[list[str], list[str]]:
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    return ([f["field_name"] for f in schema["dataset_fields"]],
            [f["field_name"] for f in schema["resource_fields"]])


@pytest.fixture(scope="module")
def national_client(stack_settings: StackSettings, catalog_settings) -> CatalogClient:
    if not national.enabled(stack_settings) or not ckan.api_answers(
            national.url(stack_settings)):
        message = (f"no national CKAN for instance {stack_settings.instance}; "
                   "run `senate-catalog stack up`")
        if os.environ.get("SENATE_REQUIRE_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return local.national_client(stack_settings)


@pytest.fixture(scope="module")
def national_anonymous(stack_settings: StackSettings, national_client) -> CatalogClient:
    return CatalogClient(CatalogSettings(url=national.url(stack_settings), token=Secret("")))


class Harvest:
    """One harvest source of the test's own datasets; cleans both catalogs afterwards."""

    def __init__(self, stack: StackSettings, agency: CatalogClient,
                 national_client: CatalogClient) -> None:
        self.stack, self.agency, self.national = stack, agency, national_client
        self.source = f"zz-harvest-{uuid.uuid4().hex[:10]}"
        self.names: list[str] = []

    def publish(self, suffix: str, **changes: Any) -> dict[str, Any]:
        name = f"{self.source}-{suffix}"
        payload = valid_dataset(name)
        payload["resources"].append({
            "name": "พจนานุกรมข้อมูล (Data dictionary)", "format": "JSON",
            "url": f"https://example.org/{name}/dictionary.json",
            "resource_private": "False", "resource_last_updated_date": "2020-09-24"})
        payload.update(groups=[{"name": "legislation"}], **changes)
        self.names.append(name)
        return self.agency.call("package_create", **payload)

    def run(self) -> HarvestResult:
        return local.harvest(self.stack, dataset_names=self.names, source_name=self.source)

    def clean(self) -> None:
        try:
            source = self.national.call("harvest_source_show", id=self.source)
        except ckanapi.NotFound:
            source = None
        if source:
            self.national.call("harvest_source_clear", id=source["id"])  # its datasets too
            # Deactivates the source (package_delete's hook), then removes its record.
            self.national.call("harvest_source_delete", id=source["id"])
            self.national.call("dataset_purge", id=source["id"])
        for name in self.names:
            try:
                self.agency.call("dataset_purge", id=name)
            except ckanapi.NotFound:
                pass


@pytest.fixture(scope="module")
def first_harvest(stack_settings, ckan_admin, national_client) -> Iterator[tuple[Harvest, dict]]:
    """Three agency datasets (harvestable, allow_harvest "False", private), harvested once."""
    harvest = Harvest(stack_settings, ckan_admin, national_client)
    try:
        published = {"open": harvest.publish("open"),
                     "refused": harvest.publish("refused", allow_harvest="False"),
                     "private": harvest.publish("private", private=True)}
        result = harvest.run()
        yield harvest, {"published": published, "result": result}
    finally:
        harvest.clean()


def test_a_harvest_brings_every_public_harvestable_dataset_with_equal_dga_fields(
        first_harvest, ckan_anonymous, national_anonymous) -> None:
    harvest, state = first_harvest
    assert state["result"].count("added") == 1 and state["result"].count("errored") == 0
    name = state["published"]["open"]["name"]
    agency = ckan_anonymous.call("package_show", id=name)
    arrived = national_anonymous.call("package_show", id=name)
    dataset_fields, resource_fields = _schema_fields()
    assert arrived["id"] == agency["id"] and arrived["private"] is False
    for field in [*dataset_fields, "id", "name", "license_id", "license_title", "notes"]:
        if field not in _PER_CATALOG:
            assert arrived.get(field) == agency.get(field), field
    assert arrived["title"].startswith("ข้อมูลการลงมติ") and "วุฒิสภา" in arrived["notes"]
    assert sorted(t["name"] for t in arrived["tags"]) == sorted(t["name"] for t in agency["tags"])
    assert arrived["organization"]["name"] == agency["organization"]["name"]
    assert [g["name"] for g in arrived["groups"]] == [g["name"] for g in agency["groups"]]
    assert len(arrived["resources"]) == len(agency["resources"]) == 2
    for came, went in zip(arrived["resources"], agency["resources"]):
        assert came["url"].startswith("https://example.org/")
        for field in [*resource_fields, "id", "url", "format", "name", "description"]:
            assert came.get(field) == went.get(field), field
    searched = national_anonymous.call("package_search", fq=f'name:"{name}"')
    assert searched["count"] == 1


def test_refused_and_private_datasets_stay_out_of_the_national_catalog(
        first_harvest, national_client) -> None:
    _, state = first_harvest
    for key in ("refused", "private"):
        with pytest.raises(ckanapi.NotFound):
            national_client.call("package_show", id=state["published"][key]["name"])


def test_a_second_harvest_of_an_unchanged_catalog_changes_nothing(
        first_harvest, national_client) -> None:
    harvest, state = first_harvest
    name = state["published"]["open"]["name"]
    before = national_client.call("package_show", id=name)
    activities = national_client.call("package_activity_list", id=name,
                                      include_hidden_activity=True)
    again = harvest.run()
    assert again.count("not modified") == 1
    assert (again.count("added"), again.count("updated"), again.count("deleted")) == (0, 0, 0)
    after = national_client.call("package_show", id=name)
    assert after["id"] == before["id"]
    assert after["metadata_modified"] == before["metadata_modified"]
    assert national_client.call("package_activity_list", id=name,
                                include_hidden_activity=True) == activities


def test_a_dataset_withdrawn_in_the_agency_catalog_leaves_at_the_next_harvest(
        stack_settings, ckan_admin, national_client, national_anonymous) -> None:
    harvest = Harvest(stack_settings, ckan_admin, national_client)
    try:
        kept, withdrawn = harvest.publish("kept"), harvest.publish("withdrawn")
        assert harvest.run().count("added") == 2
        # The pipeline withdraws a dataset by making it private (and removing its files).
        ckan_admin.call("package_patch", id=withdrawn["id"], private=True, resources=[])
        result = harvest.run()
        assert (result.count("deleted"), result.count("not modified")) == (1, 1)
        with pytest.raises((ckanapi.NotFound, ckanapi.NotAuthorized)):
            national_anonymous.call("package_show", id=withdrawn["name"])
        found = national_anonymous.call("package_search", q=harvest.source, rows=100)
        assert [p["name"] for p in found["results"]] == [kept["name"]]
        # Consent withdrawn counts the same: no longer harvestable, so deleted.
        ckan_admin.call("package_patch", id=kept["id"], allow_harvest="False")
        assert harvest.run().count("deleted") == 1
        assert national_client.call("package_show", id=kept["id"])["state"] == "deleted"
    finally:
        harvest.clean()
