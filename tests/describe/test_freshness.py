"""update_status: the declared rule (catalog_config/freshness.yaml) at every boundary, per unit."""

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from flows.describe.freshness import (assess_freshness, due_date, freshness_fields,
                                      load_freshness_rule, schedule_of)
from flows.describe.scheming import SCHEMA_DIR
from flows.errors import ConfigError

RULE = load_freshness_rule()
LAST = date(2026, 1, 31)

#: unit, interval -> the due date of data last updated on LAST (31 January 2026, a Saturday).
DUE = [
    ("ปี", 1, date(2027, 1, 31)),
    ("ปี", 2, date(2028, 1, 31)),
    ("ครึ่งปี", 1, date(2026, 7, 31)),
    ("ไตรมาส", 1, date(2026, 4, 30)),        # kept within April
    ("เดือน", 1, date(2026, 2, 28)),         # 31 January + 1 month
    ("เดือน", 6, date(2026, 7, 31)),
    ("สัปดาห์", 1, date(2026, 2, 7)),
    ("สัปดาห์", 2, date(2026, 2, 14)),
    ("วัน", 1, date(2026, 2, 1)),
    ("วันทำการ", 1, date(2026, 2, 2)),       # Saturday -> Monday
    ("ชั่วโมง", 1, date(2026, 2, 1)),        # day-granular dates: due the next day
    ("นาที", 1, date(2026, 2, 1)),
    ("ตามเวลาจริง", 1, date(2026, 2, 1)),
]


def _status(unit: str, interval: int, today: date) -> str:
    return assess_freshness(last_updated=LAST, unit=unit, interval=str(interval), today=today,
                            rule=RULE).status


@pytest.mark.parametrize("unit, interval, due", DUE)
def test_due_date_per_unit(unit: str, interval: int, due: date) -> None:
    assert due_date(LAST, unit=unit, interval=interval, rule=RULE) == due


@pytest.mark.parametrize("unit, interval, due", DUE)
def test_status_at_every_boundary(unit: str, interval: int, due: date) -> None:
    period = (due - LAST).days
    soon = int(RULE.due_soon_fraction * period)   # the most days left that are still "due soon"
    assert _status(unit, interval, due + timedelta(days=1)) == "เกินกำหนด"
    assert _status(unit, interval, due) == "ใกล้ครบกำหนด"           # the due day itself
    assert _status(unit, interval, due - timedelta(days=soon)) == "ใกล้ครบกำหนด"
    if soon + 1 <= period:   # a period of a few days has no "on schedule" day after day 0
        assert _status(unit, interval, due - timedelta(days=soon + 1)) == "ตรงตามรอบ"


def test_a_year_is_due_soon_in_its_last_36_days() -> None:
    # 365 days: 10 % is 36.5 days, so 36 days left is due soon and 37 is on schedule.
    due = date(2027, 1, 31)
    assert _status("ปี", 1, due - timedelta(days=36)) == "ใกล้ครบกำหนด"
    assert _status("ปี", 1, due - timedelta(days=37)) == "ตรงตามรอบ"
    assert _status("ปี", 1, LAST) == "ตรงตามรอบ"


@pytest.mark.parametrize("unit", ["ไม่ทราบ", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "อื่นๆ",
                                  None, "", "ทุกสองปี"])
def test_no_schedule_whatever_the_dates(unit: str | None) -> None:
    for today in (LAST, LAST + timedelta(days=5000)):
        freshness = assess_freshness(last_updated=LAST, unit=unit, interval="1", today=today,
                                     rule=RULE)
        assert (freshness.status, freshness.next_due) == ("ไม่กำหนดรอบ", None)


def test_scheduled_with_an_unknown_last_update_is_overdue_without_a_due_date() -> None:
    freshness = assess_freshness(last_updated=None, unit="ปี", interval="1", today=LAST,
                                 rule=RULE)
    assert (freshness.status, freshness.next_due) == ("เกินกำหนด", None)


def test_interval_missing_or_unusable_counts_as_one() -> None:
    assert schedule_of("เดือน", None, RULE) == ("เดือน", 1)
    assert schedule_of("เดือน", "x", RULE) == ("เดือน", 1)
    assert schedule_of("เดือน", "3", RULE) == ("เดือน", 3)


def test_fields_sent_to_the_catalog_change_only_with_the_status() -> None:
    dga = {"update_frequency_unit": "เดือน", "update_frequency_interval": "1"}
    days = [LAST + timedelta(days=n) for n in range(0, 60)]
    sent = [freshness_fields(last_updated=LAST.isoformat(), dga=dga, today=d, rule=RULE)
            for d in days]
    assert {s["update_due_date"] for s in sent} == {"2026-02-28"}
    changes = [d for d, before, after in zip(days[1:], sent, sent[1:]) if before != after]
    assert changes == [date(2026, 2, 26), date(2026, 3, 1)]   # due soon, then overdue
    assert freshness_fields(last_updated=None, dga={}, today=LAST, rule=RULE) == {
        "update_status": "ไม่กำหนดรอบ"}


def test_the_rule_declares_every_unit_of_the_dga_schema() -> None:
    schema = yaml.safe_load((SCHEMA_DIR / "dga_dataset.yaml").read_text(encoding="utf-8"))
    field = next(f for f in schema["dataset_fields"]
                 if f["field_name"] == "update_frequency_unit")
    choices = {c["value"] for c in field["choices"]}
    assert choices == set(RULE.units) | set(RULE.no_schedule)
    status = next(f for f in schema["dataset_fields"] if f["field_name"] == "update_status")
    assert {c["value"] for c in status["choices"]} == {v["th"] for v in RULE.statuses.values()}


def test_a_broken_rule_file_says_what_to_fix(tmp_path: Path) -> None:
    path = tmp_path / "freshness.yaml"
    path.write_text("due_soon_fraction: 10\nunits: {ปี: {years: 1}}\nstatuses: {}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_freshness_rule(path)
    text = str(caught.value)
    assert "due_soon_fraction" in text and "units.ปี" in text and "statuses.overdue" in text
