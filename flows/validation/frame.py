"""The typed DataFrame later checks work on, built column by column with pandas.

Contract (shared with expectations and the personal-data scan): columns are the schema's field
names, the index is the row number (header = 1, first data row = 2); integer/year → Int64,
number → Float64, boolean → boolean, date/datetime → datetime64[ns] (NaT when missing), anything
else → ``string[pyarrow]`` (the text as written, pd.NA when missing). A cell the Table Schema
check rejected is NA: its finding already exists.

Speed: each column is parsed vectorised. The pandas parse may be more lenient than frictionless
(the cells frictionless rejected are masked afterwards) but never stricter: values pandas could
not read and frictionless did not reject go through frictionless' own reader, once per distinct
value, so the two never disagree silently.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Sequence

import pandas as pd
from frictionless import Field, Schema

from flows.validation.findings import Finding, Severity, clip_value, mask_value

#: Text columns are Arrow-backed: a million Thai strings as Python objects would cost ~10x more.
STRING_DTYPE = pd.StringDtype("pyarrow")

def build_frame(columns: Sequence[Sequence[str | None]], schema: Schema, *,
                rejected: dict[str, set[int]], drop_rows: set[int],
                first_row: int = 2) -> tuple[pd.DataFrame, list[Finding]]:
    """Typed frame from raw column values (one sequence per schema field, in field order).

    ``rejected`` maps a field name to the row numbers whose cell is already a finding (set NA);
    ``drop_rows`` are row numbers left out (blank rows). Returns the frame and findings for
    values frictionless accepted that the frame cannot hold (dates after 2262, huge integers).
    """
    length = len(columns[0]) if columns else 0
    index = pd.RangeIndex(first_row, first_row + length, name="row")
    data: dict[str, pd.Series] = {}
    findings: list[Finding] = []
    for spec, values in zip(schema.fields, columns):
        raw = pd.Series(values, index=index, dtype=object)
        rejected_rows = list(rejected.get(spec.name, ()))
        absent = raw.isin(_missing_values(spec, schema)) | index.isin(rejected_rows)
        typed, unreadable = _typed(raw.where(~absent, None), spec)
        findings.extend(out_of_range_findings(unreadable, spec))
        data[spec.name] = typed
    frame = pd.DataFrame(data, index=index)
    return (frame.drop(index=sorted(drop_rows)) if drop_rows else frame), findings


def _missing_values(spec: Field, schema: Schema) -> list[str]:
    return spec.missing_values if spec.has_defined("missing_values") else schema.missing_values


def _typed(raw: pd.Series, spec: Field) -> tuple[pd.Series, pd.Series]:
    """The column parsed per type, and the cells neither pandas nor frictionless could hold."""
    kind = spec.type
    if kind in ("integer", "year"):
        typed = _integers(raw)
    elif kind == "number":
        typed = _numbers(raw, spec)
    elif kind == "boolean":
        mapping = {**{v: True for v in spec.true_values}, **{v: False for v in spec.false_values}}
        typed = raw.map(mapping).astype("boolean")
    elif kind in ("date", "datetime"):
        typed = _datetimes(raw, spec)
    else:
        return raw.astype(STRING_DTYPE), raw.iloc[:0]
    return _fill_from_frictionless(typed, raw, spec)


def _integers(raw: pd.Series) -> pd.Series:
    # to_numeric parses in C; it is laxer than frictionless ("1.0", "1e3"), but those cells were
    # rejected by frictionless and are already None here.
    numbers = pd.to_numeric(raw, errors="coerce")
    if numbers.dtype.kind == "f":
        # Floats are exact only below 2**53: bigger values are left to frictionless' reader.
        exact = (numbers.abs() < 2**53) & (numbers == numbers.round())
        numbers = numbers.where(exact)
    return numbers.astype("Int64")


def _numbers(raw: pd.Series, spec: Field) -> pd.Series:
    text = _str(raw)
    if spec.group_char:
        text = text.str.replace(spec.group_char, "", regex=False)
    if spec.decimal_char != ".":
        text = text.str.replace(spec.decimal_char, ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("Float64")


def _datetimes(raw: pd.Series, spec: Field) -> pd.Series:
    if spec.format == "any":  # dateutil's guessing: leave every value to frictionless' reader
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if spec.format == "default":
        form = "%Y-%m-%d" if spec.type == "date" else "ISO8601"
    else:
        form = spec.format
    parsed = pd.to_datetime(_str(raw), format=form, errors="coerce", utc=spec.type == "datetime")
    if spec.type == "datetime":  # aware values are kept as UTC wall time
        parsed = parsed.dt.tz_localize(None)
    # pandas 3 parses to microseconds; what nanoseconds cannot hold is left to the fallback.
    return parsed.where(_in_ns_range(parsed)).astype("datetime64[ns]")


def _in_ns_range(stamps: Any) -> Any:
    return (stamps >= pd.Timestamp.min) & (stamps <= pd.Timestamp.max)


def _fill_from_frictionless(typed: pd.Series, raw: pd.Series,
                            spec: Field) -> tuple[pd.Series, pd.Series]:
    left = typed.isna() & raw.notna()
    if not left.any():
        return typed, raw.iloc[:0]
    reader = spec.create_value_reader()
    values = {value: _python_value(reader(value)) for value in raw[left].unique()}
    filled = raw[left].map(values)
    unreadable = raw[left][filled.map(lambda v: v is _OUT_OF_RANGE)]
    filled = filled[filled.map(lambda v: v is not None and v is not _OUT_OF_RANGE)]
    if len(filled):
        typed.loc[filled.index] = filled.astype(typed.dtype)
    return typed, unreadable


_OUT_OF_RANGE = object()


_INT64 = (-(2**63), 2**63 - 1)


def _python_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if _INT64[0] <= value <= _INT64[1] else _OUT_OF_RANGE
    if isinstance(value, (date, datetime)):
        try:
            stamp = pd.Timestamp(value)
        except (OverflowError, ValueError):
            return _OUT_OF_RANGE
        stamp = stamp.tz_convert(None) if stamp.tzinfo else stamp
        return stamp if _in_ns_range(stamp) else _OUT_OF_RANGE
    return value


def _str(raw: pd.Series) -> pd.Series:
    # The .str accessor refuses a column with no text at all (every cell missing).
    return raw if raw.notna().any() else raw.fillna("")


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
