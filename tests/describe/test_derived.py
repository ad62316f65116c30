"""Derived DGA fields: computed from the data and declarations, stable across runs."""

from datetime import date
from pathlib import Path

import pytest

from flows.describe import derived
from flows.errors import ConfigError

SCHEMA = {"fields": [{"name": "id", "type": "integer"},
                     {"name": "vote_date", "type": "date"},
                     {"name": "birthdate", "type": "date", "personalData": True},
                     {"name": "be_date", "type": "date", "calendar": "buddhist"}]}


def test_slug_is_the_checked_id_itself() -> None:
    assert derived.dataset_slug("senate-votes") == "senate-votes"
    assert derived.dataset_slug("a" * 70) == "a" * 70
    for bad in ("Senate Votes 2019", "T-UPPER", "a" * 71, "ข้อมูล", "../x"):
        with pytest.raises(ConfigError, match="invalid dataset id"):
            derived.dataset_slug(bad)


def test_personal_date_columns_never_give_dates(tmp_path: Path) -> None:
    csv_path = tmp_path / "d.csv"
    csv_path.write_text("id,vote_date,birthdate,be_date\n1,2019-08-05,2052-01-01,2563-09-24\n"
                        "2,,1950-01-01,\n", encoding="utf-8")
    fields = derived.temporal_fields(SCHEMA)
    assert [f["name"] for f in fields] == ["vote_date", "be_date"]
    dates = derived.read_dates(csv_path, fields)
    assert dates == [date(2019, 8, 5), date(2020, 9, 24)]
    assert derived.temporal_coverage(dates) == (2019, 2020)
    assert derived.personal_fields(SCHEMA) == ["birthdate"]


def test_last_updated_is_newest_data_date_else_declared_source_date() -> None:
    dates = [date(2019, 8, 5), date(2020, 9, 24)]
    assert derived.last_updated_date(dates, source_date="2023-09-26") == "2020-09-24"
    assert derived.last_updated_date([], source_date="2023-09-26") == "2023-09-26"
    assert derived.last_updated_date([], source_date=None) is None
    assert derived.temporal_coverage([]) is None
    assert derived.buddhist_era_year(2019) == 2562


def test_digest_and_size(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"abc")
    assert derived.file_digest(path) == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 3)


def test_data_format_follows_schema_choice_order_and_names_unknown_ones() -> None:
    choices = ["Database", "CSV", "XML", "JSON", "HTML", "อื่นๆ"]
    assert derived.data_format(["HTML", "csv", "JSON", "CSV"], choices=choices) == (
        ["CSV", "JSON", "HTML"], "")
    assert derived.data_format(["CSV", "parquet"], choices=choices) == (["CSV", "อื่นๆ"], "PARQUET")
