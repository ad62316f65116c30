"""The human-readable text of one data-dictionary entry, derived from its Table Schema field.

Every function here is pure: a field (the dict from ``schemas/<id>.schema.json``) in, text out,
Thai and English side by side so the HTML can show Thai first and the CSV carries both.
"""

from __future__ import annotations

import re
from typing import Any

#: Shown instead of example values for a personal-data field (Thai, English).
PERSONAL_NOTE_TH = "ข้อมูลส่วนบุคคล ไม่แสดงตัวอย่าง"
PERSONAL_NOTE_EN = "personal data, not shown"

#: Thai names of the Table Schema types, for the HTML (the CSV keeps the Table Schema name).
TYPE_TH = {
    "string": "ข้อความ", "integer": "จำนวนเต็ม", "number": "ตัวเลข", "boolean": "จริง/เท็จ",
    "date": "วันที่", "datetime": "วันที่และเวลา", "time": "เวลา", "year": "ปี",
    "yearmonth": "ปีและเดือน", "duration": "ช่วงเวลา", "object": "ออบเจกต์ (JSON)",
    "array": "รายการ (JSON)", "geopoint": "พิกัด", "geojson": "GeoJSON", "any": "ค่าใดก็ได้",
}

# A sentence ends at a full stop followed by a capital (or the end): "e.g. ประชุม ส.ว. (a …"
# and "คสช.)" are abbreviations inside one sentence, not ends.
_SENTENCE_END = re.compile(r"\.(?=\s+[A-Z]|\s*$)")
# The short label is the first sentence up to its first clause break.
_CLAUSE_BREAK = re.compile(r",\s|;\s|:\s|\s\(")


def english_label(field: dict[str, Any]) -> str:
    """A declared ``titleEn``/``title_en``, else the head of the English description.

    The pilot schemas declare no English title; their descriptions open with one
    ("Date of birth, ISO 8601 …" → "Date of birth"), so the label is derived, never typed twice.
    """
    declared = field.get("titleEn") or field.get("title_en")
    if declared:
        return _one_line(str(declared))
    description = _one_line(str(field.get("description") or ""))
    first = _SENTENCE_END.split(description, maxsplit=1)[0]
    head = _CLAUSE_BREAK.split(first, maxsplit=1)[0].strip().rstrip(".")
    return head or str(field.get("name", ""))


def thai_description(field: dict[str, Any]) -> str:
    """A declared Thai description (``descriptionTh``/``description_th``), else empty."""
    return _one_line(str(field.get("descriptionTh") or field.get("description_th") or ""))


def constraints_text(field: dict[str, Any]) -> tuple[str, str]:
    """The field's constraints as ("ต้องมีค่า; ค่าไม่ซ้ำกัน; …", "required; unique; …")."""
    parts = [part for rule, value in (field.get("constraints") or {}).items()
             if (part := _constraint(rule, value)) is not None]
    if field.get("calendar") == "buddhist":
        parts.append(("ค่าเป็นพุทธศักราช (แปลงเป็นคริสต์ศักราช)",
                      "Buddhist-Era values (converted to Common Era)"))
    if field.get("thaiDigits"):
        parts.append(("รับเลขไทย (๐-๙)", "Thai digits (๐-๙) accepted"))
    return "; ".join(th for th, _ in parts), "; ".join(en for _, en in parts)


def _constraint(rule: str, value: Any) -> tuple[str, str] | None:
    """One constraint as (Thai, English); None for a constraint that is switched off."""
    if rule in ("required", "unique"):
        if not value:
            return None
        return ("ต้องมีค่า", "required") if rule == "required" else ("ค่าไม่ซ้ำกัน", "unique")
    if rule == "enum":
        listed = ", ".join(_scalar(item) for item in value)
        return f"ค่าใดค่าหนึ่งใน: {listed}", f"one of: {listed}"
    bounds = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
    if rule in bounds:
        text = f"{bounds[rule]} {_scalar(value)}"
        return text, text
    if rule == "minLength":
        return f"ยาวอย่างน้อย {value} ตัวอักษร", f"at least {value} characters"
    if rule == "maxLength":
        return f"ยาวไม่เกิน {value} ตัวอักษร", f"at most {value} characters"
    if rule == "pattern":
        return f"รูปแบบ: {value}", f"pattern: {value}"
    # A constraint this module does not know yet is still shown, never silently dropped.
    return f"{rule}: {_scalar(value)}", f"{rule}: {_scalar(value)}"


def key_notes(field_name: str, schema: dict[str, Any]) -> tuple[str, str]:
    """Primary- and foreign-key notes for one field, as (Thai, English)."""
    notes: list[tuple[str, str]] = []
    primary = _as_list(schema.get("primaryKey"))
    if field_name in primary:
        if len(primary) == 1:
            notes.append(("คีย์หลัก", "primary key"))
        else:
            together = ", ".join(primary)
            notes.append((f"ส่วนหนึ่งของคีย์หลัก ({together})",
                          f"part of the primary key ({together})"))
    for foreign in schema.get("foreignKeys") or []:
        fields = _as_list(foreign.get("fields"))
        if field_name in fields:
            target = _reference(foreign.get("reference") or {})
            notes.append((f"คีย์นอก → {target}", f"foreign key → {target}"))
    return "; ".join(th for th, _ in notes), "; ".join(en for _, en in notes)


def _reference(reference: dict[str, Any]) -> str:
    # An empty resource name is a self-reference in Table Schema.
    resource = reference.get("resource") or "(ชุดข้อมูลนี้ / this dataset)"
    fields = _as_list(reference.get("fields"))
    return f"{resource}.{fields[0]}" if len(fields) == 1 else f"{resource} ({', '.join(fields)})"


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())
