"""The KPI evidence datasets through the real flow, against the test CKAN: every evidence dataset
and the scorecard are published with DGA metadata and reports, the KPI 1.3 outcome report is
written and registered with the conditions, and the runs converge at once: with nothing
changed, the second run and the third write nothing (they settle), derived datasets
included, whose files come out byte for byte the same.

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
from flows.datasets import derived_name
from flows.settings import PROJECT_ROOT
from tests.integration.publish_helpers import copy_project, download
from tests.pipelines.flow_helpers import run_flow

pytestmark = pytest.mark.integration

TODAY = "2026-11-28"
GROUPS = ["performance", "data-governance"]
KPI_DATASETS = sorted(spec.id for spec in discover_datasets(PROJECT_ROOT)
                      if set(spec.metadata.get("groups") or []) & set(GROUPS))
DERIVED = sorted(spec.id for spec in discover_datasets(PROJECT_ROOT)
                 if spec.id in KPI_DATASETS and derived_name(spec))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("kpi-project"), KPI_DATASETS)


@pytest.fixture(scope="module")
def files() -> list[dict[str, bytes]]:
    """What each run of ``runs`` left on disk (``_registered_files``)."""
    return []


@pytest.fixture(scope="module")
def runs(project: Path, admin: CatalogClient,
         files: list[dict[str, bytes]]) -> list[dict[str, dict[str, Any]]]:
    """Three runs on the same copy: cold, then twice with nothing changed. Each item: this
    run's record of each dataset."""
    try:
        records = []
        for _ in range(3):
            records.append(_run(project))
            files.append(_registered_files(project))
        yield records
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


#: Outputs that are never registered: they say when the validation ran.
_LOCAL_ONLY = ("validation.json", "summary.md")


def _registered_files(root: Path) -> dict[str, bytes]:
    """The derived CSVs and the output files a dataset registers (reports, dictionaries,
    pages, quality histories), by path."""
    paths = [root / "datasets" / dataset / f"{dataset}.csv" for dataset in DERIVED]
    paths += [path for dataset in KPI_DATASETS for path in (root / "out" / dataset).rglob("*")
              if path.is_file() and path.name not in _LOCAL_ONLY]
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in paths}


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
    # kpi-scorecard is derived after the conditions (it scores KPI 1.3 from them), so the
    # report, which never sees datasets derived after it, cites the source datasets only.
    for dataset in ("kpi-register", "senate-units"):
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


def test_the_scorecard_scores_kpi_1_3_from_the_published_conditions(runs, ckan_anonymous
                                                                   ) -> None:
    """KPI 1.3's completion is the published checklist's conditions done with a link, ÷ 7."""
    def rows_of(dataset: str) -> list[dict[str, str]]:
        shown = ckan_anonymous.call("package_show", id=dataset)
        [data] = [r for r in shown["resources"] if r[KIND_FIELD] == "data"]
        return list(csv.DictReader(io.StringIO(download(data["url"]).decode("utf-8"))))
    conditions = rows_of("kpi-1-3-conditions")
    met = [row for row in conditions if row["status"] == "done" and "http" in row["evidence_url"]]
    [kpi_1_3] = [row for row in rows_of("kpi-scorecard") if row["kpi_id"] == "1.3"]
    assert kpi_1_3["scored_from"] == "kpi-1-3-conditions"
    assert float(kpi_1_3["plan_done_pct"]) == round(len(met) * 100 / len(conditions), 2)
    assert f"{len(met)} จาก {len(conditions)} เงื่อนไข" in kpi_1_3["note_th"]


@pytest.mark.parametrize("index", [1, 2], ids=["second", "third"])
def test_a_run_with_nothing_changed_writes_nothing(runs, index: int) -> None:
    """Derived datasets included: what they say does not depend on their own last
    publication, nor on run ids, times or how many runs there were."""
    again = runs[index]
    assert set(again) == set(KPI_DATASETS)
    writes = {dataset: record["catalog"]["write_actions"] for dataset, record in again.items()
              if record["catalog"]["write_calls"]}
    assert writes == {}
    assert {dataset: record["status"] for dataset, record in again.items()} == {
        dataset: "unchanged" for dataset in KPI_DATASETS}
    assert all(again[dataset]["validation"]["cached"] for dataset in KPI_DATASETS)


def test_derived_files_come_out_the_same_with_nothing_changed(runs, files) -> None:
    assert DERIVED == ["data-dictionary", "kpi-1-3-conditions", "kpi-scorecard"]
    cold, second, third = files
    assert "datasets/kpi-1-3-conditions/kpi-1-3-conditions.csv" in cold
    assert "out/kpi-1-3-conditions/kpi-1-3-outcome-report.html" in cold
    for later in (second, third):
        assert set(later) == set(cold)
        assert [path for path in cold if later[path] != cold[path]] == []
