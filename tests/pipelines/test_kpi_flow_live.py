"""The KPI evidence datasets through the real flow, against the test CKAN: every evidence dataset
and the scorecard are published with DGA metadata and reports, the KPI 1.3 outcome report is
written and registered with the conditions, and the runs converge to zero writes.

Runs the weekly deployment's selection (groups performance and data-governance) on a copy of
those datasets only.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import ckanapi
import pytest

from flows.catalog import CatalogClient
from flows.catalog.owned import KIND_FIELD
from flows.datasets import discover_datasets
from flows.settings import PROJECT_ROOT
from tests.integration.publish_helpers import copy_project, download
from tests.pipelines.flow_helpers import run_flow

pytestmark = pytest.mark.integration

TODAY = "2026-11-28"
GROUPS = ["performance", "data-governance"]
KPI_DATASETS = sorted(spec.id for spec in discover_datasets(PROJECT_ROOT)
                      if set(spec.metadata.get("groups") or []) & set(GROUPS))


@pytest.fixture(scope="module")
def runs(tmp_path_factory, admin: CatalogClient) -> list[dict[str, dict[str, Any]]]:
    """Three runs on the same copy: cold, then the conditions see themselves registered, then
    nothing changes. Each item: this run's record of each dataset."""
    root = copy_project(tmp_path_factory.mktemp("kpi-project"), KPI_DATASETS)
    try:
        yield [_run(root) for _ in range(3)]
    finally:
        for name in KPI_DATASETS:
            try:
                admin.call("dataset_purge", id=name)
            except ckanapi.NotFound:
                pass


def _run(root: Path) -> dict[str, dict[str, Any]]:
    state, _, records = run_flow(root, groups=GROUPS, today=TODAY)
    assert state.is_completed(), state.message
    return records


def test_every_evidence_dataset_and_the_scorecard_are_published(runs, ckan_anonymous) -> None:
    cold = runs[0]
    assert set(cold) == set(KPI_DATASETS)
    assert {"kpi-register", "kpi-scorecard", "kpi-1-3-conditions", "senate-units",
            "kpi-2-3-ita"} <= set(cold)
    for dataset, record in cold.items():
        assert record["status"] == "published", (dataset, record["reason"])
        assert record["validation"]["errors"] == 0
        shown = ckan_anonymous.call("package_show", id=dataset)
        assert shown["private"] is False
        assert shown["data_category"] == "ข้อมูลสาธารณะ"        # DGA metadata, in Thai
        assert shown["organization"]["name"] == "senate-secretariat"
        kinds = {r[KIND_FIELD] for r in shown["resources"]}
        assert {"data", "dictionary", "schema", "report", "quality-history"} <= kinds


def test_the_scorecard_page_and_the_kpi_1_3_report_are_registered(runs, ckan_anonymous) -> None:
    scorecard = ckan_anonymous.call("package_show", id="kpi-scorecard")
    [page] = [r for r in scorecard["resources"] if r[KIND_FIELD] == "scorecard-page"]
    assert "คะแนนรวม" in download(page["url"]).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(download(
        [r for r in scorecard["resources"] if r[KIND_FIELD] == "data"][0]["url"]).decode())))
    assert sum(float(row["weight"]) for row in rows) == 100

    conditions = ckan_anonymous.call("package_show", id="kpi-1-3-conditions")
    kinds = {r[KIND_FIELD]: r for r in conditions["resources"]}
    report = download(kinds["outcome-report"]["url"]).decode("utf-8")
    assert "ตัวชี้วัดที่ 1.3" in report
    for dataset in ("kpi-register", "senate-units", "kpi-scorecard"):
        assert f"/dataset/{dataset}" in report
    assert "ปัญหา" in report                                   # problems and suggestions
    assert download(kinds["outcome-report-md"]["url"]).decode("utf-8").startswith("# ")


def test_the_conditions_are_filled_from_the_run_records(runs, ckan_anonymous) -> None:
    assert runs[1]["kpi-1-3-conditions"]["validation"]["rows"] == 7
    conditions = ckan_anonymous.call("package_show", id="kpi-1-3-conditions")
    [data] = [r for r in conditions["resources"] if r[KIND_FIELD] == "data"]
    rows = list(csv.DictReader(io.StringIO(download(data["url"]).decode("utf-8"))))
    assert [row["condition_no"] for row in rows] == [str(n) for n in range(1, 8)]
    by_pipeline = [row for row in rows if row["filled_by"] in ("pipeline", "pipeline+steward")
                   or "pipeline" in row["filled_by"]]
    assert by_pipeline, "no condition is filled from the run records"
    # The system's own items cite the catalog pages the earlier runs registered.
    cited = "|".join(row["evidence_url"] for row in by_pipeline)
    for dataset in ("kpi-register", "senate-units"):
        assert f"/dataset/{dataset}" in cited
    # Nothing is claimed done without evidence.
    assert all(row["evidence_url"] for row in rows if row["status"] == "done")


def test_the_third_run_writes_nothing(runs) -> None:
    third = runs[2]
    assert {record["status"] for record in third.values()} == {"unchanged"}
    assert sum(record["catalog"]["write_calls"] for record in third.values()) == 0
