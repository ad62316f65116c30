from datetime import date

import pytest

from flows.sources.politician_directory.sitting_code import SittingCode, parse_sitting_code


@pytest.mark.parametrize("code, expected", [
    ("05/08/62-1", SittingCode(date(2019, 8, 5), 1)),       # 2562 BE = 2019 CE
    ("24/09/63-146", SittingCode(date(2020, 9, 24), 146)),
    ("29/02/63-7", SittingCode(date(2020, 2, 29), 7)),       # 2020 is a leap year
    ("01/01/00-12", SittingCode(date(1957, 1, 1), 12)),      # 2500 BE
])
def test_parses_buddhist_era_code(code, expected):
    assert parse_sitting_code(code) == expected


@pytest.mark.parametrize("code", [
    "",
    "5/8/62-1",          # one-digit day and month
    "05/08/2562-1",      # 4-digit year
    "05/08/62",          # no sequence
    "05/08/62-",         # empty sequence
    "05-08-62-1",        # wrong separators
    " 05/08/62-1",       # surrounding space is not trimmed
    "๐๕/๐๘/๖๒-๑",        # Thai digits are not guessed
    "31/02/62-1",        # no 31 February
    "29/02/62-1",        # 2019 is not a leap year
    "05/13/62-1",        # no month 13
])
def test_unreadable_code_gives_none(code):
    assert parse_sitting_code(code) is None
