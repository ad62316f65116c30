"""Problems and obstacles for the KPI 1.3 outcome report, drawn from the run records: recurring
validation failures, datasets overdue against their declared update frequency (counted from the
data's own last update, by the rule of catalog_config/freshness.yaml), steward waivers
expiring soon, and conditions not yet done; each with a suggestion.

A suggestion names the responsible unit and the action in Thai (English second), never a file
of the repository: the report's reader is the head of the agency, who assigns the work to a
unit (``flows.kpi.responsible_units``: the dataset's stakeholders in organization.yaml).

Pure functions of what is passed in (records, metadata, waivers, today). Running again with
nothing changed adds records but changes no problem: each is a function of what the records
say happened, never of how many runs said it (the report settles).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from flows.describe.freshness import (FreshnessRule, assess_freshness, due_date,
                                     freshness_rule, schedule_of)
from flows.kpi import conditions as kpi
from flows.kpi.responsible_units import (CONDITIONS_DATASET, ResponsibleUnits, Unit,
                                         load_responsible_units)
from flows.records import BANGKOK, PUBLISHED_STATUSES
from flows.settings import PROJECT_ROOT
from flows.validation.waivers import Waiver

#: A dataset held or failed on at least RECURRING_MINIMUM of its last RECURRING_WINDOW run days
#: (a day counts by the dataset's last run that day).
RECURRING_WINDOW = 5
RECURRING_MINIMUM = 2
#: Waivers expiring within this many days are listed, so the steward renews them in time.
WAIVER_HORIZON_DAYS = 60
#: Problem kinds, Thai and English.
KINDS = {"recurring-failure": ("ตรวจสอบไม่ผ่านซ้ำ", "recurring failure"),
         "overdue": ("ข้อมูลไม่เป็นปัจจุบัน", "overdue update"),
         "waiver-expiring": ("การยกเว้นใกล้หมดอายุ", "waiver expiring"),
         "waiver-expired": ("การยกเว้นหมดอายุแล้ว", "waiver expired"),
         "condition": ("เงื่อนไขยังไม่ครบ", "condition not done")}


@dataclass(frozen=True)
class Problem:
    """A problem or obstacle (``KINDS``), and what to do about it; Thai and English."""

    kind: str
    subject: str     # a dataset id, or "เงื่อนไข N"
    problem: tuple[str, str]
    suggestion: tuple[str, str]


def suggest(unit: Unit, action_th: str, action_en: str) -> tuple[str, str]:
    """A suggestion as the report shows it: "<unit>: <action>", Thai and English."""
    return f"{unit.th}: {action_th}", f"{unit.en}: {action_en}"


def _units(units: ResponsibleUnits | None) -> ResponsibleUnits:
    return units if units is not None else load_responsible_units(PROJECT_ROOT)


def runs_of(records: list[dict[str, Any]], dataset: str) -> list[dict[str, Any]]:
    """The dataset's records, oldest first (equal times keep file order)."""
    mine = [record for record in records if record.get("dataset") == dataset]
    return sorted(mine, key=lambda record: _moment(record["finished_at"]))


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def recurring_failures(records: list[dict[str, Any]], *, window: int = RECURRING_WINDOW,
                       minimum: int = RECURRING_MINIMUM,
                       units: ResponsibleUnits | None = None) -> list[Problem]:
    """Datasets held or failed on at least ``minimum`` of their last ``window`` run days.

    A day counts by the dataset's last run that day (dry runs, status ``planned``, do not
    count). Days, not runs: a run repeated with nothing changed must not turn a failure into a
    recurring one, or the report that lists it would change without anything changing.
    """
    problems, units = [], _units(units)
    for dataset in sorted({record["dataset"] for record in records}):
        days = last_run_of_each_day(
            [r for r in runs_of(records, dataset) if r["status"] != "planned"])[-window:]
        bad = [r for r in days if r["status"] in ("held", "failed")]
        if len(bad) < minimum:
            continue
        reason = " ".join(str(bad[-1].get("reason") or "-").split())[:200]
        counts = (f"ไม่ผ่านหรือล้มเหลว {len(bad)} ใน {len(days)} วันล่าสุดที่ระบบทำงาน "
                  f"ครั้งล่าสุด: {reason}",
                  f"held or failed on {len(bad)} of its last {len(days)} run days; "
                  f"last: {reason}")
        if bad[-1]["status"] == "held":
            fix = suggest(units.of(dataset, "data_steward"),
                          "แก้ข้อมูลตามรายงานผลการตรวจสอบของชุดข้อมูล หรือบันทึกการยกเว้น"
                          "พร้อมเหตุผลและวันหมดอายุ",
                          "fix the data as its validation report says, or record a waiver "
                          "with a reason and an expiry date")
        else:
            fix = suggest(units.of(dataset, "data_custodian"),
                          "ตรวจบันทึกการทำงานของระบบและการเชื่อมต่อกับระบบบัญชีข้อมูล "
                          "แล้วสั่งให้ระบบทำงานใหม่",
                          "read the run log, check the catalog connection, re-run")
        problems.append(Problem("recurring-failure", dataset, counts, fix))
    return problems


def last_run_of_each_day(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of runs oldest first, the last of each day (the run's ``today``, else its Bangkok
    date), by day."""
    by_day: dict[str, dict[str, Any]] = {}
    for record in runs:
        day = record.get("today") or _moment(record["finished_at"]).astimezone(BANGKOK).date()
        by_day[str(day)] = record
    return [by_day[day] for day in sorted(by_day)]


def update_frequency(metadata: dict[str, Any], *, rule: FreshnessRule | None = None
                     ) -> tuple[str, int] | None:
    """``(unit, interval)`` from a metadata file's ``dga`` block, or None when it gives no
    schedule to check (the rule in catalog_config/freshness.yaml decides)."""
    dga = metadata.get("dga") if isinstance(metadata.get("dga"), dict) else {}
    unit = dga.get("update_frequency_unit")
    return schedule_of(str(unit) if unit else None, dga.get("update_frequency_interval"),
                       rule or freshness_rule())


def next_due(changed: date, unit: str, interval: int, *,
             rule: FreshnessRule | None = None) -> date:
    """The day by which data last updated on ``changed`` should have been updated again."""
    return due_date(changed, unit=unit, interval=interval, rule=rule or freshness_rule())


def data_last_updated(records: list[dict[str, Any]], dataset: str) -> date | None:
    """The data's own last update (``last_updated_date``: their newest unflagged date, or the
    declared source date) as the newest published or unchanged run sent it to the catalog;
    None when no such run recorded it."""
    published = [r for r in runs_of(records, dataset) if r["status"] in PUBLISHED_STATUSES]
    freshness = (published[-1].get("freshness") or {}) if published else {}
    text = freshness.get("last_updated_date")
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def data_changed_on(records: list[dict[str, Any]], dataset: str) -> date | None:
    """The Bangkok date the catalog's data last changed: the first of the newest unbroken
    series of published/unchanged runs with the same data file hash (``source_sha256``).

    Re-publishing the same file (after a code or metadata change) is not new data, so it does
    not count as an update; a record without the hash counts by its own time.
    """
    published = [r for r in runs_of(records, dataset) if r["status"] in PUBLISHED_STATUSES]
    if not published:
        return None
    source = (published[-1].get("inputs") or {}).get("source_sha256")
    first = published[-1]
    for record in reversed(published[:-1]):
        if source is None or (record.get("inputs") or {}).get("source_sha256") != source:
            break
        first = record
    return _moment(first["finished_at"]).astimezone(BANGKOK).date()


def overdue_datasets(records: list[dict[str, Any]], frequencies: dict[str, tuple[str, int]], *,
                     today: date, rule: FreshnessRule | None = None,
                     units: ResponsibleUnits | None = None) -> list[Problem]:
    """Registered datasets whose data's own last update (not the day the pipeline published
    them) is older than their declared frequency allows: update status เกินกำหนด."""
    rule = rule or freshness_rule()
    problems, units = [], _units(units)
    for dataset, (unit, interval) in sorted(frequencies.items()):
        if not any(r["status"] in PUBLISHED_STATUSES for r in runs_of(records, dataset)):
            continue
        updated = data_last_updated(records, dataset)
        status = assess_freshness(last_updated=updated, unit=unit, interval=interval,
                                  today=today, rule=rule)
        if status.status_key != "overdue":
            continue
        # The due date, not a count of days late: the problem reads the same on every day
        # until the data change (a count would change the report on each run).
        owner, steward = units.of(dataset, "data_owner"), units.of(dataset, "data_steward")
        problems.append(Problem("overdue", dataset, _overdue_text(
            updated, status.next_due, unit, interval), suggest(
            owner, f"ส่งข้อมูลรอบใหม่ หรือแจ้ง{steward.th}ให้แก้ความถี่การปรับปรุงข้อมูล"
                   "ในคำอธิบายชุดข้อมูลให้ตรงกับที่ปฏิบัติจริง",
            f"send the new data, or have {steward.en} correct the declared update "
            "frequency to what is really done")))
    return problems


def update_status_text(records: list[dict[str, Any]], dataset: str, metadata: dict[str, Any],
                       *, today: date, rule: FreshnessRule | None = None) -> str:
    """The dataset's update status on ``today`` as the report lists it, e.g.
    "เกินกำหนด / Overdue (ปรับปรุงล่าสุด/last updated 2023-09-26; ครบกำหนด/due 2024-09-26)"."""
    rule = rule or freshness_rule()
    dga = metadata.get("dga") if isinstance(metadata.get("dga"), dict) else {}
    updated = data_last_updated(records, dataset)
    status = assess_freshness(last_updated=updated, unit=dga.get("update_frequency_unit"),
                              interval=dga.get("update_frequency_interval"), today=today,
                              rule=rule)
    words = f"{status.status} / {rule.statuses[status.status_key]['en']}"
    dates = [f"ปรับปรุงล่าสุด/last updated {updated.isoformat() if updated else '-'}"]
    if status.next_due:
        dates.append(f"ครบกำหนด/due {status.next_due.isoformat()}")
    return f"{words} ({'; '.join(dates)})"


def _overdue_text(updated: date | None, due: date | None, unit: str,
                  interval: int) -> tuple[str, str]:
    if updated is None or due is None:
        return (f"ไม่ทราบวันที่ปรับปรุงข้อมูลล่าสุด (ไม่มีคอลัมน์วันที่หรือวันที่ของแหล่งข้อมูล) "
                f"ความถี่ที่ประกาศ ทุก {interval} {unit} สถานะ เกินกำหนด",
                f"the data's last update is unknown (no date column, no declared source date); "
                f"declared every {interval} {unit}: overdue")
    return (f"ข้อมูลปรับปรุงล่าสุด {updated.isoformat()} (วันที่ในข้อมูล) ความถี่ที่ประกาศ "
            f"ทุก {interval} {unit} ครบกำหนด {due.isoformat()} เกินกำหนดแล้ว",
            f"data last updated {updated.isoformat()} (the data's own date); declared every "
            f"{interval} {unit}; was due {due.isoformat()}")


def expiring_waivers(waivers: dict[str, list[Waiver]], *, today: date,
                     horizon_days: int = WAIVER_HORIZON_DAYS,
                     units: ResponsibleUnits | None = None) -> list[Problem]:
    """Waivers already expired, or expiring within ``horizon_days`` of ``today``."""
    problems, units = [], _units(units)
    for dataset, entries in sorted(waivers.items()):
        for waiver in entries:
            if waiver.expires > today + timedelta(days=horizon_days):
                continue
            expired, day = waiver.expires < today, waiver.expires.isoformat()
            what = f"{waiver.describe()} ({waiver.by})"
            problems.append(Problem(
                "waiver-expired" if expired else "waiver-expiring", dataset,
                (f"การยกเว้น {what} {'หมดอายุแล้วเมื่อ' if expired else 'จะหมดอายุ'} {day}",
                 f"waiver {what} {'expired on' if expired else 'expires on'} {day}"),
                suggest(units.of(dataset, "data_steward"),
                        "ยืนยันและต่ออายุการยกเว้นพร้อมเหตุผลปัจจุบัน "
                        "หรือแก้ข้อมูลแล้วยกเลิกการยกเว้น",
                        "renew the waiver with an up-to-date reason, or fix the data and "
                        "cancel the waiver")))
    return problems


def pending_conditions(rows: list[dict[str, Any]], *,
                       units: ResponsibleUnits | None = None) -> list[Problem]:
    """Conditions not yet done: obstacles to level 5, with the unit that closes each (KPI 1.3's
    data owner; the custodian for what the system shows) and what it does."""
    units = _units(units)
    owner = units.of(CONDITIONS_DATASET, "data_owner")
    steward = units.of(CONDITIONS_DATASET, "data_steward")
    custodian = units.of(CONDITIONS_DATASET, "data_custodian")
    problems = []
    for row in (row for row in rows if row["status"] != "done"):
        text = row["condition_th"]
        short = text if len(text) <= 120 else text[:119] + "…"
        fix = suggest(owner, f"ดำเนินการตามเงื่อนไขนี้ แล้วส่งสถานะและลิงก์หลักฐานให้{steward.th}บันทึก",
                      f"carry out this condition, then send its status and evidence links to "
                      f"{steward.en} to record")
        if row["filled_by"] == "pipeline":
            fix = suggest(custodian,
                          f"ลงทะเบียนชุดข้อมูลเปิดที่ผ่านการตรวจสอบอย่างน้อย {kpi.MIN_DATASETS} ชุด "
                          f"ในระบบบัญชีข้อมูล; ส่วนที่ต้องแสดงด้วยเอกสาร {owner.th}ส่งหลักฐานให้"
                          f"{steward.th}บันทึก",
                          f"register at least {kpi.MIN_DATASETS} validated open datasets in the "
                          f"catalog; for the parts shown by documents, {owner.en} sends the "
                          f"evidence to {steward.en}")
        problems.append(Problem(
            "condition", f"เงื่อนไข {row['condition_no']}",
            (f"{row['status_th']}: {short}",
             f"condition {row['condition_no']} is {kpi.STATUS_EN[row['status']]}"), fix))
    return problems


# --- the report --------------------------------------------------------------------------
