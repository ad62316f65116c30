"""Every table has a key: a Table Schema must declare a ``primaryKey``, so a duplicated row is
an error frictionless reports (``schema/primary-key``) instead of going unnoticed.

A key that names fields the schema lacks is frictionless' to report (a schema error); this rule
only refuses a schema that declares none.
"""

from __future__ import annotations

from typing import Any, Mapping

from flows.validation.findings import Finding, Severity

RULE = "schema/no-primary-key"


def primary_key_findings(schema: Mapping[str, Any], *, schema_name: str) -> list[Finding]:
    """One error when ``schema`` declares no primary key (absent, empty or not field names)."""
    key = schema.get("primaryKey")
    names = [key] if isinstance(key, str) else key if isinstance(key, list) else []
    if names and all(isinstance(name, str) and name for name in names):
        return []
    return [Finding(
        rule=RULE, severity=Severity.ERROR,
        message_th=f"Table Schema {schema_name} ไม่ได้กำหนดคีย์หลัก (primaryKey) "
                   "จึงตรวจไม่พบแถวที่ซ้ำกัน",
        message_en=f"The Table Schema {schema_name} declares no primary key, so a duplicated "
                   "row would go unnoticed",
        hint_th='เพิ่ม "primaryKey": ["<คอลัมน์>", ...] ด้วยคอลัมน์ที่ระบุแต่ละแถวได้ไม่ซ้ำกัน '
                "(คีย์ธรรมชาติของข้อมูล เช่น รหัส หรือ รหัส + ปี + รอบ)",
        hint_en='Add "primaryKey": ["<field>", ...] naming the fields that identify a row '
                "(the data's natural key, e.g. an id, or id + year + round)",
        value=None if key is None else str(key))]
