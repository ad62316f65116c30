"""Raw values → the text of tidy CSV cells, and the frame every reader returns.

A reader's frame holds exactly what its CSV will hold: every cell is a Python ``str`` or ``None``
(an empty cell), in object dtype, with the index set to the CSV row number (header = row 1, first
data row = row 2, the project's row convention). Typing the values is the Table Schema's job, so a
malformed date or number reaches the validation stage as written and is reported there, instead
of being lost or "fixed" here.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from typing import Any, Mapping, Sequence

import pandas as pd

from flows.validation.findings import Finding, Severity, clip_value

FIRST_DATA_ROW = 2


def to_cell(value: Any) -> str | None:
    """The CSV text of one raw value.

    ``None`` and ``""`` become an empty cell; booleans ``true``/``false``; dates ISO 8601;
    numbers as Python writes them; a list or mapping where a scalar was expected is kept as
    compact JSON so nothing is lost (the schema then reports it).
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def tidy_frame(rows: Sequence[Mapping[str, str | None]],
               columns: Sequence[str]) -> tuple[pd.DataFrame, list[Finding]]:
    """The reader's frame (``columns`` in order) with Thai text NFC-normalised.

    NFC only recomposes characters (it never changes what a reader sees), so it is applied; a
    cell it does change is reported as a warning, because the CSV cannot show the raw form.
    """
    findings: list[Finding] = []
    cells = [[_nfc(row[column], row=number, field=column, findings=findings)
              for column in columns]
             for number, row in enumerate(rows, start=FIRST_DATA_ROW)]
    index = pd.RangeIndex(FIRST_DATA_ROW, FIRST_DATA_ROW + len(rows), name="row")
    frame = pd.DataFrame(cells, columns=list(columns), index=index, dtype=object)
    return frame, findings


def _nfc(text: str | None, *, row: int, field: str, findings: list[Finding]) -> str | None:
    if text is None or unicodedata.is_normalized("NFC", text):
        return text
    normal = unicodedata.normalize("NFC", text)
    findings.append(Finding(
        rule="source/text-normalised", severity=Severity.WARNING,
        message_th="ข้อความในไฟล์ต้นทางไม่อยู่ในรูป Unicode NFC จึงถูกปรับเป็น NFC "
                   "(ตัวอักษรที่เห็นเหมือนเดิม)",
        message_en="The raw text was not in Unicode NFC and was normalised to NFC "
                   "(it reads the same)",
        hint_th="บันทึกข้อความในระบบต้นทางเป็น Unicode NFC",
        hint_en="Save the text as Unicode NFC in the source system",
        row=row, field=field, value=clip_value(normal)))
    return normal
