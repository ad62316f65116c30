"""Derived DGA fields: computed from the data and declarations, stable across runs."""

from datetime import date
from pathlib import Path

import pytest

from flows.describe import derived

SCHEMA = {"fields": [{"name": "id", "type": "integer"},
                     {"name": "vote_date", "type": "date"},
                     {"name": "birthdate", "type": "date", "personalData": True},
                     {"name": "be_date", "type": "date", "calendar": "buddhist"}]}


def test_slug_is_the_id_when_short_and_stable_hashed_when_long() -> None:
    assert derived.dataset_slug("senate-votes") == "senate-votes"
    assert derived.dataset_slug("Senate Votes 2019") == "senate-votes-2019"
    long_a, long_b = "a" * 80, "a" * 79 + "b"
    assert len(derived.dataset_slug(long_a)) <= 70
    assert derived.dataset_slug(long_a) == derived.dataset_slug(long_a)
    assert derived.dataset_slug(long_a) != derived.dataset_slug(long_b)
    with pytest.raises(ValueError, match="no usable URL name"):
        derived.dataset_slug("ข้อมูล")


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


def test_last_updated_is_newest_data_date_else_snapshot() -> None:
    dates = [date(2019, 8, 5), date(2020, 9, 24)]
    assert derived.last_updated_date(dates, snapshot_date="2026-11-28") == "2020-09-24"
    assert derived.last_updated_date([], snapshot_date="2026-11-28") == "2026-11-28"
    assert derived.last_updated_date([], snapshot_date=None) is None
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


@pytest.mark.parametrize("category, classification, scope", [
    ("ข้อมูลสาธารณะ", "เปิดเผย", "public"),
    ("ข้อมูลใช้ภายใน", "ชั้นเผยแพร่ภายในองค์กร", "internal"),
    ("ข้อมูลส่วนบุคคล", "ชั้นเผยแพร่ภายในองค์กร", "internal"),
    ("ข้อมูลส่วนบุคคล", "ลับ", "withheld"),
    ("ข้อมูลความมั่นคง", "ลับที่สุด", "withheld"),
    ("ข้อมูลสาธารณะ", None, "internal"),
])
def test_dissemination_scope(category, classification, scope) -> None:
    assert derived.dissemination_scope(category, classification) == scope
