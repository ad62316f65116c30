"""Thai forms in a column, as the schema says: converted where declared, flagged elsewhere.

Declared (converted before frictionless type-checks them):
- ``"thaiDigits": true`` on an integer/number/year/date/datetime field: ๐-๙ → 0-9.
- ``"calendar": "buddhist"`` on a date/datetime/year field: BE → CE (Thai digits accepted too);
  a year below 2400 there looks like a CE year written into a BE field and is flagged
  (``thai/ce-year-in-buddhist-field``).
Flagged (an error finding; the cell is NA in the frame, never silently misread):
- Thai digits in a numeric or date field that does not declare them (``thai/thai-digits``):
  frictionless would read "๒๕๖๗" as the integer 2567 without a word.
- A 4-digit year ≥ 2400 in a CE date/datetime/year field (``thai/buddhist-era-year``): frictionless
  accepts "2567-10-01" as a CE date 543 years in the future.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import pandas as pd

from flows.validation.findings import Finding, Severity, clip_value, mask_value
from flows.validation.thai_forms import (BE_YEAR_THRESHOLD, THAI_DIGIT_PATTERN, be_year_to_ce,
                                         parse_be_date, parse_be_year, thai_digits_to_arabic)

NUMERIC_TYPES = frozenset({"integer", "number", "year"})
CALENDAR_TYPES = frozenset({"date", "datetime", "year"})
# A standalone 4-digit number from 2400 up: a Buddhist-Era year in a CE date.
_BE_YEAR = r"(?<![0-9])(?:2[4-9][0-9]{2}|[3-9][0-9]{3})(?![0-9])"
_BE_DATETIME = re.compile(r"\s*([0-9]{4})(-[0-9]{1,2}-[0-9]{1,2}(?:[T ].*)?)\s*", re.ASCII)


@dataclass
class ThaiColumn:
    """A column after Thai-form handling: the values frictionless should check (the input itself
    when nothing changed), the row numbers flagged, and their findings."""

    values: Sequence[str | None]
    converted: bool = False
    flagged_rows: set[int] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)


def apply_thai_forms(values: Sequence[str | None], spec: dict[str, Any], *,
                     first_row: int = 2, may_hold_thai_digits: bool = True) -> ThaiColumn:
    """Convert or flag the Thai forms in one column's raw cells (row ``first_row`` first).

    ``may_hold_thai_digits=False`` (the whole file has none) skips the digit scans.
    """
    kind = spec.get("type", "string")
    if kind not in NUMERIC_TYPES | CALENDAR_TYPES or not values:
        return ThaiColumn(values)
    raw = cells = pd.Series(values, dtype=object)
    column = ThaiColumn(values)
    if spec.get("calendar") == "buddhist" and kind in CALENDAR_TYPES:
        _convert_buddhist(cells, kind, spec, column, first_row)
        return column
    if spec.get("thaiDigits") is True:
        if may_hold_thai_digits:
            converted = [None if v is None else thai_digits_to_arabic(v) for v in values]
            cells = pd.Series(converted, dtype=object)
            column.values, column.converted = converted, True
    elif may_hold_thai_digits:
        _flag(cells.str.contains(THAI_DIGIT_PATTERN, na=False), cells, spec, column, first_row,
              thai_digits_finding)
    if kind in CALENDAR_TYPES:
        _flag(cells.str.contains(_BE_YEAR, na=False), raw, spec, column, first_row,
              buddhist_era_finding)
    return column


def be_to_ce_text(value: str, kind: str) -> str | None:
    """A Buddhist-Era year/date/datetime as CE text frictionless reads; None if not BE-shaped."""
    try:
        if kind == "year":
            return str(parse_be_year(value))
        if kind == "date":
            return parse_be_date(value).isoformat()
    except ValueError:
        return None
    match = _BE_DATETIME.fullmatch(thai_digits_to_arabic(value))
    if not match:
        return None
    return f"{be_year_to_ce(int(match.group(1))):04d}{match.group(2)}"


def _convert_buddhist(cells: pd.Series, kind: str, spec: dict[str, Any], column: ThaiColumn,
                      first_row: int) -> None:
    # Dates repeat: convert each distinct value once.
    mapping = {value: be_to_ce_text(value, kind) for value in cells.dropna().unique()}
    too_early = {value for value, ce in mapping.items()
                 if ce is not None and int(ce[:4]) < be_year_to_ce(BE_YEAR_THRESHOLD)}
    # Unconvertible values stay as written: frictionless reports them as type errors.
    column.values = [mapping.get(value) or value for value in cells.tolist()]
    column.converted = True
    if too_early:
        _flag(cells.isin(too_early), cells, spec, column, first_row, ce_in_buddhist_finding)


def _flag(mask: pd.Series, cells: pd.Series, spec: dict[str, Any], column: ThaiColumn,
          first_row: int, make: Callable[[int, str, str | None], Finding]) -> None:
    shown = mask_value if spec.get("personalData") else clip_value
    for position in mask[mask].index:
        row = int(position) + first_row
        if row in column.flagged_rows:
            continue  # one finding per cell
        column.flagged_rows.add(row)
        column.findings.append(make(row, spec["name"], shown(cells.iat[position])))


def thai_digits_finding(row: int, name: str, value: str | None) -> Finding:
    return Finding(
        rule="thai/thai-digits", severity=Severity.ERROR,
        message_th=f'ค่าในแถว {row} คอลัมน์ "{name}" ใช้เลขไทย แต่ schema ไม่ได้ประกาศให้รับเลขไทย',
        message_en=f'Row {row}, field "{name}" holds Thai digits, which the schema does not declare.',
        hint_th='เพิ่ม "thaiDigits": true ในฟิลด์นี้ของ schema (และ "calendar": "buddhist" ถ้าเป็นปี พ.ศ.) '
                "หรือแปลงค่าเป็นเลขอารบิก",
        hint_en='Declare "thaiDigits": true on this field in the schema (and "calendar": "buddhist" '
                "if the year is Buddhist-Era), or convert the value to Arabic digits.",
        row=row, field=name, value=value)


def buddhist_era_finding(row: int, name: str, value: str | None) -> Finding:
    return Finding(
        rule="thai/buddhist-era-year", severity=Severity.ERROR,
        message_th=f'ค่าในแถว {row} คอลัมน์ "{name}" มีปีตั้งแต่ {BE_YEAR_THRESHOLD} ขึ้นไป ซึ่งน่าจะเป็นปี พ.ศ. '
                   "ในคอลัมน์ที่เป็นปี ค.ศ.",
        message_en=f'Row {row}, field "{name}" has a year of {BE_YEAR_THRESHOLD} or later: most '
                   "likely a Buddhist-Era year in a CE field.",
        hint_th='ประกาศ "calendar": "buddhist" ในฟิลด์นี้ของ schema ถ้าทั้งคอลัมน์เป็นปี พ.ศ. '
                "หรือแปลงค่าเป็น ค.ศ. (ลบ 543)",
        hint_en='Declare "calendar": "buddhist" on this field in the schema if the whole column is '
                "Buddhist-Era, or convert the value to CE (subtract 543).",
        row=row, field=name, value=value)


def ce_in_buddhist_finding(row: int, name: str, value: str | None) -> Finding:
    return Finding(
        rule="thai/ce-year-in-buddhist-field", severity=Severity.ERROR,
        message_th=f'ค่าในแถว {row} คอลัมน์ "{name}" มีปีต่ำกว่า {BE_YEAR_THRESHOLD} ซึ่งน่าจะเป็นปี ค.ศ. '
                   "ในคอลัมน์ที่ schema ประกาศว่าเป็นปี พ.ศ.",
        message_en=f'Row {row}, field "{name}" has a year below {BE_YEAR_THRESHOLD}: most likely a '
                   "CE year in a field the schema declares Buddhist-Era.",
        hint_th="แปลงค่าเป็นปี พ.ศ. (บวก 543) หรือเอา \"calendar\": \"buddhist\" ออกจาก schema ถ้าคอลัมน์เป็น ค.ศ.",
        hint_en='Convert the value to Buddhist-Era (add 543), or drop "calendar": "buddhist" from '
                "the schema if the column is CE.",
        row=row, field=name, value=value)
