"""The whole pipeline on the real pilot datasets, against the real CKAN: what the public sees.

The project's declarations are copied to a temporary root so a test can edit a metadata file
without touching the repository.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import date

import ckanapi
import pytest
import yaml

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.catalog.licences import load_licence_map
from flows.catalog.owned import KIND_FIELD
from flows.orchestrate.plan_or_run import plan_or_run
from flows.settings import PROJECT_ROOT
from tests.integration.publish_helpers import (copy_project, download, purge_test_datasets,
                                               sha256_of_download)

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 28)
PUBLIC = ("senate-votes", "senator-votes", "senators")
PERSONAL = "birthdate"


@pytest.fixture(scope="module")
def published(catalog_settings, stack_settings, tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("project"), PUBLIC)
    client = CountingClient(CatalogClient(catalog_settings))
    # the pilots by name: a run of every dataset would also withdraw the catalog's records of
    # datasets this copy of the project lacks (e.g. another test's)
    runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="pilots", dataset_ids=PUBLIC)
    yield root, {run.dataset: run for run in runs}
    purge_test_datasets(catalog_settings, stack_settings, (*PUBLIC, "senators-internal"))


def test_every_pilot_is_published_without_errors(published) -> None:
    _, runs = published
    assert set(runs) == set(PUBLIC)
    for run in runs.values():
        assert run.status == "published", run.reason
        assert not run.result.blocking


def test_the_public_sees_the_three_pilots_with_thai_dga_fields(published, ckan_anonymous) -> None:
    _, runs = published
    for dataset_id in PUBLIC:
        shown = ckan_anonymous.call("package_show", id=dataset_id)
        assert shown["private"] is False
        wanted = runs[dataset_id].described.fields
        for field in ("title", "data_category", "data_classification", "update_frequency_unit",
                      "geo_coverage", "maintainer"):
            assert shown[field] == wanted[field], (dataset_id, field)
        # the DGA licence (อื่นๆ + MIT License) is the register's MIT in the catalog
        licence = load_licence_map().catalog_licence_id(wanted["license_id"],
                                                        wanted.get("license_id_other"))
        assert shown["license_id"] == licence == "MIT" and shown["isopen"] is True
        assert shown["data_category"] == "ข้อมูลสาธารณะ"
        assert shown["organization"]["name"] == "senate-secretariat"


def test_internal_companion_is_invisible_to_the_public(published, ckan_anonymous,
                                                       ckan_admin) -> None:
    with pytest.raises((ckanapi.NotAuthorized, ckanapi.NotFound)):
        ckan_anonymous.call("package_show", id="senators-internal")
    found = ckan_anonymous.call("package_search", q="senators", rows=1000, include_private=True)
    assert "senators-internal" not in [p["name"] for p in found["results"]]
    internal = ckan_admin.call("package_show", id="senators-internal")
    assert internal["private"] is True and internal["data_category"] == "ข้อมูลส่วนบุคคล"


def test_every_resource_downloads_byte_identical_to_the_validated_file(published,
                                                                     ckan_anonymous) -> None:
    _, runs = published
    for dataset_id in PUBLIC:
        local = {r.kind: r for r in runs[dataset_id].described.resources}
        shown = ckan_anonymous.call("package_show", id=dataset_id)
        assert sorted(r[KIND_FIELD] for r in shown["resources"]) == sorted(local)
        for resource in shown["resources"]:
            expected = local[resource[KIND_FIELD]]
            assert resource["hash"] == f"sha256:{expected.sha256}"
            assert sha256_of_download(resource["url"]) == expected.sha256, resource["name"]
    # Without personal fields the data resource IS the validated file (same checksum).
    for dataset_id in ("senate-votes", "senator-votes"):
        data = {r.kind: r for r in runs[dataset_id].described.resources}["data"]
        assert data.sha256 == runs[dataset_id].result.source_sha256


def test_no_personal_data_column_anywhere_public(published, ckan_anonymous,
                                                catalog_settings) -> None:
    found = ckan_anonymous.call("package_search", q="*:*", rows=1000)
    public_resources = [r for p in found["results"] for r in p["resources"]
                        if r.get(KIND_FIELD) in ("data", "schema", "dictionary")]
    assert len(public_resources) >= 9
    for resource in public_resources:
        text = download(resource["url"]).decode("utf-8-sig")
        assert PERSONAL not in text, resource["url"]
    birthdates = {line.split(",")[-1] for line in (PROJECT_ROOT / "datasets/senators/senators.csv")
                  .read_text(encoding="utf-8").splitlines()[1:] if line.split(",")[-1]}
    catalog = _get(f"{catalog_settings.url}/catalog.ttl")
    assert not [b for b in birthdates if b in catalog]


def test_second_run_makes_zero_write_calls(published, catalog_settings) -> None:
    root, _ = published
    client = CountingClient(CatalogClient(catalog_settings))
    runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="again", dataset_ids=PUBLIC)
    assert client.writes == []
    # the run records of the first run let every dataset skip the plan: one package_show each
    assert {run.status for run in runs} == {"unchanged"}


def test_after_a_metadata_edit_plan_shows_exactly_that_field(published,
                                                             catalog_settings) -> None:
    root, _ = published
    path = root / "metadata" / "senate-votes.yaml"
    original = path.read_text(encoding="utf-8")
    metadata = yaml.safe_load(original)
    metadata["dga"]["update_frequency_interval"] = "2"
    path.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    try:
        client = CountingClient(CatalogClient(catalog_settings))
        runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                           catalog_url=catalog_settings.url, dry_run=True,
                           dataset_ids=["senate-votes"])
    finally:
        path.write_text(original, encoding="utf-8")
    [plan] = runs[0].plans
    assert [(c.field, c.wanted) for c in plan.changes] == [("update_frequency_interval", "2")]
    # the files are as published, the quality history too: a metadata edit that validates the
    # same is no new row (history: one row per validation whose result or data inputs changed)
    assert {step.kind: step.action for step in plan.resources
            if step.action != "unchanged"} == {}
    assert client.writes == []


def test_dcat_lists_each_published_dataset(published, catalog_settings) -> None:
    _, runs = published
    turtle = _get(f"{catalog_settings.url}/catalog.ttl")
    for dataset_id in PUBLIC:
        shown_jsonld = json.loads(_get(f"{catalog_settings.url}/dataset/{dataset_id}.jsonld"))
        text = json.dumps(shown_jsonld, ensure_ascii=False)
        fields = runs[dataset_id].described.fields
        assert fields["title"] in turtle and fields["title"] in text
        for needle in ("dcat:distribution", "dct:publisher", "dcat:keyword", "dct:license"):
            assert needle in turtle, needle
        # Uploaded files appear as distributions whose accessURL is the download link.
        assert "dcat:accessURL" in text and "/download/" in text
        assert "publisher" in text and "keyword" in text and "dct:license" in text
        assert "สำนักงานเลขาธิการวุฒิสภา" in text


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")
