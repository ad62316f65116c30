"""Thai forms of numbers and dates: Thai digits (๐-๙) and Buddhist-Era (พ.ศ.) years.

Pure, scalar conversions. Which columns they apply to is the schema's decision (see
``thai_columns``): a field says ``"thaiDigits": true`` or ``"calendar": "buddhist"``.

Why this matters: Python's ``int("๒๕๖๗")`` is 2567 and ``strptime`` accepts Thai digits, so a
Table Schema validator silently reads "๒๕๖๗-๑๐-๐๑" as the year 2567 CE. These helpers make the
conversion explicit, and ``thai_columns`` flags the cells where it was not declared.
"""

from __future__ import annotations

import re
from datetime import date

#: Buddhist Era = Common Era + 543 (the Thai calendar since 1941 starts the year on 1 January).
BE_OFFSET = 543
#: A year at or above this in a CE column is almost certainly Buddhist-Era (2400 BE = 1857 CE).
BE_YEAR_THRESHOLD = 2400

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
THAI_DIGIT_PATTERN = f"[{THAI_DIGITS}]"

# Day-first with slashes (how Thai offices write dates) or ISO order; 1-2 digit day/month.
_DMY = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", re.ASCII)
_YMD = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", re.ASCII)


def thai_digits_to_arabic(text: str) -> str:
    """Replace Thai digits ๐-๙ with 0-9; every other character is kept."""
    return text.translate(_TO_ARABIC)


def has_thai_digits(text: str) -> bool:
    """True when the text holds at least one Thai digit."""
    return any(char in THAI_DIGITS for char in text)


def be_year_to_ce(year: int) -> int:
    """Buddhist-Era year → Common-Era year (2567 → 2024)."""
    return year - BE_OFFSET


def ce_year_to_be(year: int) -> int:
    """Common-Era year → Buddhist-Era year (2024 → 2567)."""
    return year + BE_OFFSET


def parse_be_year(text: str) -> int:
    """A 4-digit Buddhist-Era year (Arabic or Thai digits) → CE year.

    Raises ValueError naming the value when it is not a 4-digit year.
    """
    digits = thai_digits_to_arabic(text).strip()
    if not (len(digits) == 4 and digits.isascii() and digits.isdigit()):
        raise ValueError(f"{text!r} is not a 4-digit Buddhist-Era year such as 2567 or ๒๕๖๗")
    return be_year_to_ce(int(digits))


def parse_be_date(text: str) -> date:
    """A Buddhist-Era date ``DD/MM/BBBB`` or ``BBBB-MM-DD`` (Arabic or Thai digits) → CE date.

    >>> parse_be_date("01/10/2567")
    datetime.date(2024, 10, 1)
    >>> parse_be_date("๒๕๖๗-๑๐-๐๑")
    datetime.date(2024, 10, 1)

    Raises ValueError naming the value when it has another shape or is not a real date
    (e.g. 29/02/2566, which is 2023 CE, not a leap year).
    """
    digits = thai_digits_to_arabic(text)
    match = _DMY.fullmatch(digits)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _YMD.fullmatch(digits)
        if not match:
            raise ValueError(f"{text!r} is not a Buddhist-Era date DD/MM/BBBB or BBBB-MM-DD")
        year, month, day = (int(part) for part in match.groups())
    try:
        return date(be_year_to_ce(year), month, day)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date: {exc}") from exc
