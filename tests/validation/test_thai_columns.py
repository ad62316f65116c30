"""Thai forms per column: converted where the schema declares them, flagged everywhere else."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from flows.validation.columnar.thai_cells import thai_cells
from flows.validation.findings import Finding, Severity, clip_value, mask_value
from flows.validation.thai_columns import be_to_ce_text


def _field(**spec):
    return {"name": "f", **spec}


@dataclass
class Column:
    values: list
    converted: bool
    findings: list[Finding]
    flagged_rows: set[int]


def apply_thai_forms(values, spec, *, may_hold_thai_digits=True) -> Column:
    """thai_cells on ``values`` (row 2 first), with each flagged cell's finding as the Table
    Schema check makes it."""
    written = pa.array(list(values), pa.string())
    cells = thai_cells(written, spec, may_hold_thai_digits=may_hold_thai_digits)
    shown = mask_value if spec.get("personalData") else clip_value
    findings = sorted((make(int(position) + 2, spec["name"], shown(written[int(position)].as_py()))
                       for mask, make in cells.flags for position in np.flatnonzero(mask)),
                      key=lambda finding: finding.row)
    converted = cells.values.to_pylist() != written.to_pylist()
    return Column(cells.values.to_pylist(), converted, findings,
                  {int(position) + 2 for position in np.flatnonzero(cells.flagged())})


def test_declared_thai_digits_are_converted_without_findings():
    column = apply_thai_forms(("๑๒", "3", None, "๔.๕"), _field(type="number", thaiDigits=True))
    assert column.converted
    assert list(column.values) == ["12", "3", None, "4.5"]
    assert column.findings == []


def test_undeclared_thai_digits_are_flagged_not_read():
    column = apply_thai_forms(("1", "๒๕๖๗"), _field(type="integer"))
    assert not column.converted
    [finding] = column.findings
    assert (finding.rule, finding.severity, finding.row, finding.value) == (
        "thai/thai-digits", Severity.ERROR, 3, "๒๕๖๗")
    assert '"thaiDigits": true' in finding.hint_en
    assert column.flagged_rows == {3}


def test_buddhist_dates_are_converted_to_iso_ce():
    column = apply_thai_forms(("01/10/2567", "๒๕๖๗-๑๐-๐๒", "", None, "31/02/2567"),
                              _field(type="date", calendar="buddhist"))
    # Unconvertible values stay as written, for frictionless to report as type errors.
    assert list(column.values) == ["2024-10-01", "2024-10-02", "", None, "31/02/2567"]
    assert column.findings == []


def test_buddhist_years_are_converted():
    column = apply_thai_forms(("2567", "๒๕๖๖"), _field(type="year", calendar="buddhist"))
    assert list(column.values) == ["2024", "2023"]


def test_ce_year_in_buddhist_field_is_flagged():
    column = apply_thai_forms(("2567", "2024"), _field(type="year", calendar="buddhist"))
    [finding] = column.findings
    assert (finding.rule, finding.row, finding.value) == (
        "thai/ce-year-in-buddhist-field", 3, "2024")


def test_buddhist_era_year_in_ce_date_is_flagged_not_accepted():
    column = apply_thai_forms(("2024-10-01", "2567-10-01", "01/10/2567"),
                              _field(type="date", format="%d/%m/%Y"))
    assert [(f.rule, f.row, f.value) for f in column.findings] == [
        ("thai/buddhist-era-year", 3, "2567-10-01"), ("thai/buddhist-era-year", 4, "01/10/2567")]
    assert 'calendar": "buddhist' in column.findings[0].hint_en


def test_buddhist_era_year_in_ce_year_field_is_flagged():
    column = apply_thai_forms(("2024", "2567"), _field(type="year"))
    assert [f.row for f in column.findings] == [3]


def test_thai_digit_be_date_in_plain_date_field_gets_one_finding():
    column = apply_thai_forms(("๒๕๖๗-๑๐-๐๑",), _field(type="date"))
    assert [f.rule for f in column.findings] == ["thai/thai-digits"]


def test_declared_thai_digits_still_catch_be_years_in_ce_dates():
    column = apply_thai_forms(("๒๕๖๗-๑๐-๐๑",), _field(type="date", thaiDigits=True))
    assert list(column.values) == ["2567-10-01"]
    [finding] = column.findings
    assert (finding.rule, finding.value) == ("thai/buddhist-era-year", "๒๕๖๗-๑๐-๐๑")


def test_personal_data_values_are_masked():
    column = apply_thai_forms(("2510-05-04",), _field(type="date", personalData=True))
    assert column.findings[0].value == "25******04"


def test_strings_are_left_alone():
    column = apply_thai_forms(("๒๕๖๗", "2567-10-01"), _field(type="string"))
    assert (column.converted, column.findings) == (False, [])


def test_a_column_with_no_text_at_all_is_fine():
    column = apply_thai_forms((None, None), _field(type="date"))
    assert column.findings == []


def test_digit_scan_can_be_skipped_when_the_file_has_no_thai_digits():
    column = apply_thai_forms(("๒",), _field(type="integer"), may_hold_thai_digits=False)
    assert column.findings == []


def test_be_to_ce_text_for_datetimes():
    assert be_to_ce_text("2567-10-01T09:30:00", "datetime") == "2024-10-01T09:30:00"
    assert be_to_ce_text("yesterday", "datetime") is None
