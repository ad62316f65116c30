"""Text analysis and date math: the building blocks of matching."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone

import pytest

from solr_compat.analysis import analyse_value, has_thai, normalise, split_subwords, stem
from solr_compat.datemath import InvalidDate, format_instant, parse_date_math, parse_instant
from solr_compat.schema import TextAnalysis

CKAN_TEXT = TextAnalysis(stem=True, split_case=True, fold_ascii=True)
NOW = datetime(2025, 3, 31, 15, 45, 30, 250000, tzinfo=timezone.utc)


@pytest.mark.parametrize("word, expected", [
    ("votes", "vote"), ("studies", "study"), ("records", "record"), ("status", "status"),
    ("class", "class"), ("data", "data"), ("goes", "goes"), ("is", "is")])
def test_minimal_english_stemmer(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_subwords_split_on_case_and_digits() -> None:
    assert split_subwords("DataSet", split_case=True) == ["Data", "Set"]
    assert split_subwords("XMLParser", split_case=True) == ["XML", "Parser"]
    assert split_subwords("covid19", split_case=False) == ["covid", "19"]
    assert split_subwords("DataSet", split_case=False) == ["DataSet"]


def test_index_tokens_keep_whole_runs_and_parts() -> None:
    value = analyse_value("Open-DataSets café 2024", CKAN_TEXT)
    assert "dataset" in value.tokens and "data" in value.tokens and "set" in value.tokens
    assert "cafe" in value.tokens  # ASCII folding
    assert value.sequences[0] == ("open", "dataset", "cafe", "2024")


def test_thai_is_kept_whole_and_normalised() -> None:
    title = "ข้อมูลการลงมติของวุฒิสภา"
    assert has_thai(title) and not has_thai("senate")
    value = analyse_value(title, CKAN_TEXT)
    assert value.tokens == (title,)  # combining vowel and tone marks stay in the run
    decomposed = unicodedata.normalize("NFD", "วุฒิสภา")
    assert normalise(decomposed) == unicodedata.normalize("NFC", "วุฒิสภา")
    assert normalise(decomposed) in value.normalised


def test_instants_are_parsed_to_utc_milliseconds() -> None:
    value = parse_instant("2025-01-15T08:30:00.123456Z")
    assert format_instant(value) == "2025-01-15T08:30:00.123Z"
    assert format_instant(parse_instant("2025-01-15T15:30:00+07:00")) == "2025-01-15T08:30:00Z"
    with pytest.raises(InvalidDate, match="Invalid Date String"):
        parse_instant("2025-01-15")


@pytest.mark.parametrize("text, expected", [
    ("NOW", "2025-03-31T15:45:30.250Z"),
    ("NOW-1DAY", "2025-03-30T15:45:30.250Z"),
    ("NOW/DAY", "2025-03-31T00:00:00Z"),
    ("NOW/DAY+7DAYS", "2025-04-07T00:00:00Z"),
    ("NOW-1MONTH", "2025-02-28T15:45:30.250Z"),  # clamps to the month's last day
    ("NOW/YEAR", "2025-01-01T00:00:00Z"),
    ("NOW+2HOURS/HOUR", "2025-03-31T17:00:00Z"),
    ("2024-02-29T00:00:00Z+1YEAR", "2025-02-28T00:00:00Z"),
])
def test_date_math(text: str, expected: str) -> None:
    assert format_instant(parse_date_math(text, now=NOW)) == expected


def test_bad_date_math_is_rejected() -> None:
    with pytest.raises(InvalidDate):
        parse_date_math("NOW-1FORTNIGHT", now=NOW)
