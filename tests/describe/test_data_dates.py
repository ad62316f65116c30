"""last_updated_date and coverage come from the data's own dates, never from a cell validation
flagged, else from the declared source date; coverage follows the fiscal year described."""

import json
from datetime import date
from pathlib import Path

import pytest

from flows.describe import derived
from flows.describe.data_dates import data_dates
from flows.errors import ConfigError
from flows.validation.findings import Finding, Severity
from flows.validation.validate import validate_table

TODAY = date(2026, 12, 5)
SCHEMA = {"fields": [{"name": "bill_no", "type": "integer"},
                     {"name": "fiscal_year_be", "type": "integer"},
                     {"name": "introduced_on", "type": "date"},
                     {"name": "passed_on", "type": "date"}]}
#: A bills list of one Senate term: a date outside the term is impossible for it.
SUITE = {"name": "bills", "meta": {"version": "1"},
         "suite_parameters": {"term_start": "2019-05-11", "term_end": "2024-05-10"},
         "expectations": [
             {"type": "expect_column_values_to_be_between",
              "kwargs": {"column": column, "min_value": {"$PARAMETER": "term_start"},
                         "max_value": {"$PARAMETER": "term_end"}},
              "meta": {"rule": "within-term", "severity": "warning",
                       "message_th": "วันที่อยู่นอกวาระ", "message_en": "date outside the term",
                       "hint_th": "ตรวจวันที่", "hint_en": "check the date"}}
             for column in ("introduced_on", "passed_on")]}


def _project(tmp_path: Path, rows: str) -> tuple[Path, Path, Path]:
    csv_path, schema_path, suite_path = (tmp_path / "bills.csv", tmp_path / "bills.schema.json",
                                         tmp_path / "bills.expectations.json")
    csv_path.write_text("bill_no,fiscal_year_be,introduced_on,passed_on\n" + rows,
                        encoding="utf-8")
    schema_path.write_text(json.dumps(SCHEMA), encoding="utf-8")
    suite_path.write_text(json.dumps(SUITE), encoding="utf-8")
    return csv_path, schema_path, suite_path


def _dates(csv_path: Path, findings: list[Finding], **declared) -> tuple:
    when = data_dates(csv_path, SCHEMA, encoding="utf-8", findings=findings,
                      source_date=declared.get("source_date"),
                      fiscal_year_field=declared.get("fiscal_year_field"), today=TODAY,
                      fiscal_year_be=declared.get("fiscal_year_be"))
    return when.last_updated, when.coverage


def test_a_cell_validation_flagged_never_gives_the_last_update(tmp_path: Path) -> None:
    # Row 4's passed_on (2025-01-10) is a real calendar date, but after the term: validation
    # flags it. Row 5's 2563-09-24 is a Buddhist-Era year in a CE column (flagged too).
    csv_path, schema_path, suite_path = _project(tmp_path, (
        "1,2563,2019-08-05,2019-09-01\n"
        "2,2563,2020-01-15,2020-09-24\n"
        "3,2564,2020-11-02,2025-01-10\n"
        "4,2564,2563-09-24,\n"))
    result = validate_table(csv_path, schema_path=schema_path, suite_path=suite_path,
                            dataset="bills", today=TODAY)
    flagged = {(f.row, f.field) for f in result.findings if f.row is not None}
    assert (4, "passed_on") in flagged and (5, "introduced_on") in flagged
    assert _dates(csv_path, result.findings) == ("2020-11-02", (2019, 2020))
    # Without the findings the flagged cells would have won: the test is about the skipping.
    assert _dates(csv_path, []) == ("2025-01-10", (2019, 2025))


def test_a_finding_on_the_whole_row_skips_every_date_of_that_row(tmp_path: Path) -> None:
    csv_path, *_ = _project(tmp_path, "1,2563,2019-08-05,\n2,2563,2020-09-24,\n")
    row_finding = Finding(rule="schema/extra-cell", severity=Severity.ERROR, message_th="x",
                          message_en="x", row=3)
    waived = Finding(rule="schema/extra-cell", severity=Severity.ERROR, message_th="x",
                     message_en="x", row=3, waived_by="steward: known")
    assert _dates(csv_path, [row_finding]) == ("2019-08-05", (2019, 2019))
    assert _dates(csv_path, [waived]) == ("2019-08-05", (2019, 2019))


def test_dates_after_today_are_never_the_last_update(tmp_path: Path) -> None:
    csv_path, *_ = _project(tmp_path, "1,2570,2020-01-01,2027-01-01\n")
    assert _dates(csv_path, [])[0] == "2020-01-01"


def test_no_usable_date_falls_back_to_the_declared_source_date(tmp_path: Path) -> None:
    csv_path, *_ = _project(tmp_path, "1,2567,,\n")
    assert _dates(csv_path, [], source_date="2023-09-26") == ("2023-09-26", None)
    assert _dates(csv_path, []) == (None, None)
    # every date flagged: the declared date, not the flagged one
    csv_path, *_ = _project(tmp_path, "1,2567,2025-01-01,\n")
    flagged = [Finding(rule="expectations/within-term", severity=Severity.WARNING,
                       message_th="x", message_en="x", row=2, field="introduced_on")]
    assert _dates(csv_path, flagged, source_date="2023-09-26")[0] == "2023-09-26"


def test_coverage_is_the_fiscal_year_described_not_the_reporting_day(tmp_path: Path) -> None:
    # An FY2567 scorecard reported in 2026 (BE 2569) covers 2567 (CE 2024).
    csv_path, *_ = _project(tmp_path, "1,2567,2026-11-28,\n2,2567,2026-11-28,\n")
    assert _dates(csv_path, [], fiscal_year_field="fiscal_year_be") == ("2026-11-28",
                                                                          (2024, 2024))
    assert _dates(csv_path, [])[1] == (2026, 2026)
    assert _dates(csv_path, [], fiscal_year_be=2566)[1] == (2023, 2023)
    with pytest.raises(ConfigError, match="fiscal_year_field: 'fy'"):
        _dates(csv_path, [], fiscal_year_field="fy")


def test_flagged_cells_names_rows_and_fields() -> None:
    findings = [Finding(rule="a/b", severity=Severity.WARNING, message_th="", message_en="",
                        row=7, field="d"),
                Finding(rule="a/c", severity=Severity.WARNING, message_th="", message_en="",
                        field="d")]   # a column-level finding flags no cell
    assert derived.flagged_cells(findings) == {(7, "d")}
