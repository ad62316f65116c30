"""The DCAT profile's pure mappings: EU frequency, Buddhist-Era years, resource checksums."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.describe.scheming import load_schema_rules  # puts the extension on sys.path
from ckanext.senate_dga.dcat_terms import (FrequencyTableError, gregorian_year,  # noqa: E402
                                           load_frequency_table, parse_checksum)

TABLE = load_frequency_table()
EU = "http://publications.europa.eu/resource/authority/frequency/"


def test_every_dga_frequency_unit_is_in_the_table() -> None:
    units = set(load_schema_rules().fields["update_frequency_unit"].choices or ())
    assert units == set(TABLE.intervals) | set(TABLE.units)


@pytest.mark.parametrize("unit, interval, term", [
    ("ปี", "1", "ANNUAL"), ("ปี", "2", "BIENNIAL"), ("ปี", 10, "DECENNIAL"),
    ("ครึ่งปี", "1", "ANNUAL_2"), ("ไตรมาส", "1", "QUARTERLY"), ("เดือน", "1", "MONTHLY"),
    ("เดือน", "3", "QUARTERLY"), ("สัปดาห์", "2", "BIWEEKLY"), ("วัน", "1", "DAILY"),
    ("ชั่วโมง", "1", "HOURLY"), ("นาที", "15", "15MIN"),
    ("ตามเวลาจริง", None, "UPDATE_CONT"),
    ("ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", None, "NEVER"),
    ("ไม่ทราบ", None, "UNKNOWN"), ("อื่นๆ", None, "OTHER"),
    ("ปี", "7", "OTHER"),    # a period the EU list lacks is never rounded to a neighbour
    ("ปี", None, "OTHER"),   # nor is a missing interval taken to be 1
    ("ปี", "0", "OTHER"), ("ปี", "abc", "OTHER"),
])
def test_frequency_terms(unit: str, interval, term: str) -> None:
    assert TABLE.term(unit, interval) == term
    assert TABLE.uri(unit, interval) == EU + term


def test_no_unit_no_frequency() -> None:
    assert TABLE.uri(None, "1") is None and TABLE.uri("", None) is None


def test_a_term_outside_the_eu_list_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "dcat_frequency.yaml"
    bad.write_text("base: x\nintervals: {ปี: {1: YEARLY}}\nunits: {}\notherwise: OTHER\n"
                   "eu_terms: [ANNUAL, OTHER]\n", encoding="utf-8")
    with pytest.raises(FrequencyTableError, match="YEARLY not in its eu_terms"):
        load_frequency_table(bad)


@pytest.mark.parametrize("text, year", [
    ("2563", 2020), ("2562", 2019), (2567, 2024), (" 2400 ", 1857), ("พ.ศ. 2566", 2023),
])
def test_buddhist_era_years_become_gregorian(text, year: int) -> None:
    assert gregorian_year(text) == year


@pytest.mark.parametrize("text", ["2020", "1999", "256", "25630", "2563-2564", "", None, "abc"])
def test_anything_else_is_not_guessed(text) -> None:
    # 2020 is a ค.ศ. year typed by mistake (or a พ.ศ. year 543 years ago): never read as either
    assert gregorian_year(text) is None


def test_checksums_keep_only_the_hex_digest() -> None:
    digest = "AB" * 32
    assert parse_checksum(f"sha256:{digest}") == ("sha256", digest.lower())
    assert parse_checksum(digest) == ("sha256", digest.lower())      # length names it
    assert parse_checksum("md5:" + "0" * 32) == ("md5", "0" * 32)
    assert parse_checksum("SHA-1:" + "f" * 40) == ("sha1", "f" * 40)


@pytest.mark.parametrize("value", ["sha256:xyz", "sha256:" + "a" * 63, "sha256:", "", None,
                                   "crc32:0a0b0c0d", "sha256: " + "a" * 64])
def test_a_malformed_hash_gives_no_checksum(value) -> None:
    assert parse_checksum(value) is None
