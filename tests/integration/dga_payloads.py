"""DGA-schema payloads for the integration tests (what the pipeline will send)."""

from __future__ import annotations

import copy
from typing import Any

ORG = "senate-secretariat"

#: The 13 required DGA fields of thai_gdc, plus owner_org.
REQUIRED_FIELDS = ("data_type", "title", "owner_org", "maintainer", "maintainer_email",
                   "tag_string", "notes", "objective", "update_frequency_unit", "geo_coverage",
                   "data_source", "data_format", "data_category", "license_id")


def valid_dataset(name: str, *, title_word: str = "") -> dict[str, Any]:
    """A public record dataset that satisfies every rule of the DGA schema."""
    return copy.deepcopy({
        "name": name,
        "title": f"ข้อมูลการลงมติของวุฒิสภา {title_word} {name}".replace("  ", " "),
        "owner_org": ORG,
        "private": False,
        "allow_harvest": "True",
        "data_type": "ข้อมูลระเบียน",
        "maintainer": "กลุ่มงานเทคโนโลยีสารสนเทศ สำนักงานเลขาธิการวุฒิสภา",
        "maintainer_email": "data@senate.go.th",
        "tag_string": "วุฒิสภา,การลงมติ,senate",
        "notes": "ผลการลงมติของวุฒิสภาแต่ละครั้ง (Senate votes), ๒๕๖๒–๒๕๖๓",
        "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_unit": "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล",
        "update_frequency_interval": "1",
        "geo_coverage": "ประเทศ",
        "data_source": "สำนักงานเลขาธิการวุฒิสภา; ELECT politician-directory (MIT)",
        "data_format": ["CSV"],
        "data_category": "ข้อมูลสาธารณะ",
        "data_classification": "เปิดเผย",
        "license_id": "Open Data Common",
        "accessible_condition": "ไม่มีการจำกัดการเข้าถึงข้อมูล",
        "data_language": ["ไทย"],
        "created_date": "2019-08-05",
        "last_updated_date": "2020-09-24",
        "high_value_dataset": "False",
        "reference_data": "False",
        "resources": [{
            "name": "ผลการลงมติ (CSV)",
            "url": "https://example.org/senate-votes.csv",
            "format": "CSV",
            "description": "ไฟล์ข้อมูลการลงมติ",
            "resource_private": "False",
            "resource_last_updated_date": "2020-09-24",
        }],
    })


def without(payload: dict[str, Any], field: str) -> dict[str, Any]:
    reduced = copy.deepcopy(payload)
    reduced.pop(field, None)
    return reduced
