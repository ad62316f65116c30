"""The starter GX suite, from the data: not-null for complete columns, the key unique, observed
ranges for numbers and dates (never after the day of the check), text without outer spaces.
Every rule has a severity and Thai and English messages and hints, as the suite format asks."""

from __future__ import annotations

from datetime import date
from typing import Any

from flows.onboard.profile import ColumnProfile

_FORMAT = ("GX 1.x ExpectationSuite JSON; each expectation's meta names its rule, severity "
           "(error|warning) and Thai/English message and hint. Parameters: {\"$PARAMETER\": "
           "name} reads suite_parameters or 'today', which the validation stage supplies.")


def draft_suite(dataset_id: str, profiles: list[ColumnProfile],
                key: str | None) -> dict[str, Any]:
    """The suite as a dict (``schemas/<id>.expectations.json``)."""
    rows = max((p.total for p in profiles), default=0)
    expectations = [_row_count(rows)]
    for profile in profiles:
        expectations += _column_rules(profile, key)
    return {"name": dataset_id,
            "meta": {"version": "0.1.0",
                     "description": f"Starter rules drafted by `senate-catalog new` from "
                                    f"{rows} rows; review each one.",
                     "format": _FORMAT},
            "suite_parameters": {},
            "expectations": expectations}


def _column_rules(profile: ColumnProfile, key: str | None) -> list[dict[str, Any]]:
    rules = []
    name = profile.name
    if profile.complete:
        rules.append(_rule("expect_column_values_to_not_be_null", {"column": name},
                           "not-null", "error",
                           f"ไม่มีค่าในคอลัมน์ {name} ซึ่งต้องกรอกทุกแถว",
                           f"{name} is empty; it must be filled in every row",
                           "กรอกค่าที่ขาดจากเอกสารต้นฉบับ", "fill in the value from the source"))
    if name == key:
        rules.append(_rule("expect_column_values_to_be_unique", {"column": name},
                           "key-unique", "error",
                           f"ค่า {name} ซ้ำกัน ทั้งที่เป็นรหัสของแถว",
                           f"{name} repeats although it identifies the row",
                           "แก้รหัสที่ซ้ำหรือลบแถวที่ซ้ำ", "fix the repeated key or remove the "
                           "duplicate row"))
    if profile.kind in ("integer", "number") and not profile.buddhist:
        rules.append(_range(name, profile.minimum, profile.maximum))
    if profile.kind == "date" and not profile.buddhist:   # BE cells: the schema converts them
        rules.append(_rule("expect_column_values_to_be_between",
                           {"column": name, "max_value": {"$PARAMETER": "today"}},
                           "no-future-dates", "error",
                           "วันที่อยู่ในอนาคต (หลังวันที่ตรวจ) ซึ่งเป็นไปไม่ได้",
                           "the date is in the future (after the day of the check), which is "
                           "impossible",
                           "ตรวจวันที่กับเอกสารต้นฉบับ มักเกิดจากพิมพ์ปีผิดหรือใช้ปี พ.ศ. แทน ค.ศ.",
                           "check the date against the source; usually a mistyped year or a "
                           "Buddhist-Era year used as Common Era"))
        rules.append(_range(name, profile.minimum, None))
    if profile.kind == "string" and profile.filled and not profile.personal:
        rules.append(_rule("expect_column_values_to_not_match_regex",
                           {"column": name, "regex": r"^\s|\s$"}, "trimmed-text", "warning",
                           f"ค่าใน {name} มีช่องว่างหน้าหรือท้ายข้อความ",
                           f"{name} has spaces before or after the text",
                           "ลบช่องว่างหน้าและท้ายข้อความ", "remove the leading and trailing "
                           "spaces"))
    return rules


def _range(column: str, low: Any, high: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"column": column}
    if low is not None:
        kwargs["min_value"] = low.isoformat() if isinstance(low, date) else low
    if high is not None:
        kwargs["max_value"] = high
    return _rule("expect_column_values_to_be_between", kwargs, "observed-range", "warning",
                 f"ค่า {column} อยู่นอกช่วงที่พบในข้อมูลตอนร่างชุดกฎ",
                 f"{column} is outside the range seen when the rules were drafted",
                 "ตรวจค่ากับเอกสารต้นฉบับ ถ้าช่วงเปลี่ยนจริงให้ปรับช่วงในไฟล์ชุดกฎ",
                 "check the value against the source; if the range really changed, update it "
                 "in the suite file")


def _row_count(rows: int) -> dict[str, Any]:
    return _rule("expect_table_row_count_to_be_between",
                 {"min_value": max(1, rows // 2), "max_value": max(rows * 10, 10)},
                 "row-count", "error",
                 "จำนวนแถวอยู่นอกช่วงที่คาดไว้", "the number of rows is outside the expected range",
                 "ตรวจว่าไฟล์ครบ ถ้าจำนวนเปลี่ยนจริงให้ปรับช่วงในไฟล์ชุดกฎ",
                 "check that the file is complete; if the number really changed, update the "
                 "range in the suite file")


def _rule(kind: str, kwargs: dict[str, Any], rule: str, severity: str, message_th: str,
          message_en: str, hint_th: str, hint_en: str) -> dict[str, Any]:
    return {"type": kind, "kwargs": kwargs,
            "meta": {"rule": rule, "severity": severity, "message_th": message_th,
                     "message_en": message_en, "hint_th": hint_th, "hint_en": hint_en}}
