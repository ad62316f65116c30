"""Guards that make dropping a raw field never silent.

A reader maps some raw fields, drops others on purpose (listed in its docstring and the dataset's
PROVENANCE.md) and drops a few because they are always empty upstream. If upstream adds a field,
or an always-empty field starts to hold data, the tidy CSV could not show it: these checks turn
that into a warning finding instead.
"""

from __future__ import annotations

from typing import Any, Collection, Iterable, Mapping

from flows.validation.findings import Finding, Severity, clip_value


def unmapped_fields(records: Iterable[Mapping[str, Any]], *, known: Collection[str],
                    source: str) -> list[Finding]:
    """A warning per top-level field of ``records`` neither mapped nor dropped on purpose."""
    unknown = sorted({name for record in records for name in record} - set(known))
    return [Finding(
        rule="source/unmapped-field", severity=Severity.WARNING,
        message_th=f"ไฟล์ต้นทาง {source} มีฟิลด์ {name} ที่การแปลงข้อมูลไม่รู้จัก "
                   "จึงไม่อยู่ในไฟล์ CSV",
        message_en=f"The raw file {source} has a field {name} the conversion does not know; "
                   "it is not in the CSV",
        hint_th="เพิ่มการแปลงฟิลด์นี้ใน flows/sources หรือระบุว่าตัดทิ้งโดยเจตนา",
        hint_en="Map the field in flows/sources, or list it there as a deliberate drop",
        field=name) for name in unknown]


def dropped_values(rows: Iterable[tuple[int | None, Mapping[str, Any]]], *,
                   always_empty: Collection[str], source: str) -> list[Finding]:
    """A warning per record and field in ``always_empty`` that holds data after all.

    ``rows`` pairs each record with the CSV row it became (None when it is not in the CSV).
    """
    return [Finding(
        rule="source/dropped-value", severity=Severity.WARNING,
        message_th=f"ฟิลด์ {name} ใน {source} ซึ่งปกติว่างและถูกตัดทิ้ง มีค่าในระเบียนนี้",
        message_en=f"The field {name} of {source}, dropped because it is always empty, "
                   "holds a value in this record",
        hint_th="ตรวจสอบว่าค่านี้ควรอยู่ในคอลัมน์ใด แล้วปรับการแปลงข้อมูล",
        hint_en="Find which column this value belongs to and update the conversion",
        row=row, field=name, value=clip_value(record[name]))
        for row, record in rows for name in always_empty
        if name in record and not is_blank(record[name])]


def is_blank(value: Any) -> bool:
    """True for None, "", False, and lists/mappings made only of those."""
    if isinstance(value, dict):
        return all(is_blank(item) for item in value.values())
    if isinstance(value, list):
        return all(is_blank(item) for item in value)
    return value is None or value == "" or value is False
