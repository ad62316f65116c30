"""Reports a steward can act on: the record's key beside the row number, one
finding per problem, hints naming commands that exist, a banner that offers waivers only when
one could help, and plain English type texts."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from flows.cli import cli
from flows.datasets import discover_datasets
from flows.validation.findings import Finding, Severity
from flows.validation.one_per_cell import one_finding_per_problem
from flows.validation.record_keys import with_record_keys
from flows.validation.reports import render_html, render_json, render_markdown
from flows.validation.schema_errors import type_text_en
from flows.validation.validate import MISSING_FILE_HINTS, validate_datasets, validate_table
from tests.validation.report_samples import result_with

import pandas as pd

TODAY = date(2026, 11, 28)
FLOWS = Path(__file__).resolve().parents[2] / "flows"

BILLS_SCHEMA = {
    "fields": [
        {"name": "Law_ID", "type": "integer", "title": "รหัสร่าง", "description_th": "รหัสร่างกฎหมาย",
         "constraints": {"required": True}},
        {"name": "parent", "type": "integer", "title": "ร่างหลัก", "description_th": "ร่างที่อ้างถึง"},
        {"name": "proposed", "type": "date", "title": "วันที่เสนอ",
         "description_th": "วันที่เสนอร่าง"},
    ],
    "primaryKey": ["Law_ID"], "missingValues": [""],
    "foreignKeys": [{"fields": ["parent"], "reference": {"resource": "", "fields": ["Law_ID"]}}],
}
NOT_NULL_SUITE = {"name": "bills", "meta": {"version": "1"}, "expectations": [
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "proposed"},
     "meta": {"rule": "proposed-present", "severity": "error", "message_th": "ไม่มีวันที่เสนอ",
              "message_en": "the proposal date is missing", "hint_th": "ใส่วันที่เสนอ",
              "hint_en": "fill in the proposal date"}}]}
# Row 3 (Law_ID 393): an invalid date in a not-null column and a parent that does not exist.
BILLS_CSV = ("Law_ID,parent,proposed\n392,,2024-01-02\n393,99,2024-13-45\n"
             "394,392,2024-02-02\n")


def _bills_project(root: Path, csv: str = BILLS_CSV, schema: dict = BILLS_SCHEMA) -> None:
    for folder in ("metadata/waivers", "schemas", "datasets/bills"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "metadata/bills.yaml").write_text("id: bills\nsource: {encoding: utf-8}\n",
                                              encoding="utf-8")
    (root / "schemas/bills.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (root / "schemas/bills.expectations.json").write_text(json.dumps(NOT_NULL_SUITE),
                                                          encoding="utf-8")
    (root / "datasets/bills/bills.csv").write_text(csv, encoding="utf-8")


@pytest.fixture(scope="module")
def bills(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("bills")
    _bills_project(root)
    return validate_datasets(discover_datasets(root), today=TODAY)["bills"]


def _row_findings(result) -> list[Finding]:
    return [f for f in result.findings if f.row is not None]


def test_one_finding_per_cell_on_a_bad_date_in_a_not_null_column_and_a_bad_self_reference(
        bills) -> None:
    cells = [(f.row, f.field) for f in _row_findings(bills)]
    assert len(cells) == len(set(cells)), [(f.rule, f.row, f.field) for f in bills.findings]
    by_cell = {(f.row, f.field): f for f in _row_findings(bills)}
    # the type error is the more specific finding: the date is invalid, not missing
    assert by_cell[(3, "proposed")].rule == "schema/type-error"
    assert by_cell[(3, "proposed")].value == "2024-13-45"
    assert not any(f.rule == "expectations/proposed-present" for f in bills.findings)
    # the self-reference is checked by frictionless and by the package check: reported once
    assert [f.row for f in bills.findings if f.rule == "schema/foreign-key"] == [3]
    assert by_cell[(3, "parent")].value == "99"


def test_the_key_is_shown_in_json_html_and_markdown(bills) -> None:
    assert {f.key for f in _row_findings(bills)} == {(("Law_ID", "393"),)}
    document = json.loads(render_json(bills))
    rows = [entry for entry in document["findings"] if entry["row"] == 3]
    assert rows and all(entry["key"] == {"Law_ID": "393"} for entry in rows)
    assert all(entry["key"] is None for entry in document["findings"] if entry["row"] is None)
    html = render_html(bills)
    assert "Record key" in html
    assert re.search(r'<td[^>]*>3</td><td[^>]*><code>Law_ID</code> 393</td>', html)
    assert "row 3 (Law\\_ID 393)" in render_markdown(bills)


def test_keys_follow_the_schemas_primary_key(tmp_path: Path) -> None:
    composite = dict(BILLS_SCHEMA, primaryKey=["Law_ID", "proposed"], foreignKeys=[])
    frame = pd.DataFrame({"Law_ID": pd.array([7, 8], dtype="Int64"),
                          "proposed": pd.to_datetime(["2024-01-02", None])}, index=[2, 3])
    findings = [Finding(rule="x/y", severity=Severity.ERROR, message_th="ก", message_en="a",
                        row=row, field="parent") for row in (2, 3, 9)] + [
        Finding(rule="x/table", severity=Severity.ERROR, message_th="ก", message_en="a")]
    keyed = with_record_keys(findings, frame, composite)
    assert [f.key for f in keyed] == [(("Law_ID", "7"), ("proposed", "2024-01-02")),
                                      (("Law_ID", "8"), ("proposed", None)), None, None]
    # no declared key: nothing is guessed (schema/no-primary-key tells the steward to add one)
    assert all(f.key is None for f in with_record_keys(findings, frame, {"fields": []}))
    personal = dict(composite, fields=[dict(BILLS_SCHEMA["fields"][0], personalData=True)])
    frame_ids = pd.DataFrame({"Law_ID": ["1101700203451"], "proposed": [None]}, index=[2])
    [masked] = with_record_keys(findings[:1], frame_ids, personal)
    assert masked.key[0] == ("Law_ID", "11*********51")


def test_a_renamed_header_gives_one_finding_with_its_hint(tmp_path: Path) -> None:
    _bills_project(tmp_path, csv="Law_ID,parent_id,proposed\n392,,2024-01-02\n")
    result = validate_table(tmp_path / "datasets/bills/bills.csv",
                            schema_path=tmp_path / "schemas/bills.schema.json",
                            suite_path=None, dataset="bills", today=TODAY)
    header = [f for f in result.findings if f.row is None and f.check == "structure"]
    assert [f.rule for f in header] == ["structure/header-mismatch"]
    assert '"parent_id" → "parent"' in header[0].message_en


def _cell(rule: str, severity: Severity = Severity.ERROR, *, row: int = 5,
          field: str = "d", waived: str | None = None) -> Finding:
    return Finding(rule=rule, severity=severity, message_th="ก", message_en="a", row=row,
                   field=field, waived_by=waived)


def test_which_finding_wins_on_one_cell() -> None:
    type_error, not_null = _cell("schema/type-error"), _cell("expectations/present")
    assert one_finding_per_problem([not_null, type_error]) == [type_error]
    # a waived finding never hides an unwaived one: dropping must not unblock the record
    waived = _cell("schema/type-error", waived="steward: known (until 2027-01-01)")
    assert one_finding_per_problem([waived, not_null]) == [not_null]
    # a warning never wins over an error
    warning = _cell("schema/out-of-range", Severity.WARNING)
    assert one_finding_per_problem([warning, not_null]) == [not_null]
    # personal data, other cells and multi-column rules are kept
    personal = _cell("personal-data/email")
    pair = _cell("expectations/pair", field="a, b")
    other = _cell("expectations/present", row=6)
    assert one_finding_per_problem([type_error, personal, pair, other, not_null]) == [
        type_error, personal, pair, other]


def _banner(html: str) -> str:
    return re.search(r'<p class="why">(.*?)</p>', html, re.S).group(1)


def test_the_banner_offers_waivers_only_when_a_waiver_could_help() -> None:
    personal = _cell("personal-data/thai-national-id")
    only_personal = _banner(render_html(result_with([personal])))
    assert "waived by" not in only_personal and "ยกเว้นไม่ได้" in only_personal
    assert "อนุมัติยกเว้น" not in only_personal
    assert "cannot be waived" in only_personal
    mixed = _banner(render_html(result_with([personal, _cell("schema/type-error")])))
    assert "waived by the data steward" in mixed


@pytest.mark.parametrize("field, text", [
    ({"type": "date"}, "not a valid date (YYYY-MM-DD)"),
    ({"type": "date", "format": "%d/%m/%Y"}, "not a valid date (DD/MM/YYYY)"),
    ({"type": "date", "format": "any"}, "not a valid date"),
    ({"type": "datetime"}, "not a valid date and time (YYYY-MM-DDThh:mm:ss)"),
    ({"type": "integer"}, "not a whole number"),
    ({"type": "number"}, "not a number"),
    ({"type": "boolean", "trueValues": ["ใช่"], "falseValues": ["ไม่ใช่"]},
     "not true or false (ใช่ / ไม่ใช่)"),
    ({"type": "string", "format": "email"}, "not a valid e-mail address"),
])
def test_english_type_texts_are_plain(field: dict, text: str) -> None:
    assert type_text_en(field) == text


def test_the_type_error_finding_reads_plainly(bills) -> None:
    [finding] = [f for f in bills.findings if f.rule == "schema/type-error"]
    assert finding.message_en == 'Row 3, field "proposed": not a valid date (YYYY-MM-DD)'
    assert "/default" not in render_json(bills)


_COMMAND = re.compile(r"`senate-catalog ([a-z-]+)([^`]*)`")


def _hint_texts() -> list[str]:
    """Every `senate-catalog ...` a validation message or hint names, from the source."""
    return [match for path in sorted((FLOWS / "validation").rglob("*.py"))
            for match in _COMMAND.findall(path.read_text(encoding="utf-8"))]


def test_hints_name_commands_and_options_that_exist() -> None:
    named = _hint_texts()
    assert ("new", " <id> --from <CSV or Excel file>") in named
    for command, rest in named:
        assert command in cli.commands, f"a hint names `senate-catalog {command}`"
        options = {opt for param in cli.commands[command].params for opt in param.opts}
        for option in re.findall(r"--[a-z-]+", rest):
            assert option in options, f"`senate-catalog {command}` has no {option}"


def test_the_missing_schema_hint_does_not_send_the_steward_to_ingest(tmp_path: Path) -> None:
    _bills_project(tmp_path)
    (tmp_path / "schemas/bills.schema.json").unlink()
    result = validate_table(tmp_path / "datasets/bills/bills.csv",
                            schema_path=tmp_path / "schemas/bills.schema.json",
                            suite_path=None, dataset="bills", today=TODAY)
    [missing] = [f for f in result.findings if f.rule == "config/missing-file"]
    assert "ingest" not in missing.hint_en + missing.hint_th
    assert "senate-catalog new" in missing.hint_en
    assert MISSING_FILE_HINTS["Table Schema"] == (missing.hint_th, missing.hint_en)
