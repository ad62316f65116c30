"""The typed DataFrame later checks work on (``columnar.check`` builds it from Arrow columns).

Contract (shared with expectations and the personal-data scan): columns are the schema's field
names, the index is the row number (header = 1, first data row = 2); integer/year → Int64,
number → Float64, boolean → boolean, date/datetime → datetime64[ns] (NaT when missing), anything
else → ``string[pyarrow]`` (the text as written, pd.NA when missing). A cell the Table Schema
check rejected is NA: its finding already exists. Blank rows are left out. A big file's frame
keeps only the columns later checks read (``validate.kept_columns``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from frictionless import Field

from flows.validation.findings import Finding, Severity, clip_value, mask_value

#: Text columns are Arrow-backed: a million Thai strings as Python objects would cost ~10x more.
STRING_DTYPE = pd.StringDtype("pyarrow")


def out_of_range_findings(unreadable: pd.Series, spec: Field | dict[str, Any]) -> list[Finding]:
    """A warning per value valid for ``spec`` that the typed frame cannot hold."""
    descriptor = spec if isinstance(spec, dict) else spec.to_descriptor()
    shown = mask_value if descriptor.get("personalData") else clip_value
    name = descriptor.get("name")
    return [Finding(
        rule="schema/out-of-range", severity=Severity.WARNING,
        message_th=f'ค่าในแถว {row} คอลัมน์ "{name}" ถูกต้องตาม schema แต่อยู่นอกช่วงที่การตรวจขั้นต่อไปรองรับ '
                   "(วันที่ ค.ศ. 1677-2262, จำนวนเต็ม 64 บิต) จึงไม่ถูกตรวจต่อ",
        message_en=f'Row {row}, field "{name}": the value is valid for the schema but outside '
                   "what later checks can hold (dates 1677-2262 CE, 64-bit integers); they skip it.",
        hint_th="ตรวจว่าค่าถูกต้อง (เช่น ไม่ได้ใส่ปี พ.ศ. ในคอลัมน์ ค.ศ.)",
        hint_en="Check the value (e.g. not a Buddhist-Era year in a CE column).",
        row=int(row), field=name, value=shown(value)) for row, value in unreadable.items()]
