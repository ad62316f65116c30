"""The catalog stage's skip decision: ``wanted_sha256`` (one hash of all a publish would send)
and ``register`` skipping only when that hash and the catalog's copies are as last published.

No CKAN: a fake at the client seam; publishing itself is stubbed where a test only asks
*whether* the stage publishes.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from flows.catalog.datastore import public_tables
from flows.catalog.gate import Outcome, decide
from flows.catalog.retry import RetryPolicy
from flows.orchestrate import stages
from flows.orchestrate.stages import Prepared, register, wanted_sha256
from flows.validation.validate_and_report import DatasetReport
from tests.catalog.described_samples import described_dataset, validation_result
from tests.catalog.fake_catalog import FakeCatalog

NAME = "zz-stage-sample"
ORG = "senate-secretariat"
GROUPS = ["legislation", "senators"]
CATALOG = "http://127.0.0.1:21500"
MODIFIED = "2026-11-28T01:10:06.123456"
NO_RETRY = RetryPolicy(retries=0)
TODAY = date(2026, 12, 5)


def wanted(described, *, owner_org: str = ORG, groups=GROUPS, result=None) -> str:
    decision = decide(described, result or validation_result(NAME))
    return wanted_sha256(described, decision, owner_org=owner_org, managed_groups=groups)


# --- wanted_sha256 ------------------------------------------------------------------------------

def test_wanted_sha256_is_stable_and_ignores_where_the_files_are(tmp_path: Path) -> None:
    here = described_dataset(tmp_path / "a", NAME, personal=True)
    there = described_dataset(tmp_path / "b", NAME, personal=True)
    assert here.resources[0].path != there.resources[0].path
    assert wanted(here) == wanted(here) == wanted(there)
    assert wanted(here, groups=list(reversed(GROUPS))) == wanted(here)  # a set of names


@pytest.mark.parametrize("change", [
    "field", "new field", "group", "resource file", "resource name", "resource extras",
    "resource removed", "internal companion", "owner", "managed groups", "outcome"])
def test_wanted_sha256_changes_with_anything_a_publish_would_send(tmp_path: Path,
                                                                  change: str) -> None:
    base = described_dataset(tmp_path / "base", NAME)
    data = base.resources[0]
    changed: dict[str, Any] = {
        "field": lambda: dataclasses.replace(base, fields={**base.fields,
                                                           "title": base.fields["title"] + " ก"}),
        "new field": lambda: dataclasses.replace(base, fields={**base.fields,
                                                               "update_frequency_interval": "2"}),
        "group": lambda: dataclasses.replace(base, groups=["senators"]),
        "resource file": lambda: dataclasses.replace(base, resources=[
            dataclasses.replace(data, sha256="f" * 64), *base.resources[1:]]),
        "resource name": lambda: dataclasses.replace(base, resources=[
            dataclasses.replace(data, name="ข้อมูล / Data v2"), *base.resources[1:]]),
        "resource extras": lambda: dataclasses.replace(base, resources=[
            dataclasses.replace(data, extras={"resource_data_format": "CSV"}),
            *base.resources[1:]]),
        "resource removed": lambda: dataclasses.replace(base, resources=base.resources[1:]),
        "internal companion": lambda: dataclasses.replace(base, internal_data=data),
    }
    before = wanted(base)
    if change == "owner":
        after = wanted(base, owner_org="another-org")
    elif change == "managed groups":
        after = wanted(base, groups=[*GROUPS, "performance"])
    elif change == "outcome":
        private = dataclasses.replace(base, fields={**base.fields,
                                                    "data_category": "ข้อมูลใช้ภายใน"},
                                      treatment="internal")
        assert decide(private, validation_result(NAME)).outcome is Outcome.PRIVATE
        after = wanted_sha256(base, decide(private, validation_result(NAME)), owner_org=ORG,
                              managed_groups=GROUPS)
    else:
        after = wanted(changed[change]())
    assert after != before


# --- register: skip only when nothing changed --------------------------------------------------

class Catalog(FakeCatalog):
    url = CATALOG


@pytest.fixture
def prepared(tmp_path: Path) -> Prepared:
    described = described_dataset(tmp_path / "files", NAME)
    report = DatasetReport(result=validation_result(NAME), files={})
    return Prepared(dataset=NAME, report=report, described=described)


@pytest.fixture
def publishes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Stub the publish itself: record which datasets the stage decided to publish."""
    published: list[str] = []

    def apply(client, planned, **options):
        published.append(planned[0][0].name)
        return []

    monkeypatch.setattr(stages, "apply", apply)
    monkeypatch.setattr(stages, "catalog_state", lambda client, names, retry: [])
    return published


def last_published(prepared: Prepared, **catalog: Any) -> dict[str, Any]:
    """The record of a run that published exactly what ``prepared`` wants now."""
    entry = {"url": CATALOG, "wanted_sha256": wanted(prepared.described),
             "datasets": [{"name": NAME, "id": "id-1", "metadata_modified": MODIFIED,
                           "private": False, "resources": {"data": "res-data"}}]}
    return {"dataset": NAME, "status": "published", "catalog": {**entry, **catalog}}


def run_register(catalog: Catalog, prepared: Prepared, last: dict[str, Any] | None):
    decision = decide(prepared.described, prepared.report.result)
    return register(catalog, NAME, decision, described=prepared.described, owner_org=ORG,
                    managed_groups=GROUPS, retry=NO_RETRY, dry_run=False, today=TODAY,
                    last_published=last)


def with_datastore_in_place(catalog: Catalog, prepared: Prepared) -> Catalog:
    """The DataStore table (its digest) and preview the last publish left for the data file."""
    [table] = public_tables(prepared.described, public=True)
    catalog.datastore["res-data"] = table.digest
    catalog.views["res-data"] = [{"view_type": "datatables_view"}]
    return catalog


def test_unchanged_when_the_wish_and_the_catalog_are_as_last_published(prepared,
                                                                      publishes) -> None:
    catalog = with_datastore_in_place(
        Catalog({NAME: {"name": NAME, "id": "id-1", "metadata_modified": MODIFIED}}), prepared)
    last = last_published(prepared)
    registered = run_register(catalog, prepared, last)
    assert registered.status == "unchanged"
    assert registered.write_calls == 0 and publishes == []
    assert set(catalog.actions) == {"package_show", "senate_datastore_digest",
                                    "resource_view_list"}
    assert registered.wanted_sha256 == last["catalog"]["wanted_sha256"]
    assert registered.catalog == last["catalog"]["datasets"]


@pytest.mark.parametrize("lost", ["table", "preview"])
def test_planned_again_when_the_datastore_lost_its_table_or_preview(prepared, publishes,
                                                                    lost: str) -> None:
    """DataStore writes leave metadata_modified alone: the DataStore itself is read."""
    catalog = with_datastore_in_place(
        Catalog({NAME: {"name": NAME, "id": "id-1", "metadata_modified": MODIFIED}}), prepared)
    if lost == "table":
        del catalog.datastore["res-data"]
    else:
        catalog.views["res-data"] = [{"view_type": "image_view"}]
    registered = run_register(catalog, prepared, last_published(prepared))
    assert registered.status == "published" and publishes == [NAME]


@pytest.mark.parametrize("why", ["first run", "wish changed", "another catalog",
                                 "edited in the catalog", "deleted in the catalog",
                                 "a companion appeared"])
def test_published_again_when_anything_differs(prepared, publishes, why: str) -> None:
    catalog = Catalog({NAME: {"name": NAME, "id": "id-1", "metadata_modified": MODIFIED}})
    last: dict[str, Any] | None = last_published(prepared)
    if why == "first run":
        last = None
    elif why == "wish changed":
        last = last_published(prepared, wanted_sha256="0" * 64)
    elif why == "another catalog":
        last = last_published(prepared, url="https://catalog.example.go.th")
    elif why == "edited in the catalog":
        catalog.packages[NAME]["metadata_modified"] = "2026-11-28T02:00:00.000000"
    elif why == "deleted in the catalog":
        del catalog.packages[NAME]
    elif why == "a companion appeared":
        prepared.described = described_dataset(prepared.described.resources[0].path.parent
                                               / "personal", NAME, personal=True)
        last = last_published(prepared)  # same wish, but the record names one dataset only
    registered = run_register(catalog, prepared, last)
    assert registered.status == "published"
    assert publishes == [NAME]


def test_held_datasets_are_never_written(prepared, publishes) -> None:
    prepared.report = DatasetReport(result=validation_result(NAME, blocking=True), files={})
    catalog = Catalog({})
    registered = run_register(catalog, prepared, last_published(prepared))
    assert registered.status == "held" and registered.decision.outcome is Outcome.HOLD
    assert publishes == [] and registered.write_calls == 0
    assert set(catalog.actions) <= {"package_show"}
