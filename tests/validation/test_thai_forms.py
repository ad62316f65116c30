"""Thai digits and Buddhist-Era dates as scalar conversions."""

from __future__ import annotations

from datetime import date

import pytest

from flows.validation.thai_forms import (be_year_to_ce, ce_year_to_be, has_thai_digits,
                                         parse_be_date, parse_be_year, thai_digits_to_arabic)


def test_thai_digits_become_arabic_and_nothing_else_changes():
    assert thai_digits_to_arabic("๐๑๒๓๔๕๖๗๘๙") == "0123456789"
    assert thai_digits_to_arabic("ครั้งที่ ๑๒/๒๕๖๗") == "ครั้งที่ 12/2567"
    assert thai_digits_to_arabic("no digits") == "no digits"


def test_has_thai_digits():
    assert has_thai_digits("พ.ศ. ๒๕๖๗")
    assert not has_thai_digits("พ.ศ. 2567")


def test_be_and_ce_years():
    assert be_year_to_ce(2567) == 2024
    assert ce_year_to_be(2024) == 2567


@pytest.mark.parametrize("text", ["2567", "๒๕๖๗", " 2567 "])
def test_parse_be_year(text):
    assert parse_be_year(text) == 2024


@pytest.mark.parametrize("text", ["67", "25670", "2567a", ""])
def test_parse_be_year_rejects_non_years(text):
    with pytest.raises(ValueError, match="4-digit Buddhist-Era year"):
        parse_be_year(text)


@pytest.mark.parametrize("text", [
    "01/10/2567", "1/10/2567", "๐๑/๑๐/๒๕๖๗", "2567-10-01", "๒๕๖๗-๑๐-๐๑", " 01/10/2567 ",
])
def test_parse_be_date_both_shapes_and_thai_digits(text):
    assert parse_be_date(text) == date(2024, 10, 1)


def test_parse_be_date_checks_the_ce_calendar():
    # 2567 BE = 2024 CE is a leap year; 2566 BE = 2023 CE is not.
    assert parse_be_date("29/02/2567") == date(2024, 2, 29)
    with pytest.raises(ValueError, match="not a real date"):
        parse_be_date("29/02/2566")


@pytest.mark.parametrize("text", ["2567/10/01", "01-10-2567", "1 ต.ค. 2567", "01/10/67"])
def test_parse_be_date_rejects_other_shapes(text):
    with pytest.raises(ValueError, match="DD/MM/BBBB or BBBB-MM-DD"):
        parse_be_date(text)
