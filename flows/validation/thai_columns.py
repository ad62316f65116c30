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

``columnar.thai_cells`` applies these rules to a column, vectorised; this module holds the
conversion of one value and the findings.
"""

from __future__ import annotations

import re


from flows.validation.findings import Finding, Severity
from flows.validation.thai_forms import (BE_YEAR_THRESHOLD, be_year_to_ce,
                                         parse_be_date, parse_be_year, thai_digits_to_arabic)

NUMERIC_TYPES = frozenset({"integer", "number", "year"})
CALENDAR_TYPES = frozenset({"date", "datetime", "year"})
_BE_DATETIME = re.compile(r"\s*([0-9]{4})(-[0-9]{1,2}-[0-9]{1,2}(?:[T ].*)?)\s*", re.ASCII)


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
