"""What a column's values say about it: Thai digits, Buddhist-Era dates and years, uniqueness,
completeness, a small set of values, personal data. Pure; the drafts decide what to declare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from flows.validation.encoding import looks_like_thai
from flows.validation.personal_text import find_personal_data
from flows.validation.thai_forms import (BE_YEAR_THRESHOLD, has_thai_digits, parse_be_date,
                                         thai_digits_to_arabic)

#: At most this many distinct values (and at most half the filled cells) make an enum guess.
ENUM_MAX_VALUES = 12
#: Cells sampled for the personal-data scan (a hit in any of them is enough for a guess).
PERSONAL_SAMPLE = 2000
#: Column-name words that suggest personal data (Thai and English), matched case-insensitively.
PERSONAL_NAME_WORDS = ("เลขประจำตัวประชาชน", "บัตรประชาชน", "โทรศัพท์", "มือถือ", "อีเมล",
                       "ที่อยู่", "หนังสือเดินทาง", "citizen", "national_id", "nid", "phone",
                       "mobile", "email", "e-mail", "address", "passport", "birth", "วันเกิด")
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", re.ASCII)
_DMY_DATE = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}", re.ASCII)


@dataclass
class ColumnProfile:
    """Facts about one column's filled cells (empty and blank cells count as missing)."""

    name: str
    filled: int
    total: int
    distinct: int
    thai_digits: bool = False
    kind: str = "string"          # string | integer | number | date (as the digits read)
    buddhist: bool = False        # dates or years in the Buddhist Era
    date_format: str = "default"  # default (ISO) | %d/%m/%Y
    minimum: float | date | None = None
    maximum: float | date | None = None
    values: list[str] = field(default_factory=list)   # the distinct values, when few
    personal: bool = False
    padded: bool = False          # some cell has leading or trailing spaces

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.filled == self.total

    @property
    def unique(self) -> bool:
        return self.complete and self.distinct == self.total

    @property
    def year_like(self) -> bool:
        return self.kind == "integer" and self.minimum is not None and self.maximum is not None \
            and 1900 <= float(self.minimum) and float(self.maximum) <= 2800


def profile_column(name: str, cells: Sequence[str]) -> ColumnProfile:
    """Profile one column from its cells as text."""
    filled = [cell for cell in cells if cell.strip()]
    distinct = set(filled)
    profile = ColumnProfile(name=name, filled=len(filled), total=len(cells),
                            distinct=len(distinct))
    profile.padded = any(cell != cell.strip() for cell in filled)
    arabic = sorted({thai_digits_to_arabic(cell.strip()) for cell in distinct})
    profile.thai_digits = any(has_thai_digits(cell) for cell in distinct)
    if arabic:
        _read_kind(profile, arabic)
    if profile.kind == "string" and len(distinct) <= min(ENUM_MAX_VALUES, len(filled) // 2):
        profile.values = sorted(cell.strip() for cell in distinct)
    profile.personal = _personal(name, filled)
    return profile


def is_thai(text: str) -> bool:
    """Whether a header is Thai (then it is the field's title)."""
    return looks_like_thai(text)


def _read_kind(profile: ColumnProfile, values: list[str]) -> None:
    if all(_INTEGER.fullmatch(value) for value in values):
        numbers = [int(value) for value in values]
        profile.kind, profile.minimum, profile.maximum = "integer", min(numbers), max(numbers)
        profile.buddhist = profile.year_like and min(numbers) >= BE_YEAR_THRESHOLD
        if any(value.startswith("0") and len(value) > 1 for value in values):
            profile.kind = "string"   # leading zeros: a code (ID, phone, postcode), not a number
    elif all(_NUMBER.fullmatch(value) for value in values):
        numbers = [float(value) for value in values]
        profile.kind, profile.minimum, profile.maximum = "number", min(numbers), max(numbers)
    elif all(_ISO_DATE.fullmatch(v) or _DMY_DATE.fullmatch(v) for v in values):
        _read_dates(profile, values)


def _read_dates(profile: ColumnProfile, values: list[str]) -> None:
    shapes = {bool(_DMY_DATE.fullmatch(value)) for value in values}
    if len(shapes) > 1:
        return   # mixed shapes: left as text; the steward decides
    years = [int(value[-4:] if _DMY_DATE.fullmatch(value) else value[:4]) for value in values]
    buddhist = min(years) >= BE_YEAR_THRESHOLD
    try:
        if buddhist:
            dates = [parse_be_date(value) for value in values]
        else:
            dates = [_ce_date(value) for value in values]
    except ValueError:
        return   # not real dates (31/02/...): left as text
    profile.kind, profile.buddhist = "date", buddhist
    profile.minimum, profile.maximum = min(dates), max(dates)
    if shapes == {True} and not buddhist:
        profile.date_format = "%d/%m/%Y"


def _ce_date(value: str) -> date:
    if _DMY_DATE.fullmatch(value):
        day, month, year = (int(part) for part in value.split("/"))
    else:
        year, month, day = (int(part) for part in value.split("-"))
    return date(year, month, day)


def _personal(name: str, filled: list[str]) -> bool:
    lowered = name.lower()
    words = set(re.split(r"[^a-z0-9-]+", lowered))   # English words whole: "nid" not "unid"
    if any(word in words if word.isascii() else word in lowered for word in PERSONAL_NAME_WORDS):
        return True
    step = max(1, len(filled) // PERSONAL_SAMPLE)
    return any(find_personal_data(cell) for cell in filled[::step][:PERSONAL_SAMPLE])
