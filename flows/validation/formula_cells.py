"""The formula-cell check (``public-csv/formula-cell``): text cells that a spreadsheet would run
as a formula, in every column that will be public.

The public copy of the data prefixes such a cell with a single quote (``flows.csv_safety``,
OWASP's CSV-injection advice), so nothing is blocked: each cell is a WARNING that tells the
steward the published value differs from the tidy file by that quote (and why).

Scope: the typed frame's text columns (object or string dtype) that the Table Schema does not
declare ``"personalData": true`` (those never leave the pipeline). Typed columns (integer,
number, year, boolean, dates) hold what the schema read, so their cells are numbers, not
formulas; a cell the schema could not read is already a ``schema/*`` error finding (its public
copy is neutralised too, without a second finding here).

A reported value is shown as it is, except the personal data in it (``+66 81 …``,
``=HYPERLINK("…?id=<national ID>")``), masked as the personal-data scan masks it: reports are
published.
"""

from __future__ import annotations

from typing import Any, Iterable

import pandas as pd

from flows.csv_safety import formula_cells
from flows.validation.findings import Finding, Severity, clip_value, mask_value
from flows.validation.personal_text import find_personal_data

RULE = "public-csv/formula-cell"
#: Past this many cells per column, one summary finding stands for the rest (the same cap as
#: the personal-data scan), so a column of formulas gives a readable report.
DEFAULT_LIMIT_PER_COLUMN = 1000

_HINT_TH = ("ถ้าเป็นข้อความจริง ไม่ต้องแก้ไข ฉบับเผยแพร่ปลอดภัยแล้ว "
            "ถ้าค่านี้ไม่ควรมี ให้แก้ที่ข้อมูลต้นทางแล้วรันใหม่")
_HINT_EN = ("If the text is genuine, nothing to do: the public copy is already safe. "
            "If the value should not be there, fix it at the source and run again")


def check_formula_cells(frame: pd.DataFrame, schema: dict[str, Any], *,
                        limit_per_column: int | None = DEFAULT_LIMIT_PER_COLUMN
                        ) -> list[Finding]:
    """A warning per public text cell that the public CSV must neutralise.

    ``frame`` follows the typed-frame contract (index = row number, text as object dtype).
    ``limit_per_column`` caps the findings per column; the rest are counted in one extra
    finding without a row.
    """
    personal = {field.get("name") for field in schema.get("fields", [])
                if field.get("personalData") is True}
    findings: list[Finding] = []
    for column in frame.columns:
        values = frame[column]
        if column in personal or not _holds_text(values):
            continue
        mask = formula_cells(values)
        if mask.any():
            findings.extend(_findings_for(str(column), values[mask], limit_per_column))
    return findings


def _holds_text(values: pd.Series) -> bool:
    return values.dtype == object or isinstance(values.dtype, pd.StringDtype)


def _findings_for(field: str, cells: pd.Series, limit: int | None) -> Iterable[Finding]:
    message_th = (f'คอลัมน์ "{field}" มีค่าที่ขึ้นต้นด้วย = + - @ แท็บ หรือการขึ้นบรรทัด '
                  "ซึ่งโปรแกรมตารางคำนวณอาจเรียกใช้เป็นสูตร "
                  "ไฟล์ CSV ฉบับเผยแพร่จึงเติมเครื่องหมาย ' นำหน้าค่านี้")
    message_en = (f'Column "{field}" holds a value starting with =, +, -, @, tab or carriage '
                  "return, which a spreadsheet may run as a formula; the public CSV prefixes "
                  "it with a single quote")
    shown = cells if limit is None else cells.iloc[:limit]
    for row, text in shown.items():
        yield Finding(rule=RULE, severity=Severity.WARNING, message_th=message_th,
                      message_en=message_en, hint_th=_HINT_TH, hint_en=_HINT_EN,
                      row=int(row), field=field, value=_report_value(str(text)))
    more = len(cells) - len(shown)
    if more:
        yield Finding(rule=RULE, severity=Severity.WARNING,
                      message_th=f"{message_th} (และอีก {more:,} เซลล์ที่ไม่ได้แสดงรายการ)",
                      message_en=f"{message_en} (and {more:,} more cells not listed)",
                      hint_th=_HINT_TH, hint_en=_HINT_EN, field=field)


def _report_value(text: str) -> str | None:
    """The value for the (published) report, each piece of personal data in it masked."""
    for hit in reversed(find_personal_data(text)):
        text = text[:hit.start] + (mask_value(hit.text) or "") + text[hit.end:]
    return clip_value(text)
