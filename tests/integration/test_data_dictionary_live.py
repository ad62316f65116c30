"""The dictionary in the catalog, as an anonymous visitor sees it: a run of a
few datasets and ``data-dictionary`` on the real CKAN; each dataset's readable dictionary
downloads, the public data dictionary covers exactly the public fields of the public datasets,
and a second run writes nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from datetime import date
from html import unescape
from pathlib import Path

import ckanapi
import pytest
import yaml

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.catalog.owned import KIND_FIELD
from flows.orchestrate.plan_or_run import plan_or_run
from tests.integration.publish_helpers import copy_project, download, purge_test_datasets

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 28)
DICTIONARY = "data-dictionary"
PUBLIC = ("senate-units", "senators")               # senators: a personal-data field
INTERNAL = "zz-dictionary-private"                  # private: never in the public dictionary
RUN = (*PUBLIC, INTERNAL, DICTIONARY)
THAI = re.compile(r"[\u0E01-\u0E4E]")


def _add_internal_dataset(root: Path) -> None:
    """A copy of senate-units, declared internal use (ชั้นเผยแพร่ภายในองค์กร), under its own id
    and title (the catalog wants unique titles)."""
    shutil.copytree(root / "datasets" / "senate-units", root / "datasets" / INTERNAL)
    (root / "datasets" / INTERNAL / "senate-units.csv").rename(
        root / "datasets" / INTERNAL / f"{INTERNAL}.csv")
    shutil.copy(root / "schemas" / "senate-units.schema.json",
                root / "schemas" / f"{INTERNAL}.schema.json")
    suite = json.loads((root / "schemas" / "senate-units.expectations.json").read_text("utf-8"))
    (root / "schemas" / f"{INTERNAL}.expectations.json").write_text(
        json.dumps({**suite, "name": INTERNAL}, ensure_ascii=False), encoding="utf-8")
    metadata = yaml.safe_load((root / "metadata" / "senate-units.yaml").read_text("utf-8"))
    metadata["id"] = INTERNAL
    metadata["source"] = {"encoding": "utf-8", "snapshot_date": "2026-11-28"}
    metadata["dga"].update(title="หน่วยงานทดสอบพจนานุกรมข้อมูล (ใช้ภายใน)",
                           data_category="ข้อมูลใช้ภายใน",
                           data_classification="ชั้นเผยแพร่ภายในองค์กร")
    (root / "metadata" / f"{INTERNAL}.yaml").write_text(
        yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("project"), (*PUBLIC, DICTIONARY))
    _add_internal_dataset(root)
    return root


@pytest.fixture(scope="module")
def published(project, catalog_settings, stack_settings):
    client = CountingClient(CatalogClient(catalog_settings))
    runs = plan_or_run(project, client=client, out_dir=project / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="dictionary", dataset_ids=RUN)
    yield {run.dataset: run for run in runs}
    purge_test_datasets(catalog_settings, stack_settings, (*RUN, "senators-internal"))


def _public_fields(project: Path, dataset: str) -> list[dict]:
    schema = json.loads((project / "schemas" / f"{dataset}.schema.json").read_text("utf-8"))
    return [field for field in schema["fields"] if not field.get("personalData")]


def _by_kind(package: dict) -> dict[str, dict]:
    return {resource.get(KIND_FIELD): resource for resource in package["resources"]}


def test_the_run_publishes_each_dataset_and_the_dictionary(published, project) -> None:
    assert set(published) == set(RUN)
    for dataset, run in published.items():
        assert run.status == "published", (dataset, run.reason)
    assert published[DICTIONARY].result.rows == sum(len(_public_fields(project, dataset))
                                                    for dataset in PUBLIC)
    assert published[INTERNAL].registered.decision.private


def test_the_data_dictionary_is_public_with_csv_and_html(published, ckan_anonymous) -> None:
    shown = ckan_anonymous.call("package_show", id=DICTIONARY)
    assert shown["private"] is False
    assert [group["name"] for group in shown["groups"]] == ["data-governance"]
    assert THAI.search(shown["title"]) and shown["title"].startswith("พจนานุกรมข้อมูล")
    resources = _by_kind(shown)
    assert resources["data"]["format"] == "CSV"
    assert resources["catalog-dictionary-page"]["format"] == "HTML"
    assert resources["catalog-dictionary-page"]["name"].startswith("พจนานุกรมข้อมูลของบัญชีข้อมูล")


def test_its_rows_are_the_public_fields_of_the_public_datasets(published, project,
                                                               ckan_anonymous) -> None:
    resources = _by_kind(ckan_anonymous.call("package_show", id=DICTIONARY))
    rows = list(csv.DictReader(io.StringIO(download(resources["data"]["url"]).decode("utf-8"))))
    expected = [(dataset, field["name"], field["description_th"])
                for dataset in sorted(PUBLIC) for field in _public_fields(project, dataset)]
    assert [(r["dataset"], r["field"], r["description_th"]) for r in rows] == expected
    assert {r["personal_data"] for r in rows} == {"false"}
    assert "birthdate" not in {r["field"] for r in rows}
    page = unescape(download(resources["catalog-dictionary-page"]["url"]).decode("utf-8"))
    for dataset in PUBLIC:
        assert f'id="dataset-{dataset}"' in page
    for absent in (INTERNAL, "birthdate", DICTIONARY):
        assert absent not in page


def test_each_dataset_has_a_readable_dictionary_that_downloads(published, project,
                                                                ckan_anonymous) -> None:
    for dataset in PUBLIC:
        resources = _by_kind(ckan_anonymous.call("package_show", id=dataset))
        page = resources["dictionary-html"]
        assert page["format"] == "HTML"
        assert page["name"] == "พจนานุกรมข้อมูล (HTML) / Data dictionary (HTML)"
        body = download(page["url"])
        assert page["hash"] == f"sha256:{hashlib.sha256(body).hexdigest()}"
        text = unescape(body.decode("utf-8"))
        for field in _public_fields(project, dataset):
            assert field["description_th"] in text, (dataset, field["name"])
        assert "birthdate" not in text
    with pytest.raises((ckanapi.NotAuthorized, ckanapi.NotFound)):
        ckan_anonymous.call("package_show", id=INTERNAL)


def test_a_second_run_writes_nothing(published, project, catalog_settings) -> None:
    client = CountingClient(CatalogClient(catalog_settings))
    runs = plan_or_run(project, client=client, out_dir=project / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="again", dataset_ids=RUN)
    assert client.writes == []
    assert {run.dataset: run.status for run in runs} == {dataset: "unchanged" for dataset in RUN}
