"""Every dataset declares an update schedule the catalog can count; those without one get a
warning saying what to declare (metadata/update-frequency), waivable by the steward."""

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from flows.describe.scheming import load_schema_rules
from flows.settings import PROJECT_ROOT
from flows.validation.declared_metadata import RULE
from flows.validation.findings import Severity
from flows.validation.validate_and_report import run_validation
from flows.validation.update_frequency import update_frequency_findings

DATED = {"fields": [{"name": "d", "type": "date"}]}
UNDATED = {"fields": [{"name": "n", "type": "integer"}]}


@pytest.mark.parametrize("dga", [{}, {"update_frequency_unit": "ไม่ทราบ"},
                                 {"update_frequency_unit": "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"},
                                 {"update_frequency_unit": "อื่นๆ",
                                  "update_frequency_unit_other": "ตามต้องการ"}])
def test_no_countable_schedule_is_a_warning_saying_what_to_declare(dga: dict) -> None:
    [finding] = update_frequency_findings({"dga": dga}, DATED, dataset="x")
    assert (finding.rule, finding.severity) == ("metadata/update-frequency", Severity.WARNING)
    assert finding.field == "update_frequency_unit"
    assert "ไม่กำหนดรอบ" in finding.message_th
    assert "update_frequency_interval" in finding.hint_en and "waive" in finding.hint_en


@pytest.mark.parametrize("unit", ["ปี", "ไตรมาส", "เดือน", "สัปดาห์", "วัน", "วันทำการ"])
def test_a_countable_schedule_with_dates_is_fine(unit: str) -> None:
    dga = {"update_frequency_unit": unit, "update_frequency_interval": "1"}
    assert update_frequency_findings({"dga": dga}, DATED, dataset="x") == []


def test_a_schedule_without_any_date_asks_for_the_source_date() -> None:
    dga = {"update_frequency_unit": "ปี", "update_frequency_interval": "1"}
    [finding] = update_frequency_findings({"dga": dga}, UNDATED, dataset="x")
    assert finding.rule == "metadata/last-update-unknown"
    assert "freshness.source_date" in finding.hint_en
    declared = {"dga": dga, "freshness": {"source_date": date(2023, 9, 26)}}
    assert update_frequency_findings(declared, UNDATED, dataset="x") == []


def test_validation_reports_it_and_a_waiver_accepts_it(tmp_path: Path) -> None:
    """Through the real validation stage, on a copy of a project dataset with its frequency
    removed: first a warning, then, with the steward's waiver, a waived finding."""
    root = tmp_path / "project"
    for folder in ("catalog_config", "schemas"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    (root / "datasets" / "senate-units").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "datasets" / "senate-units" / "senate-units.csv",
                root / "datasets" / "senate-units")
    metadata = yaml.safe_load((PROJECT_ROOT / "metadata" / "senate-units.yaml").read_text("utf-8"))
    del metadata["dga"]["update_frequency_unit"], metadata["dga"]["update_frequency_interval"]
    (root / "metadata" / "waivers").mkdir(parents=True)
    (root / "metadata" / "senate-units.yaml").write_text(
        yaml.safe_dump(metadata, allow_unicode=True), encoding="utf-8")

    def found() -> list:
        [report] = run_validation(root, out_dir=tmp_path / "out", today=date(2026, 12, 5),
                                  dataset_ids=["senate-units"])
        return [f for f in report.result.findings if f.rule.startswith("metadata/")
                and f.rule != RULE]   # plan's required-field check, below

    [warning] = found()
    [report] = run_validation(root, out_dir=tmp_path / "out", today=date(2026, 12, 5),
                              dataset_ids=["senate-units"])
    assert [f.message_en for f in report.result.findings if f.rule == RULE] == [
        "metadata/senate-units.yaml: dga.update_frequency_unit: required but missing; allowed "
        "(one of): " + ", ".join(load_schema_rules().fields["update_frequency_unit"].choices)]
    assert (warning.rule, warning.severity, warning.waived_by) == (
        "metadata/update-frequency", Severity.WARNING, None)
    (root / "metadata" / "waivers" / "senate-units.yaml").write_text(yaml.safe_dump({"waivers": [{
        "rule": "metadata/update-frequency", "field": "update_frequency_unit",
        "reason": "a closed code list", "by": "steward", "expires": "2027-12-31"}]}),
        encoding="utf-8")
    [waived] = found()
    assert waived.waived_by and "steward" in waived.waived_by


def test_every_project_dataset_has_a_schedule_or_a_waiver_for_not_having_one() -> None:
    for path in sorted((PROJECT_ROOT / "metadata").glob("*.yaml")):
        metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
        findings = update_frequency_findings(metadata, {"fields": []}, dataset=path.stem)
        if not findings or findings[0].rule != "metadata/update-frequency":
            continue
        waivers = PROJECT_ROOT / "metadata" / "waivers" / path.name
        rules = [w["rule"] for w in (yaml.safe_load(waivers.read_text("utf-8")) or {}).get(
            "waivers", [])] if waivers.exists() else []
        assert "metadata/update-frequency" in rules, path.stem
