"""A dataset's suite file as findings when it cannot be run: missing (a warning: the data are
checked by their Table Schema only) or unusable (an error: the rules the steward wrote would be
silently off). Either names the file, the line when known, and what to fix.
"""

from __future__ import annotations

from pathlib import Path

from flows.errors import ConfigError
from flows.validation.expectations.suite_file import SuiteError
from flows.validation.findings import Finding, Severity, clip_value

RULE_MISSING = "suite/missing"
RULE_UNREADABLE = "suite/unreadable"


def suite_missing(path: Path) -> Finding:
    """The dataset has no ``schemas/<id>.expectations.json``: only its Table Schema checks it."""
    name = display_name(path)
    return Finding(
        rule=RULE_MISSING, severity=Severity.WARNING,
        message_th=f"ไม่พบไฟล์ชุดกฎตรวจสอบคุณภาพ (GX suite) {name} จึงตรวจเฉพาะตาม Table Schema",
        message_en=f"No expectation suite {name}: only the Table Schema checked the data",
        hint_th="สร้างไฟล์ชุดกฎตามตัวอย่างของชุดข้อมูลอื่นใน schemas/ (ความครบถ้วน วันที่ "
                "จำนวนแถว ความสอดคล้องระหว่างคอลัมน์)",
        hint_en="Create the suite, as the other datasets' suites in schemas/ do (completeness, "
                "dates, row counts, cross-column rules)",
        value=name)


def suite_unreadable(path: Path, error: ConfigError) -> Finding:
    """The suite cannot be read or GX refuses one of its rules: a configuration error of this
    dataset (it blocks publication until the file is fixed)."""
    name = display_name(path)
    line = error.line if isinstance(error, SuiteError) else None
    problem = error.problem if isinstance(error, SuiteError) else str(error)
    fix = error.fix if isinstance(error, SuiteError) else "fix the rule in the suite file"
    where_en = f"{name}, line {line}" if line else name
    where_th = f"{name} บรรทัดที่ {line}" if line else name
    return Finding(
        rule=RULE_UNREADABLE, severity=Severity.ERROR,
        message_th=f"ใช้ไฟล์ชุดกฎตรวจสอบคุณภาพ (GX suite) {where_th} ไม่ได้ จึงยังไม่ได้ตรวจตามกฎ"
                   f"ในไฟล์นั้น: {clip_value(problem)}",
        message_en=f"The expectation suite {where_en} cannot be used, so none of its rules "
                   f"ran: {clip_value(problem)}",
        hint_th="แก้ไฟล์ตามที่ระบุ (ไวยากรณ์ JSON ชื่อ type ของกฎ และค่าใน kwargs) "
                "แล้วตรวจสอบอีกครั้ง",
        hint_en=f"In {where_en}: {fix}; then validate again",
        value=name)


def display_name(path: Path) -> str:
    """The suite as the project names it (``schemas/<id>.expectations.json``), so reports are
    the same wherever the project lives."""
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name
