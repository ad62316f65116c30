"""The Senate sitting code of ELECT's vote log: ``DD/MM/YY-n`` with a 2-digit Buddhist-Era year.

``05/08/62-1`` is 5 August 2562 BE = 2019-08-05 CE, n = 1. The 2-digit year is read as 25YY BE
(2500-2599 BE = 1957-2056 CE), the only century the Senate's records of this source use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

BUDDHIST_ERA_OFFSET = 543
BUDDHIST_CENTURY = 2500

_CODE = re.compile(r"(?P<day>[0-9]{2})/(?P<month>[0-9]{2})/(?P<year>[0-9]{2})-(?P<n>[0-9]+)")


@dataclass(frozen=True)
class SittingCode:
    """What a sitting code says: the sitting's date (CE) and the number after the dash."""

    sitting_date: date
    sequence: int


def parse_sitting_code(code: str) -> SittingCode | None:
    """Read ``DD/MM/YY-n``; None when the code has another form or names no real date.

    Only ASCII digits are accepted: a code written otherwise is left for a steward to correct
    rather than guessed.
    """
    match = _CODE.fullmatch(code)
    if match is None:
        return None
    year_ce = BUDDHIST_CENTURY + int(match["year"]) - BUDDHIST_ERA_OFFSET
    try:
        sitting_date = date(year_ce, int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return SittingCode(sitting_date=sitting_date, sequence=int(match["n"]))
