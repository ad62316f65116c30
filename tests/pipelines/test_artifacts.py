"""The builders of the run's Prefect artifacts, from hand-made outcomes (no Prefect, no CKAN)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from flows.catalog.gate import Decision, Outcome, Reason
from flows.pipelines.artifacts import (new_report_links, report_link, summary_markdown,
                                      table_rows)
from flows.orchestrate.outcome import DatasetOutcome, RunInfo
from flows.orchestrate.stages import Prepared, Registered
from flows.validation.findings import Finding, Severity, ValidationResult
from flows.validation.schema_errors import rule_for
from flows.validation.update_frequency import update_frequency_findings
from flows.validation.validate_and_report import DatasetReport

CATALOG = "http://127.0.0.1:21500"
STARTED = datetime(2026, 11, 27, 19, 0, tzinfo=timezone.utc)
#: The slug the validation gives a cell that is not of its field's type (schema_errors.py).
TYPE_ERROR = "schema/type-error"


def test_the_fixture_rule_is_the_one_the_validation_emits() -> None:
    assert rule_for("type-error") == TYPE_ERROR


def type_error(*, waived: bool = False) -> Finding:
    """A blocking finding as the table-schema check words it (the artifacts only count it)."""
    return Finding(rule=TYPE_ERROR, severity=Severity.ERROR, message_th="ผิดชนิด",
                   message_en="wrong type", row=2, field="vote_date", value="x",
                   waived_by="ผู้ดูแลข้อมูล: รอตรวจสอบ (until 2027-03-31)" if waived else None)


def last_update_unknown() -> Finding:
    """A real warning: a yearly dataset without any date (``metadata/last-update-unknown``)."""
    dga = {"update_frequency_unit": "ปี", "update_frequency_interval": "1"}
    [warning] = update_frequency_findings({"dga": dga}, {"fields": []}, dataset="x")
    assert (warning.rule, warning.severity) == ("metadata/last-update-unknown", Severity.WARNING)
    return warning


def prepared(tmp_path: Path, dataset: str, *, errors: int = 0, warnings: int = 0,
             waived: int = 0, rows: int = 146) -> Prepared:
    findings = ([type_error() for _ in range(errors)]
                + [last_update_unknown() for _ in range(warnings)]
                + [type_error(waived=True) for _ in range(waived)])
    result = ValidationResult(dataset=dataset, source=f"datasets/{dataset}/{dataset}.csv",
                              source_sha256="0" * 64, encoding="utf-8", schema_version="1",
                              suite_version="1", rows=rows, findings=findings)
    folder = tmp_path / "out" / dataset
    files = {"html": folder / "report.html", "json": folder / "validation.json",
             "markdown": folder / "summary.md"}
    return Prepared(dataset=dataset, report=DatasetReport(result=result, files=files))


def catalog_entry(name: str, *, report: str | None = "res-report") -> dict:
    resources = {"data": "res-data", **({"report": report} if report else {})}
    return {"name": name, "id": f"id-{name}", "private": False,
            "metadata_modified": "2026-11-27T19:00:05.000001", "resources": resources}


@pytest.fixture
def run(tmp_path: Path) -> RunInfo:
    return RunInfo(run_id="7d0c7f5e-0000-4000-8000-000000000001", run_name="blue-echidna",
                   today=date(2026, 11, 28), catalog_url=CATALOG, root=tmp_path)


@pytest.fixture
def outcomes(tmp_path: Path) -> list[DatasetOutcome]:
    public = Decision(Outcome.PUBLIC, (Reason("เปิดเผย", "open"),))
    published = DatasetOutcome(
        dataset="senate-votes", started_at=STARTED, status="published",
        prepared=prepared(tmp_path, "senate-votes", warnings=7, waived=1),
        registered=Registered(status="published", decision=public, write_calls=6,
                              catalog=[catalog_entry("senate-votes")]))
    unchanged = DatasetOutcome(
        dataset="senators", started_at=STARTED, status="unchanged", cached=True,
        prepared=prepared(tmp_path, "senators", rows=252, warnings=3),
        registered=Registered(status="unchanged", decision=public,
                              catalog=[catalog_entry("senators"),
                                       catalog_entry("senators-internal", report=None)]))
    held = DatasetOutcome(
        dataset="senator-votes", started_at=STARTED, status="held",
        reason="พบข้อผิดพลาดร้ายแรง 2 รายการ / 2 blocking finding(s)",
        prepared=prepared(tmp_path, "senator-votes", errors=2),
        registered=Registered(status="held", decision=None))
    failed = DatasetOutcome(dataset="broken", started_at=STARTED).fail(
        "validation crashed: ConfigError: metadata/broken.yaml is not valid YAML")
    return [published, unchanged, held, failed]


def test_one_table_row_per_dataset_with_counts_status_and_link(outcomes, run) -> None:
    rows = table_rows(outcomes, run)
    assert [row["dataset"] for row in rows] == ["senate-votes", "senators", "senator-votes",
                                                "broken"]
    by_id = {row["dataset"]: row for row in rows}
    assert by_id["senate-votes"] == {
        "dataset": "senate-votes", "rows": 146, "errors": 0, "warnings": 7, "waived": 1,
        "validation": "ran", "status": "published", "why": "",
        "link": f"{CATALOG}/dataset/senate-votes"}
    assert by_id["senators"]["validation"] == "cached"
    assert by_id["senators"]["link"] == f"{CATALOG}/dataset/senators"  # the public one first
    assert (by_id["senator-votes"]["status"], by_id["senator-votes"]["errors"],
            by_id["senator-votes"]["link"]) == ("held", 2, "")
    assert by_id["senator-votes"]["why"].startswith("พบข้อผิดพลาดร้ายแรง")
    assert by_id["broken"] == {
        "dataset": "broken", "rows": None, "errors": None, "warnings": None, "waived": None,
        "validation": "-", "status": "failed", "why": outcomes[3].reason, "link": ""}


def test_the_summary_is_thai_first_and_names_every_dataset(outcomes, run) -> None:
    text = summary_markdown(outcomes, run)
    assert text.startswith("# ผลการทำงานรอบ blue-echidna / Catalog run blue-echidna")
    assert "2026-11-28" in text and CATALOG in text
    assert "4 datasets, 2 held or failed, 6 catalog write calls" in text
    lines = {line.split("|")[1].strip(): line for line in text.splitlines()
             if line.startswith("| ") and not line.startswith("| ชุดข้อมูล")}
    assert set(lines) == {"senate-votes", "senators", "senator-votes", "broken"}
    assert "เผยแพร่แล้ว (published)" in lines["senate-votes"]
    assert "ไม่เปลี่ยนแปลง (unchanged)" in lines["senators"]
    assert "ระงับการเผยแพร่ (held)" in lines["senator-votes"]
    assert "ล้มเหลว (failed)" in lines["broken"]
    report = (run.root / "out" / "senate-votes" / "report.html").resolve().as_uri()
    assert f"[report.html]({report})" in lines["senate-votes"]
    assert f"{CATALOG}/dataset/senate-votes" in lines["senate-votes"]


def test_the_summary_says_why_each_dataset_was_not_published(outcomes, run) -> None:
    text = summary_markdown(outcomes, run)
    why = text.split("## เหตุผล / Why", 1)[1]
    assert f"- **senator-votes** (held): {outcomes[2].reason}" in why
    assert f"- **broken** (failed): {outcomes[3].reason}" in why
    assert "senate-votes" not in why


def test_a_run_with_nothing_wrong_has_no_why_section(outcomes, run) -> None:
    text = summary_markdown(outcomes[:2], run)
    assert "เหตุผล" not in text
    assert "2 datasets, 0 held or failed, 6 catalog write calls" in text


def test_the_report_link_is_the_catalog_resource_else_the_local_file(outcomes, run) -> None:
    published, unchanged, held, failed = outcomes
    assert report_link(published, run) == f"{CATALOG}/dataset/senate-votes/resource/res-report"
    assert report_link(unchanged, run) == f"{CATALOG}/dataset/senators/resource/res-report"
    local = (run.root / "out" / "senator-votes" / "report.html").resolve().as_uri()
    assert report_link(held, run) == local
    assert report_link(failed, run) is None


def test_only_datasets_that_may_have_changed_get_a_new_report_link_artifact(outcomes,
                                                                            run) -> None:
    published, unchanged, held, failed = outcomes
    links = new_report_links(outcomes, run)
    assert links == {"senate-votes": report_link(published, run),
                     "senator-votes": report_link(held, run)}   # failed: no report at all
    unchanged.cached = False    # validated again (e.g. the day changed): its report is new
    assert new_report_links([unchanged], run) == {"senators": report_link(unchanged, run)}
