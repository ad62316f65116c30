"""Every field is explained in Thai: a Table Schema field needs a Thai ``description_th``.

The data dictionary (per dataset, catalog-wide and in the DataStore) shows Thai first, and KPI
1.3 condition 5.3 asks for a dictionary the public can read. A field without a Thai description
would publish as an English-only (or empty) row, so the schema check refuses it: one
``schema/no-thai-description`` error per field, naming the field and what to write. The error
belongs to that dataset only; the others are validated and published all the same.

"Thai" means written mostly in Thai script: at least ``MIN_THAI_LETTERS`` Thai characters and
no fewer Thai characters than Latin letters, so a copied English sentence with one Thai word in
brackets does not pass, while a Thai text that names codes (``SEC``, ``kpi-register``) does.
The English ``description`` stays as the companion; the property name ``description_th`` is
the one every reader uses (``flows.describe.dictionary_text``, the DataStore data dictionary).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from flows.validation.findings import Finding, Severity, clip_value

RULE = "schema/no-thai-description"
#: The property that holds a field's Thai description.
PROPERTY = "description_th"
#: An older spelling some schemas used; readers still accept it, the check asks to rename it.
LEGACY_PROPERTY = "descriptionTh"
MIN_THAI_LETTERS = 5

_THAI = re.compile(r"[\u0E00-\u0E7F]")
_LATIN = re.compile(r"[A-Za-z]")


def is_thai_text(text: str) -> bool:
    """Whether ``text`` is written mostly in Thai script (see the module note)."""
    thai = len(_THAI.findall(text))
    return thai >= MIN_THAI_LETTERS and thai >= len(_LATIN.findall(text))


def thai_description_findings(schema: Mapping[str, Any], *, schema_name: str) -> list[Finding]:
    """One error per field of ``schema`` whose ``description_th`` is missing, empty, not text
    or not Thai. A malformed ``fields`` list is left to frictionless, which reports it."""
    fields = schema.get("fields")
    if not isinstance(fields, list):
        return []
    return [finding for field in fields if isinstance(field, dict)
            for finding in _field_findings(field, schema_name)]


def _field_findings(field: Mapping[str, Any], schema_name: str) -> list[Finding]:
    name = str(field.get("name") or "?")
    value = field.get(PROPERTY)
    if isinstance(value, str) and is_thai_text(value):
        return []
    if value is None and isinstance(field.get(LEGACY_PROPERTY), str):
        what_th = f'ใช้ชื่อคุณสมบัติ "{LEGACY_PROPERTY}" ซึ่งระบบข้อมูลบางส่วนไม่อ่าน'
        what_en = f'uses the old property name "{LEGACY_PROPERTY}", which not every reader takes'
        shown = field.get(LEGACY_PROPERTY)
    elif value is None or (isinstance(value, str) and not value.strip()):
        what_th, what_en, shown = "ไม่มีคำอธิบายภาษาไทย", "has no Thai description", None
    else:
        what_th = "มีคำอธิบายภาษาไทยที่ไม่ได้เขียนเป็นภาษาไทย"
        what_en = "has a Thai description that is not written in Thai"
        shown = value
    return [Finding(
        rule=RULE, severity=Severity.ERROR, field=name,
        message_th=f'ฟิลด์ "{name}" ใน Table Schema {schema_name} {what_th}',
        message_en=f'Field "{name}" of the Table Schema {schema_name} {what_en} '
                   f'("{PROPERTY}")',
        hint_th=f'เพิ่ม "{PROPERTY}": "<คำอธิบายภาษาไทย>" ในนิยามฟิลด์ "{name}" ของ '
                f"{schema_name}: ความหมายของฟิลด์ หน่วยหรือรูปแบบของค่า และที่มาของข้อมูล "
                'โดยคง "description" ภาษาอังกฤษไว้คู่กัน',
        hint_en=f'Add "{PROPERTY}": "<Thai description>" to the field "{name}" in '
                f"{schema_name}: what the field means, its unit or format and where it comes "
                'from, written in Thai; keep the English "description" beside it',
        value=clip_value(shown) if shown is not None else None)]
