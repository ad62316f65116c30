"""Metadata findings about freshness: every dataset declares an update schedule the catalog
can count (``catalog_config/freshness.yaml``), and a way to know its last update.

    metadata/update-frequency      no update_frequency_unit, or one that gives no schedule
                                   (ไม่ทราบ, ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล, อื่นๆ):
                                   update_status is ไม่กำหนดรอบ
    metadata/last-update-unknown   a schedule, but no date column of its own and no declared
                                   freshness.source_date: update_status is เกินกำหนด

Both are warnings: the data publish, the steward is told what to declare. A closed historical
record may waive the first with its reason (metadata/waivers/<id>.yaml).
"""

from __future__ import annotations

from typing import Any

from flows.describe.derived import temporal_fields
from flows.describe.freshness import FreshnessRule, freshness_rule, schedule_of
from flows.validation.findings import Finding, Severity, clip_value

_UNITS_HINT_TH = "ปี ครึ่งปี ไตรมาส เดือน สัปดาห์ วัน"


def update_frequency_findings(metadata: dict[str, Any], table_schema: dict[str, Any], *,
                              dataset: str, rule: FreshnessRule | None = None) -> list[Finding]:
    """The freshness findings of one dataset's metadata file (raw YAML mapping)."""
    rule = rule or freshness_rule()
    dga = metadata.get("dga") if isinstance(metadata.get("dga"), dict) else {}
    unit = dga.get("update_frequency_unit")
    if schedule_of(str(unit) if unit else None, dga.get("update_frequency_interval"),
                   rule) is None:
        return [_no_schedule(dataset, unit, rule)]
    freshness = metadata.get("freshness") if isinstance(metadata.get("freshness"), dict) else {}
    if not temporal_fields(table_schema) and not freshness.get("source_date"):
        return [_last_update_unknown(dataset)]
    return []


def _no_schedule(dataset: str, unit: Any, rule: FreshnessRule) -> Finding:
    stated = f"ระบุ {unit!s}" if unit else "ไม่ได้ระบุ"
    return Finding(
        rule="metadata/update-frequency", severity=Severity.WARNING,
        field="update_frequency_unit", value=clip_value(unit),
        message_th=f"ชุดข้อมูลนี้ไม่มีรอบการปรับปรุงที่ตรวจได้ (หน่วยความถี่{stated}) สถานะการปรับปรุง"
                   f"จึงเป็น {rule.word('no_schedule')}",
        message_en=f"metadata/{dataset}.yaml declares no update schedule the catalog can count "
                   f"(update_frequency_unit: {unit or 'missing'}), so its update status is "
                   f"{rule.statuses['no_schedule']['en']}",
        hint_th=f"ระบุ dga.update_frequency_unit ({_UNITS_HINT_TH}) และ "
                "dga.update_frequency_interval (เช่น 1) ตามรอบที่หน่วยงานปรับปรุงข้อมูลจริง "
                "หากเป็นข้อมูลย้อนหลังที่ปิดแล้ว ให้ผู้ดูแลข้อมูลยกเว้นข้อค้นพบนี้พร้อมเหตุผล",
        hint_en="Declare dga.update_frequency_unit (ปี, ครึ่งปี, ไตรมาส, เดือน, สัปดาห์, วัน, ...) "
                "and dga.update_frequency_interval (e.g. 1) as the agency really updates the "
                "data; for a closed historical record, the steward waives this finding with "
                "the reason (metadata/waivers/<id>.yaml)")


def _last_update_unknown(dataset: str) -> Finding:
    return Finding(
        rule="metadata/last-update-unknown", severity=Severity.WARNING,
        message_th="ข้อมูลไม่มีคอลัมน์วันที่และไม่ได้ระบุวันที่ของแหล่งข้อมูล จึงไม่ทราบวันที่ปรับปรุง"
                   "ข้อมูลล่าสุด สถานะการปรับปรุงจึงเป็น เกินกำหนด",
        message_en=f"metadata/{dataset}.yaml has an update schedule, but the data have no date "
                   "column and no source date is declared: the last update is unknown, so the "
                   "update status is Overdue",
        hint_th="ระบุ freshness.source_date (วันที่แหล่งข้อมูลเผยแพร่หรือปรับปรุงข้อมูลล่าสุด "
                "รูปแบบ YYYY-MM-DD) ในไฟล์ metadata",
        hint_en="Declare freshness.source_date (YYYY-MM-DD: the day the source published or "
                "last changed the data) in the metadata file")
