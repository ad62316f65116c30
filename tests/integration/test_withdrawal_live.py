"""The gate never leaks, on the real test CKAN, as the public sees it (an anonymous client).

Each test publishes a real dataset (senate-votes) from a project copy, then changes what the
gate must see — a secret classification, a column of phone numbers, personal data in the
metadata, its files removed — runs the pipeline again and checks that the dataset is gone from
the API, its page, its resource URLs, search and /catalog.ttl, and that a third run writes
nothing.
"""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import ckanapi
import pytest
import yaml

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.catalog.owned import OWNERSHIP_FIELD, WITHDRAWN_FIELD
from flows.catalog.retry import RetryPolicy
from flows.orchestrate.plan_or_run import plan_or_run
from flows.stack.paths import StackPaths
from tests.integration.publish_helpers import copy_project

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 28)
DATASET = "senate-votes"
COMPANION = f"{DATASET}-internal"


@pytest.fixture
def project(tmp_path, catalog_settings, stack_settings, ckan_admin):
    if stack_settings.instance != "test":
        pytest.skip("these tests publish and withdraw: run them on the test stack")
    root = copy_project(tmp_path / "project", [DATASET])
    yield root
    for name in (DATASET, COMPANION):
        try:
            ckan_admin.call("dataset_purge", id=name)
        except ckanapi.NotFound:
            pass


def run(root: Path, catalog_settings, **options) -> tuple[dict, CountingClient]:
    client = CountingClient(CatalogClient(catalog_settings))
    outcomes = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                           catalog_url=catalog_settings.url, retry=RetryPolicy(retries=1),
                           **options)
    return {o.dataset: o for o in outcomes}, client


def published(root: Path, catalog_settings, ckan_anonymous) -> dict:
    """Publish the dataset; what the public sees of it (and its download links)."""
    outcomes, _ = run(root, catalog_settings)
    assert outcomes[DATASET].status == "published", outcomes[DATASET].reason
    shown = ckan_anonymous.call("package_show", id=DATASET)
    assert shown["private"] is False and shown[OWNERSHIP_FIELD] == DATASET
    assert all(_status(r["url"]) == 200 for r in shown["resources"])
    return shown


def assert_gone_for_the_public(shown: dict, catalog_settings, ckan_anonymous) -> None:
    with pytest.raises((ckanapi.NotFound, ckanapi.NotAuthorized)):
        ckan_anonymous.call("package_show", id=DATASET)
    assert _status(f"{catalog_settings.url}/dataset/{DATASET}") in (403, 404)
    for resource in shown["resources"]:
        assert _status(resource["url"]) in (403, 404), resource["url"]
    found = ckan_anonymous.call("package_search", q=DATASET, rows=100)
    assert DATASET not in [p["name"] for p in found["results"]]
    title_found = ckan_anonymous.call("package_search", q=f'title:"{shown["title"]}"')
    assert DATASET not in [p["name"] for p in title_found["results"]]
    catalog = _text(f"{catalog_settings.url}/catalog.ttl")
    assert f"/dataset/{DATASET}" not in catalog and shown["title"] not in catalog


def assert_rerun_writes_nothing(root: Path, catalog_settings, **options) -> dict:
    outcomes, client = run(root, catalog_settings, **options)
    assert client.writes == [], client.writes
    return outcomes


def edit_metadata(root: Path, **dga) -> None:
    path = root / "metadata" / f"{DATASET}.yaml"
    metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    metadata["dga"].update(dga)
    path.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def test_reclassified_secret_leaves_the_catalog_with_its_files(
        project, catalog_settings, ckan_anonymous, ckan_admin, stack_settings) -> None:
    shown = published(project, catalog_settings, ckan_anonymous)
    stored = [_stored_file(stack_settings, r["id"]) for r in shown["resources"]]
    assert all(path.exists() for path in stored)
    edit_metadata(project, data_category="ข้อมูลความลับทางราชการ", data_classification="ลับ")
    outcomes, client = run(project, catalog_settings)
    assert outcomes[DATASET].status == "withdrawn"
    assert client.writes[0] == "package_patch"   # out of public view before anything else
    assert_gone_for_the_public(shown, catalog_settings, ckan_anonymous)
    kept = ckan_admin.call("package_show", id=DATASET)
    assert kept["private"] is True and kept["resources"] == []
    assert kept[WITHDRAWN_FIELD].startswith("2026-11-28: ")
    assert not any(path.exists() for path in stored), "a withheld file stayed in CKAN's storage"
    again = assert_rerun_writes_nothing(project, catalog_settings)
    assert again[DATASET].status == "withdrawn"
    record = _last_record(project)
    assert [w["action"] for w in record["catalog"]["withdrawals"]] == ["withdrawn"]


def test_a_secret_dataset_asked_for_as_metadata_only_keeps_a_private_record_without_files(
        project, catalog_settings, ckan_anonymous, ckan_admin) -> None:
    shown = published(project, catalog_settings, ckan_anonymous)
    edit_metadata(project, data_category="ข้อมูลความมั่นคง", data_classification="ลับ")
    path = project / "metadata" / f"{DATASET}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "catalog_record: metadata-only\n",
                    encoding="utf-8")
    outcomes, _ = run(project, catalog_settings)
    assert outcomes[DATASET].status == "published", outcomes[DATASET].reason
    assert_gone_for_the_public(shown, catalog_settings, ckan_anonymous)
    kept = ckan_admin.call("package_show", id=DATASET)
    assert kept["private"] is True and kept["resources"] == []
    assert kept["data_classification"] == "ลับ" and not kept.get(WITHDRAWN_FIELD)
    assert "only a private metadata record" in kept["notes"]
    assert_rerun_writes_nothing(project, catalog_settings)
    with pytest.raises(ckanapi.ValidationError, match="no resources"):   # the catalog's own rule
        ckan_admin.call("resource_create", package_id=DATASET, name="x",
                        url="https://example.org/x.csv")


def test_a_new_column_of_phone_numbers_withdraws_the_dataset(
        project, catalog_settings, ckan_anonymous, ckan_admin) -> None:
    shown = published(project, catalog_settings, ckan_anonymous)
    _add_column(project, "contact", lambda row: f"(081) 234 {5600 + row:04d}")
    outcomes, _ = run(project, catalog_settings)
    assert outcomes[DATASET].status == "held"
    assert "personal-data" in outcomes[DATASET].reason or "ข้อมูลส่วนบุคคล" in \
        outcomes[DATASET].reason
    assert_gone_for_the_public(shown, catalog_settings, ckan_anonymous)
    kept = ckan_admin.call("package_show", id=DATASET)
    assert kept["private"] is True and kept[WITHDRAWN_FIELD]
    report = (project / "out" / DATASET / "report.html").read_text(encoding="utf-8")
    assert "personal-data/phone-number" in report and "234 56" not in report
    assert_rerun_writes_nothing(project, catalog_settings)


def test_files_removed_from_the_repository_are_withdrawn_then_purged_on_request(
        project, catalog_settings, ckan_anonymous, ckan_admin) -> None:
    shown = published(project, catalog_settings, ckan_anonymous)
    shutil.rmtree(project / "datasets" / DATASET)
    outcomes, _ = run(project, catalog_settings)
    assert outcomes[DATASET].status == "withdrawn"
    assert_gone_for_the_public(shown, catalog_settings, ckan_anonymous)
    kept = ckan_admin.call("package_show", id=DATASET)   # withdrawn, never silently deleted
    assert kept["private"] is True and len(kept["resources"]) == len(shown["resources"])
    (project / "metadata" / f"{DATASET}.yaml").unlink()   # now nothing names it: an orphan
    again = assert_rerun_writes_nothing(project, catalog_settings)
    assert again[DATASET].status == "withdrawn"
    purged, _ = run(project, catalog_settings, purge=True)
    assert purged[DATASET].status == "purged"
    with pytest.raises(ckanapi.NotFound):
        ckan_admin.call("package_show", id=DATASET)


@pytest.mark.parametrize("field, text", [
    ("notes", "สอบถามเพิ่มเติม โทร 081-234-5678 หรือ somchai.j@gmail.com"),
    ("data_source", "ผู้ให้ข้อมูล เลขประจำตัว 1-1037-02071-98-6"),
])
def test_personal_data_in_the_metadata_blocks_publication(
        project, catalog_settings, ckan_admin, field, text) -> None:
    edit_metadata(project, **{field: text})
    outcomes, client = run(project, catalog_settings)
    assert outcomes[DATASET].status == "held"
    assert not [w for w in client.writes if w.startswith(("package_", "resource_"))]
    with pytest.raises(ckanapi.NotFound):
        ckan_admin.call("package_show", id=DATASET)
    findings = json.loads((project / "out" / DATASET / "validation.json").read_text("utf-8"))
    found = [f for f in findings["findings"] if f.get("field") == f"metadata:{field}"]
    assert found and all(f["rule"].startswith("personal-data/") for f in found)
    assert "234-5678" not in json.dumps(findings) and "gmail" not in json.dumps(findings)


def _add_column(root: Path, name: str, value) -> None:
    csv_path = root / "datasets" / DATASET / f"{DATASET}.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + f",{name}"] + [f"{line},{value(i)}" for i, line in enumerate(lines[1:])]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    schema_path = root / "schemas" / f"{DATASET}.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"].append({"name": name, "type": "string", "title": name})
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")


def _last_record(root: Path) -> dict:
    lines = (root / "out" / "runs" / "history.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if json.loads(line)["dataset"] == DATASET][-1]


def _stored_file(stack_settings, resource_id: str) -> Path:
    """Where CKAN's uploader keeps a resource's file (storage/resources/abc/def/ghi...)."""
    storage = StackPaths(stack_settings).ckan_storage
    return storage / "resources" / resource_id[:3] / resource_id[3:6] / resource_id[6:]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")
