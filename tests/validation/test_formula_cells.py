"""public-csv/formula-cell: a warning per public text cell the public CSV neutralises."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from flows.validation.findings import Severity
from flows.validation.formula_cells import RULE, check_formula_cells
from flows.validation.validate import validate_table

SCHEMA = {"fields": [
    {"name": "title", "type": "string", "description_th": "ชื่อเรื่อง"},
    {"name": "code", "type": "string", "description_th": "รหัสรายการ"},
    {"name": "amount", "type": "number", "description_th": "จำนวนเงิน"},
    {"name": "secret", "type": "string", "personalData": True, "description_th": "ข้อมูลลับ"},
], "primaryKey": ["title"]}


def _frame(**columns: list) -> pd.DataFrame:
    length = len(next(iter(columns.values())))
    return pd.DataFrame(columns, index=pd.RangeIndex(2, 2 + length, name="row"))


def test_one_warning_per_formula_cell_with_row_field_and_value() -> None:
    frame = _frame(title=["=1+1", "ร่าง พ.ร.บ.", None, "@SUM(1+1)"],
                   code=["-", "-3", "+cmd|' /C calc'!A0", "+5.2"],
                   amount=pd.array([-3.0, None, 1.5, -2.0], dtype="Float64"),
                   secret=["=HYPERLINK(\"http://x\",\"y\")"] * 4)
    findings = check_formula_cells(frame, SCHEMA)
    assert [(f.rule, f.severity, f.row, f.field, f.value) for f in findings] == [
        (RULE, Severity.WARNING, 2, "title", "=1+1"),
        (RULE, Severity.WARNING, 5, "title", "@SUM(1+1)"),
        (RULE, Severity.WARNING, 4, "code", "+cmd|' /C calc'!A0"),
    ]
    first = findings[0]
    assert first.rule == "public-csv/formula-cell" and not first.blocking
    assert first.message_en == ('Column "title" holds a value starting with =, +, -, @, tab or '
                                "carriage return, which a spreadsheet may run as a formula; "
                                "the public CSV prefixes it with a single quote")
    assert first.message_th.startswith('คอลัมน์ "title" มีค่าที่ขึ้นต้นด้วย = + - @')
    assert first.hint_th and first.hint_en.startswith("If the text is genuine")


def test_findings_are_capped_per_column_with_one_summary() -> None:
    frame = _frame(title=[f"=A{i}" for i in range(7)], code=["ok"] * 7,
                   amount=[1.0] * 7, secret=[""] * 7)
    findings = check_formula_cells(frame, SCHEMA, limit_per_column=5)
    assert [f.row for f in findings] == [2, 3, 4, 5, 6, None]
    summary = findings[-1]
    assert (summary.field, summary.value, summary.severity) == ("title", None, Severity.WARNING)
    assert summary.message_en.endswith("(and 2 more cells not listed)")
    assert summary.message_th.endswith("(และอีก 2 เซลล์ที่ไม่ได้แสดงรายการ)")
    assert len(check_formula_cells(frame, SCHEMA, limit_per_column=None)) == 7


def test_personal_data_inside_a_formula_is_masked_in_the_report() -> None:
    frame = _frame(title=["+66 81 234 5678", '=HYPERLINK("http://x/?id=1101700203450","y")'],
                   code=["a", "b"], amount=[1.0, 2.0], secret=["", ""])
    values = [f.value for f in check_formula_cells(frame, SCHEMA)]
    assert values[0] == "+6***********78"
    assert "1101700203450" not in values[1] and values[1].startswith('=HYPERLINK("http://x/?id=')


def test_validate_table_reports_the_warnings(tmp_path: Path) -> None:
    csv_path = tmp_path / "t.csv"
    csv_path.write_text('title,code,amount,secret\n"=1+1",-,-3,=x\nok,-2+3,+5.2,y\n',
                        encoding="utf-8")
    schema_path = tmp_path / "t.schema.json"
    schema_path.write_text(json.dumps(SCHEMA), encoding="utf-8")
    result = validate_table(csv_path, schema_path=schema_path, suite_path=None, dataset="t",
                            today=date(2026, 11, 28))
    assert [(f.rule, f.row, f.field) for f in result.findings] == [
        (RULE, 2, "title"), (RULE, 3, "code")]
    assert result.counts() == {"errors": 0, "warnings": 2, "waived": 0}
