"""A dataset's GX suite that cannot run is a finding of that dataset: a
missing suite is a ``suite/missing`` warning shown in the report, a broken one (not JSON, an
unknown expectation type, bad kwargs, a malformed rule) a ``suite/unreadable`` error naming the
file, the line and the fix — never ``pipeline/internal-error`` with a traceback, and the other
checks' findings are kept."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import pytest

from flows.validation.expectations.suite_file import entry_lines
from flows.validation.findings import Severity
from flows.validation.report import write_reports
from flows.validation.reports import verdict_of
from flows.validation.validate import validate_table

TODAY = date(2026, 11, 28)
SCHEMA = {"fields": [{"name": "id", "type": "integer", "description_th": "รหัสรายการ"},
                     {"name": "day", "type": "date", "description_th": "วันที่ของรายการ"}],
          "primaryKey": ["id"], "missingValues": [""]}
META = {"rule": "no-future-dates", "severity": "error", "message_th": "วันที่อยู่ในอนาคต",
        "message_en": "the date is in the future", "hint_th": "ตรวจปี", "hint_en": "check the year"}
NOT_NULL = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "day"},
            "meta": {**META, "rule": "day-present"}}


def _dataset(tmp_path: Path, csv: str = "id,day\n1,2020-01-01\n1,\n") -> Path:
    """A dataset with a duplicated key (a schema finding) and an empty day (the suite's)."""
    (tmp_path / "schemas").mkdir()
    (tmp_path / "data.csv").write_text(csv, encoding="utf-8")
    (tmp_path / "schemas" / "data.schema.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    return tmp_path / "schemas" / "data.expectations.json"


def _validate(tmp_path: Path, suite: Path):
    return validate_table(tmp_path / "data.csv", schema_path=tmp_path / "schemas" /
                          "data.schema.json", suite_path=suite, dataset="data", today=TODAY)


def _suite_text(*expectations: dict) -> str:
    return json.dumps({"name": "data", "expectations": list(expectations)}, indent=2)


def test_a_missing_suite_is_a_warning_shown_in_the_report(tmp_path: Path) -> None:
    suite = _dataset(tmp_path, "id,day\n1,2020-01-01\n")
    result = _validate(tmp_path, suite)
    [finding] = result.findings
    assert (finding.rule, finding.severity) == ("suite/missing", Severity.WARNING)
    assert finding.message_en == ("No expectation suite schemas/data.expectations.json: only the "
                                  "Table Schema checked the data")
    assert finding.hint_th and finding.message_th and result.suite_version == ""
    assert verdict_of(result).value == "pass-with-notes" and not result.blocking
    files = write_reports(result, tmp_path / "out")
    for kind in ("html", "markdown", "json"):
        assert "suite/missing" in files[kind].read_text(encoding="utf-8"), kind


@pytest.mark.parametrize(("text", "line", "problem", "fix"), [
    ('{\n  "name": "data",\n  "expectations": [\n    {"type": "x",}\n  ]\n}', 4,
     "the file is not UTF-8 JSON: Expecting property name enclosed in double quotes (column 18)",
     "fix the JSON syntax at that line"),
    # indented two by two, each entry spans 14 lines; the first starts on line 4
    (_suite_text(NOT_NULL, {**NOT_NULL, "type": "expect_column_values_to_be_sparkly"}), 18,
     "expectations[1] (day-present, expect_column_values_to_be_sparkly) is not a valid GX "
     "expectation: expect_column_values_to_be_sparkly not found",
     "use an expectation type GX or flows/validation/expectations/custom defines"),
    (_suite_text({**NOT_NULL, "kwargs": {"colum": "day"}}), 4,
     "expectations[0] (day-present, expect_column_values_to_not_be_null) is not a valid GX "
     "expectation: 2 validation errors for ExpectColumnValuesToNotBeNull; column; field required",
     "use an expectation type GX or flows/validation/expectations/custom defines, with the "
     "keyword arguments it takes"),
    (_suite_text(NOT_NULL, NOT_NULL, {**NOT_NULL, "meta": {**META, "severity": "fatal"}}), 32,
     "expectations[2] (no-future-dates) meta.severity must be 'error' or 'warning', not 'fatal'",
     'write "severity": "error" or "warning"'),
    ('{"name": "data"}', None, "the file must be a GX suite: an object with a list of 'expectations'",
     "write {"),
])
def test_a_broken_suite_is_an_error_finding_with_file_line_and_fix(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, text: str, line: int | None,
        problem: str, fix: str) -> None:
    suite = _dataset(tmp_path)
    suite.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        result = _validate(tmp_path, suite)
    rules = [f.rule for f in result.findings]
    assert "pipeline/internal-error" not in rules and not caplog.records   # no traceback
    assert "schema/primary-key" in rules      # the other checks' findings are kept
    [finding] = [f for f in result.findings if f.check == "suite"]
    assert (finding.rule, finding.severity) == ("suite/unreadable", Severity.ERROR)
    where = f"schemas/data.expectations.json, line {line}" if line else \
        "schemas/data.expectations.json"
    assert finding.message_en.startswith(f"The expectation suite {where} cannot be used, so "
                                         f"none of its rules ran: {problem}"), finding.message_en
    assert finding.hint_en.startswith(f"In {where}: {fix}")
    assert finding.message_th.startswith("ใช้ไฟล์ชุดกฎตรวจสอบคุณภาพ (GX suite) schemas/data"
                                         ".expectations.json")
    assert result.blocking and result.suite_version == ""


def test_a_broken_suite_is_reported_even_when_the_data_cannot_be_checked(tmp_path: Path) -> None:
    suite = _dataset(tmp_path)
    suite.write_text("{oops", encoding="utf-8")
    (tmp_path / "schemas" / "data.schema.json").write_text('{"fields": "x", "primaryKey": "id"}',
                                                           encoding="utf-8")
    rules = {f.rule for f in _validate(tmp_path, suite).findings}
    assert {"schema/schema-error", "suite/unreadable"} <= rules


def test_a_working_suite_runs_and_has_no_suite_finding(tmp_path: Path) -> None:
    suite = _dataset(tmp_path, "id,day\n1,2020-01-01\n2,\n")
    suite.write_text(_suite_text(NOT_NULL), encoding="utf-8")
    result = _validate(tmp_path, suite)
    assert [(f.rule, f.row) for f in result.findings] == [("expectations/day-present", 3)]


def test_entry_lines_are_where_each_expectation_starts() -> None:
    text = ('{"name": "x", "meta": {"a": [1, {"b": "]"}]},\n "expectations": [\n'
            '  {"type": "a"},\n\n  {"type": "b",\n   "kwargs": {}}, {"type": "c"}\n ]}')
    assert entry_lines(text) == [3, 5, 6]
    assert entry_lines('{"expectations": []}') == [] and entry_lines("[]") == []
