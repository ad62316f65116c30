"""Synthetic ``ValidationResult``s for the report tests: Thai messages, every kind of finding."""

from __future__ import annotations

from flows.validation.findings import Finding, Severity, ValidationResult, mask_value

GENERATED_AT = "2025-03-14T02:30:00+00:00"


def result_with(findings: list[Finding], *, dataset: str = "senate-votes",
                rows: int | None = 6_000) -> ValidationResult:
    """A result for ``dataset`` with fixed identifying fields and the given findings."""
    return ValidationResult(dataset=dataset, source=f"datasets/{dataset}/{dataset}.csv",
                            source_sha256="3f" * 32, encoding="utf-8", schema_version="1.2.0",
                            suite_version="2025-03-01", rows=rows, generated_at=GENERATED_AT,
                            findings=findings)


def type_errors(count: int, *, start_row: int = 2) -> list[Finding]:
    """``count`` schema type errors on consecutive rows of ``approve``."""
    return [Finding(rule="schema/type-error", severity=Severity.ERROR,
                    message_th=f"ค่า \"{row}x\" ในคอลัมน์ approve ไม่ใช่จำนวนเต็ม",
                    message_en=f"The value \"{row}x\" in column approve is not an integer",
                    hint_th="แก้ค่าให้เป็นตัวเลขจำนวนเต็ม หรือเว้นว่างถ้าไม่มีข้อมูล",
                    hint_en="Write a whole number, or leave the cell empty when unknown",
                    row=row, field="approve", value=f"{row}x")
            for row in range(start_row, start_row + count)]


def steward_result() -> ValidationResult:
    """A failing dataset as a steward would see it: many errors, warnings, a waiver, PII."""
    findings = type_errors(5_123)
    findings += [
        Finding(rule="expectations/no-future-dates", severity=Severity.WARNING,
                message_th="วันที่ลงมติอยู่ในอนาคต", message_en="The vote date is in the future",
                hint_th="ตรวจสอบปี พ.ศ./ค.ศ. ของวันที่", hint_en="Check the Buddhist/CE year",
                row=row, field="vote_date", value="2027-01-0" + str(row % 9 + 1))
        for row in (40, 41, 977)]
    findings += [
        Finding(rule="personal-data/thai-national-id", severity=Severity.ERROR,
                message_th="พบเลขประจำตัวประชาชนในคอลัมน์ที่ไม่ได้ระบุว่าเป็นข้อมูลส่วนบุคคล",
                message_en="A Thai national ID number is in a column not marked as personal data",
                hint_th="ลบเลขออก หรือกำหนด personalData: true ให้คอลัมน์นี้",
                hint_en="Remove the number, or mark the field personalData: true",
                row=118, field="title", value=mask_value("1101700203451")),
        Finding(rule="schema/blank-header", severity=Severity.WARNING,
                message_th="มีคอลัมน์ที่ไม่มีชื่อหัวตาราง", message_en="A column has no header",
                hint_th="ตั้งชื่อคอลัมน์ตาม Table Schema",
                hint_en="Name the column as in the schema",
                row=None, field=None, value=None,
                waived_by="สมชาย ใจดี: ไฟล์ต้นทางของ ELECT (until 2025-06-30)"),
        Finding(rule="expectations/title-not-empty", severity=Severity.ERROR,
                message_th="ชื่อเรื่องว่าง <ต้องมีค่า>", message_en="Title is empty <required>",
                hint_th="ใส่ชื่อเรื่องของการลงมติ", hint_en="Fill in the vote's title",
                row=7, field="title", value="<script>alert('x')</script>",
                waived_by="Steward: known gap in source (until 2025-12-31)"),
    ]
    return result_with(findings)
