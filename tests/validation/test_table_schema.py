"""check_table: frictionless structure + schema findings, Thai forms, and the typed frame."""

from __future__ import annotations

import pandas as pd
import pytest

from flows.validation.finding_limits import DEFAULT_LIMIT
from flows.validation.findings import Severity
from flows.validation.table_schema import check_table, frictionless_descriptor

VOTES = {
    "fields": [
        {"name": "vote_id", "type": "integer", "constraints": {"required": True}},
        {"name": "vote_date", "type": "date"},
        {"name": "title", "type": "string"},
        {"name": "passed", "type": "boolean"},
        {"name": "approve", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "vote_code", "type": "string", "constraints": {"enum": ["1", "2", "3"]}},
    ],
    "primaryKey": ["vote_id"],
}
HEADER = "vote_id,vote_date,title,passed,approve,vote_code\n"


def _check(body: str, schema: dict = VOTES, **options):
    return check_table(HEADER + body, schema, name="senate-votes", **options)


def _rules(result) -> list[tuple[str, int | None, str | None]]:
    return [(f.rule, f.row, f.field) for f in result.findings]


def test_valid_table_has_no_findings_and_a_frame_per_contract():
    result = _check("1,2024-10-01,ร่าง พ.ร.บ.,true,120,1\n2,2024-10-02,,false,,2\n")
    assert result.findings == []
    assert result.rows == 2
    frame = result.frame
    assert list(frame.columns) == [f["name"] for f in VOTES["fields"]]
    assert list(frame.index) == [2, 3]
    assert frame.dtypes.astype(str).to_dict() == {
        "vote_id": "Int64", "vote_date": "datetime64[ns]", "title": "string",
        "passed": "boolean", "approve": "Int64", "vote_code": "string"}
    assert frame.at[2, "title"] == "ร่าง พ.ร.บ."
    assert frame.at[3, "title"] is pd.NA
    assert frame.at[2, "vote_date"] == pd.Timestamp("2024-10-01")
    assert pd.isna(frame.at[3, "approve"])


def test_type_error_is_a_finding_and_na_in_the_frame():
    result = _check("1,2024-10-01,a,true,many,1\n")
    [finding] = result.findings
    assert (finding.rule, finding.severity, finding.row, finding.field, finding.value) == (
        "schema/type-error", Severity.ERROR, 2, "approve", "many")
    assert "จำนวนเต็ม" in finding.message_th
    assert finding.message_en == 'Row 2, field "approve": not a whole number'
    assert finding.hint_th and finding.hint_en
    assert pd.isna(result.frame.at[2, "approve"])


def test_constraint_errors_name_the_constraint_and_keep_the_value():
    result = _check("1,2024-10-01,a,true,-5,9\n,2024-10-02,b,true,1,1\n")
    findings = {(f.row, f.field): f for f in result.findings}
    assert "ค่าต่ำสุด" in findings[(2, "approve")].message_th
    assert "รายการ" in findings[(2, "vote_code")].message_th
    assert "ห้ามว่าง" in findings[(3, "vote_id")].message_th
    assert result.frame.at[2, "approve"] == -5  # parsed fine; only the constraint failed


def test_duplicate_primary_key_shows_the_key():
    result = _check("1,2024-10-01,a,true,1,1\n1,2024-10-02,b,true,1,1\n")
    [finding] = result.findings
    assert (finding.rule, finding.row, finding.value) == ("schema/primary-key", 3, "1")
    assert "ซ้ำกับแถว 2" in finding.message_th


def test_structure_errors_are_reported_and_blank_rows_leave_the_frame():
    result = _check("1,2024-10-01,a,true,1\n\n3,2024-10-03,c,true,1,1,surplus\n")
    assert _rules(result) == [
        ("structure/missing-cell", 2, "vote_code"),
        ("structure/blank-row", 3, None),
        ("structure/extra-cell", 4, None),
    ]
    assert all(f.severity is Severity.ERROR for f in result.findings)
    assert result.findings[2].value == "surplus"
    assert list(result.frame.index) == [2, 4]


def test_every_error_is_counted_and_the_first_ones_listed_per_rule_and_field():
    body = "".join(f"{i},2024-10-01,t,true,x,1\n" for i in range(1, 1501))
    result = _check(body)
    listed = [f for f in result.findings if not f.omitted]
    [summary] = [f for f in result.findings if f.omitted]
    assert len(listed) == DEFAULT_LIMIT
    assert [f.row for f in listed] == list(range(2, 2 + DEFAULT_LIMIT))
    assert {(f.rule, f.field) for f in listed} == {("schema/type-error", "approve")}
    assert (summary.rule, summary.field, summary.omitted) == (
        "schema/type-error", "approve", 1500 - DEFAULT_LIMIT)


def test_renamed_column_gets_a_header_finding():
    text = HEADER.replace("approve", "approved") + "1,2024-10-01,a,true,1,1\n"
    result = check_table(text, VOTES, name="senate-votes")
    rules = [f.rule for f in result.findings]
    assert rules == ["structure/header-mismatch", "structure/incorrect-label"]
    assert 'probably renamed "approved" → "approve"' in result.findings[0].message_en
    assert "เปลี่ยนชื่อ" in result.findings[0].message_th


def test_missing_and_extra_columns_get_a_header_finding():
    schema = {"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}
    result = check_table("a,c,d\n1,2,3\n", schema, name="t")
    header = result.findings[0]
    assert header.rule == "structure/header-mismatch"
    assert '"b"' in header.message_en


def test_personal_data_values_are_masked_in_findings():
    schema = {"fields": [{"name": "id", "type": "integer"},
                         {"name": "birthdate", "type": "date", "personalData": True}]}
    result = check_table("id,birthdate\n1,04/05/1967\n", schema, name="senators")
    [finding] = result.findings
    assert finding.value == "04******67"
    assert "04/05/1967" not in finding.message_en + finding.message_th


def test_thai_digits_in_an_integer_field_are_flagged_not_read_as_a_number():
    result = _check("๒๕๖๗,2024-10-01,a,true,1,1\n")
    [finding] = result.findings
    assert (finding.rule, finding.row, finding.field) == ("thai/thai-digits", 2, "vote_id")
    assert pd.isna(result.frame.at[2, "vote_id"])


def test_buddhist_era_date_in_ce_field_is_flagged_not_accepted_as_year_2567():
    result = _check("1,2567-10-01,a,true,1,1\n")
    [finding] = result.findings
    assert (finding.rule, finding.field, finding.value) == (
        "thai/buddhist-era-year", "vote_date", "2567-10-01")
    assert pd.isna(result.frame.at[2, "vote_date"])


def test_declared_thai_forms_are_converted_before_type_checks():
    schema = {"fields": [
        {"name": "sitting_date", "type": "date", "calendar": "buddhist", "format": "%d/%m/%Y"},
        {"name": "fiscal_year", "type": "year", "calendar": "buddhist"},
        {"name": "seats", "type": "integer", "thaiDigits": True, "constraints": {"maximum": 250}},
    ]}
    text = "sitting_date,fiscal_year,seats\n๐๑/๑๐/๒๕๖๗,๒๕๖๘,๒๕๐\n31/02/2567,2568,๒๕๑\n"
    result = check_table(text, schema, name="t")
    assert _rules(result) == [("schema/type-error", 3, "sitting_date"),
                              ("schema/constraint-error", 3, "seats")]
    # Findings show what the steward wrote, not the converted value.
    assert [f.value for f in result.findings] == ["31/02/2567", "๒๕๑"]
    assert "DD/MM/BBBB" in result.findings[0].hint_en
    frame = result.frame
    assert frame.at[2, "sitting_date"] == pd.Timestamp("2024-10-01")
    assert frame.at[2, "fiscal_year"] == 2025
    assert frame.at[2, "seats"] == 250
    assert pd.isna(frame.at[3, "sitting_date"])


def test_values_frictionless_reads_but_pandas_does_not_still_reach_the_frame():
    schema = {"fields": [
        {"name": "amount", "type": "number", "bareNumber": False},
        {"name": "ok", "type": "boolean", "trueValues": ["ใช่"], "falseValues": ["ไม่ใช่"]},
        {"name": "when", "type": "datetime"},
    ]}
    text = ("amount,ok,when\n฿1500.50,ใช่,2024-10-01T09:30:00+07:00\n"
            "20 บาท,ไม่ใช่,2024-10-01T09:30:00\n")
    result = check_table(text, schema, name="t")
    assert result.findings == []
    frame = result.frame
    assert frame["amount"].tolist() == [1500.5, 20.0]
    assert frame["ok"].tolist() == [True, False]
    assert frame.at[2, "when"] == pd.Timestamp("2024-10-01T02:30:00")  # kept as UTC
    assert str(frame["when"].dtype) == "datetime64[ns]"


def test_valid_values_the_frame_cannot_hold_are_a_warning():
    schema = {"fields": [{"name": "d", "type": "date"}, {"name": "n", "type": "integer"}]}
    result = check_table("d,n\n2300-01-01,1\n2024-01-01,99999999999999999999\n", schema, name="t")
    assert [(f.rule, f.severity, f.row) for f in result.findings] == [
        ("schema/out-of-range", Severity.WARNING, 2), ("schema/out-of-range", Severity.WARNING, 3)]
    assert pd.isna(result.frame.at[2, "d"]) and pd.isna(result.frame.at[3, "n"])


def test_self_referencing_foreign_key_is_checked():
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "parent", "type": "integer"}],
              "foreignKeys": [{"fields": "parent", "reference": {"resource": "", "fields": "id"}}]}
    result = check_table("id,parent\n1,\n2,1\n3,9\n", schema, name="t")
    [finding] = result.findings
    assert (finding.rule, finding.row, finding.value) == ("schema/foreign-key", 4, "9")


def test_foreign_keys_to_other_tables_are_left_to_the_package_check():
    schema = {"fields": [{"name": "senator_id", "type": "integer"}],
              "foreignKeys": [{"fields": "senator_id",
                               "reference": {"resource": "senators", "fields": "senator_id"}}]}
    assert frictionless_descriptor(schema, name="senator-votes")["foreignKeys"] == []
    result = check_table("senator_id\n1\n", schema, name="senator-votes")
    assert result.findings == []


def test_invalid_schema_gives_a_finding_and_an_empty_frame():
    schema = {"fields": [{"name": "id", "type": "magical_unicorn"}]}
    result = check_table("id\n1\n", schema, name="t")
    assert [f.rule for f in result.findings] == ["schema/field-error"]
    assert result.frame.empty


def test_malformed_quoting_is_reported():
    result = _check('1,2024-10-01,"a" b,true,1,1\n')
    assert ("structure/malformed-quoting", 2, None) in _rules(result)


def test_header_only_file_gives_an_empty_typed_frame():
    result = _check("")
    assert result.findings == [] and result.rows == 0
    assert list(result.frame.columns) == [f["name"] for f in VOTES["fields"]]
    assert str(result.frame["vote_id"].dtype) == "Int64"


def test_empty_text_is_a_source_error():
    result = check_table("", VOTES, name="senate-votes")
    assert [f.rule for f in result.findings] == ["structure/source-error"]


@pytest.mark.parametrize("delimiter", [";", None])
def test_other_delimiters_when_asked(delimiter):
    text = HEADER.replace(",", ";") + "1;2024-10-01;a;true;1;1\n"
    result = check_table(text, VOTES, name="senate-votes", delimiter=delimiter)
    assert result.findings == []
    assert result.frame.at[2, "approve"] == 1


def test_schema_frictionless_cannot_even_normalise_is_a_finding():
    schema = {"fields": [{"name": "id"}], "foreignKeys": [{"fields": "id", "reference": "x"}]}
    result = check_table("id\n1\n", schema, name="t")
    assert [f.rule for f in result.findings] == ["schema/schema-error"]


def test_integers_beyond_two_to_the_53_are_exact_in_the_frame():
    result = check_table("n\n9007199254740993\n", {"fields": [{"name": "n", "type": "integer"}]},
                         name="t")
    assert result.findings == []
    assert result.frame.at[2, "n"] == 9007199254740993


def test_a_table_without_rows_gives_an_empty_frame_of_the_contract_types():
    schema = {"fields": [{"name": "d", "type": "date"}, {"name": "n", "type": "integer"},
                         {"name": "s", "type": "string"}]}
    result = check_table("d,n,s\n", schema, name="t")
    assert result.frame.empty and result.rows == 0
    assert result.frame.dtypes.astype(str).tolist() == ["datetime64[ns]", "Int64", "string"]
