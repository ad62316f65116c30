"""frictionless errors → Findings: the one table of Thai messages and hints per error type.

Rule slugs keep frictionless' type names so they can be looked up in its docs:
``structure/<type>`` for the shape of the file (header, rows, cells, the source itself) and
``schema/<type>`` for values against the Table Schema. Both are errors: either blocks publication.
The English message is frictionless' title and note (never its template, which repeats the raw
cell and would leak personal data); the cell goes to ``value``, masked for personal-data fields.
A type error and a foreign key get plain English instead ("not a valid date (YYYY-MM-DD)"), as
frictionless' note ('type is "date/default"') means nothing to a steward.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from frictionless import errors as fl_errors

from flows.validation.findings import Finding, Severity, clip_value, mask_value


@dataclass(frozen=True)
class ErrorText:
    """Thai message template (``{row}``, ``{field}``, ``{label}``, ``{position}``, ``{detail}``)
    and what the steward should do, in Thai and English."""

    message_th: str
    hint_th: str
    hint_en: str


STRUCTURE_TYPES = frozenset({
    "blank-header", "unmatched-header", "blank-label", "duplicate-label", "missing-label",
    "extra-label", "incorrect-label", "blank-row", "extra-cell", "missing-cell", "source-error",
    "format-error", "encoding-error", "scheme-error", "compression-error", "resource-error",
    "field-count", "row-count", "byte-count", "hash-count", "table-dimensions",
})

ERROR_TEXTS: dict[str, ErrorText] = {
    "blank-header": ErrorText(
        "ไฟล์ไม่มีแถวหัวคอลัมน์",
        "ใส่ชื่อคอลัมน์ตาม schema ไว้ในแถวแรกของไฟล์",
        "Put the schema's field names in the first row of the file."),
    "unmatched-header": ErrorText(
        "หัวคอลัมน์ไม่ตรงกับ schema",
        "แก้หัวคอลัมน์ให้ตรงกับชื่อฟิลด์ใน schema",
        "Make the header match the schema's field names."),
    "blank-label": ErrorText(
        "หัวคอลัมน์ลำดับที่ {position} ว่าง",
        "ตั้งชื่อหัวคอลัมน์ให้ตรงกับชื่อฟิลด์ใน schema หรือลบคอลัมน์ที่ว่างทิ้ง (มักเกิดจากเครื่องหมายจุลภาคเกินท้ายบรรทัด)",
        "Name the column as in the schema, or delete the empty column (often a trailing comma)."),
    "duplicate-label": ErrorText(
        'หัวคอลัมน์ "{label}" ลำดับที่ {position} ซ้ำกับคอลัมน์ก่อนหน้า',
        "ชื่อคอลัมน์ต้องไม่ซ้ำกัน: เปลี่ยนชื่อหรือลบคอลัมน์ที่ซ้ำ",
        "Column names must be unique: rename or delete the duplicate column."),
    "missing-label": ErrorText(
        'ไฟล์ไม่มีคอลัมน์ "{field}" (ลำดับที่ {position}) ที่ schema กำหนด',
        "เพิ่มคอลัมน์นี้ในไฟล์ หรือลบฟิลด์นี้ออกจาก schema ถ้าไม่ใช้แล้ว",
        "Add the column to the file, or remove the field from the schema if it is no longer used."),
    "extra-label": ErrorText(
        'คอลัมน์ "{label}" (ลำดับที่ {position}) ไม่มีใน schema',
        "ลบคอลัมน์นี้ออกจากไฟล์ หรือเพิ่มฟิลด์นี้ใน schema พร้อมคำอธิบาย",
        "Delete the column from the file, or add the field (with a description) to the schema."),
    "incorrect-label": ErrorText(
        'หัวคอลัมน์ลำดับที่ {position} คือ "{label}" แต่ schema กำหนดเป็น "{field}"',
        "แก้ชื่อหรือลำดับคอลัมน์ให้ตรงกับ schema หรือแก้ schema ถ้าเปลี่ยนชื่อคอลัมน์โดยตั้งใจ",
        "Rename or reorder the column to match the schema, or update the schema if the rename was intended."),
    "blank-row": ErrorText(
        "แถว {row} เป็นแถวว่าง",
        "ลบแถวว่างออกจากไฟล์",
        "Delete the empty row."),
    "extra-cell": ErrorText(
        "แถว {row} มีข้อมูลเกินจำนวนคอลัมน์ (ช่องที่ {position})",
        "ตรวจเครื่องหมายจุลภาคเกินในแถวนี้ ข้อความที่มีจุลภาคต้องครอบด้วยเครื่องหมายคำพูด \"...\"",
        "Look for a stray comma in this row; text that contains a comma must be wrapped in double quotes."),
    "missing-cell": ErrorText(
        'แถว {row} ไม่มีข้อมูลคอลัมน์ "{field}" (แถวสั้นกว่าหัวคอลัมน์)',
        "เติมช่องที่ขาดในแถวนี้ (ถ้าไม่มีข้อมูลให้เว้นว่างไว้แต่ต้องมีเครื่องหมายจุลภาคคั่น)",
        "Add the missing cells to this row (leave them empty if there is no value, but keep the commas)."),
    "type-error": ErrorText(
        'ค่าในแถว {row} คอลัมน์ "{field}" ไม่ใช่{detail}ที่ถูกต้อง',
        "แก้ค่าให้ถูกรูปแบบตาม schema หรือเว้นว่างถ้าไม่มีข้อมูล",
        "Correct the value to the schema's type and format, or leave it empty if unknown."),
    "constraint-error": ErrorText(
        'ค่าในแถว {row} คอลัมน์ "{field}" ไม่ผ่านเงื่อนไข: {detail}',
        "แก้ค่าให้ผ่านเงื่อนไขใน schema หรือขอให้ผู้ดูแลข้อมูลทบทวนเงื่อนไข",
        "Correct the value to meet the schema constraint, or ask the data steward to review the constraint."),
    "unique-error": ErrorText(
        'ค่าในแถว {row} คอลัมน์ "{field}" ซ้ำกับแถวอื่น ({detail})',
        "ค่าในคอลัมน์นี้ต้องไม่ซ้ำกัน: แก้หรือลบแถวที่ซ้ำ",
        "Values in this column must be unique: correct or remove the duplicate row."),
    "primary-key": ErrorText(
        "คีย์หลักของแถว {row} ว่างหรือซ้ำกับแถวอื่น ({detail})",
        "คีย์หลักต้องมีค่าและไม่ซ้ำกัน: แก้หรือลบแถวที่ซ้ำ",
        "The primary key must be present and unique: correct or remove the duplicate row."),
    "foreign-key": ErrorText(
        "ค่าอ้างอิงในแถว {row} ไม่พบในตารางที่อ้างถึง",
        "แก้ค่าอ้างอิงให้ตรงกับรหัสที่มีอยู่ในตารางปลายทาง หรือเพิ่มรหัสนั้นในตารางปลายทาง",
        "Correct the reference to an existing key, or add the key to the referenced table."),
    "source-error": ErrorText(
        "อ่านข้อมูลในไฟล์ไม่ได้ หรือไฟล์ว่างเปล่า",
        "ตรวจว่าไฟล์เป็น CSV ที่มีหัวคอลัมน์และข้อมูล แล้วส่งใหม่",
        "Check that the file is a CSV with a header and data rows, and submit it again."),
    "schema-error": ErrorText(
        "Table Schema ของชุดข้อมูลไม่ถูกต้อง จึงตรวจข้อมูลไม่ได้",
        "แก้ไฟล์ schemas/<id>.schema.json ตามรายละเอียดข้อผิดพลาด",
        "Fix schemas/<id>.schema.json as the error details say."),
    "field-error": ErrorText(
        'นิยามฟิลด์ใน Table Schema ไม่ถูกต้อง',
        "แก้นิยามฟิลด์ใน schemas/<id>.schema.json ตามรายละเอียดข้อผิดพลาด",
        "Fix the field definition in schemas/<id>.schema.json as the error details say."),
}
_GENERIC = ErrorText(
    "พบข้อผิดพลาดประเภท {detail}",
    "ดูรายละเอียดภาษาอังกฤษ แล้วแก้ไฟล์หรือ schema ให้ถูกต้อง",
    "See the details and correct the file or the schema.")

TYPE_NAMES_TH = {
    "integer": "จำนวนเต็ม", "number": "ตัวเลข", "boolean": "ค่าจริง/เท็จ", "date": "วันที่",
    "datetime": "วันเวลา", "time": "เวลา", "year": "ปี ค.ศ. 4 หลัก", "yearmonth": "ปีและเดือน",
    "duration": "ช่วงเวลา", "geopoint": "พิกัด", "object": "ออบเจกต์ JSON", "array": "อาร์เรย์ JSON",
}
CONSTRAINT_NAMES_TH = {
    "required": "ต้องมีค่า ห้ามว่าง", "unique": "ห้ามซ้ำ", "enum": "ต้องเป็นค่าในรายการที่กำหนด",
    "minimum": "ต้องไม่น้อยกว่าค่าต่ำสุด", "maximum": "ต้องไม่มากกว่าค่าสูงสุด",
    "exclusiveMinimum": "ต้องมากกว่าค่าต่ำสุด", "exclusiveMaximum": "ต้องน้อยกว่าค่าสูงสุด",
    "minLength": "ความยาวต้องไม่น้อยกว่าที่กำหนด", "maxLength": "ความยาวต้องไม่เกินที่กำหนด",
    "pattern": "ต้องตรงกับรูปแบบที่กำหนด", "jsonSchema": "ต้องตรงกับ JSON Schema",
}
_CONSTRAINT_NAME = re.compile(r'constraint "(\w+)"')

#: What a value of each Table Schema type must look like, in plain English; the written form
#: (``_default_pattern``) is added where the type has one.
TYPE_TEXTS_EN = {
    "integer": "not a whole number", "number": "not a number",
    "boolean": "not true or false", "date": "not a valid date", "datetime":
    "not a valid date and time", "time": "not a valid time", "year": "not a 4-digit year",
    "yearmonth": "not a valid year and month", "duration": "not a duration",
    "geopoint": "not a valid point", "geojson": "not valid GeoJSON",
    "object": "not a JSON object", "array": "not a JSON array", "string": "not valid text",
}
_DEFAULT_PATTERNS = {
    "date": "YYYY-MM-DD", "datetime": "YYYY-MM-DDThh:mm:ss", "time": "hh:mm:ss",
    "year": "YYYY", "yearmonth": "YYYY-MM", "duration": "ISO 8601, e.g. P1Y2M10D",
    "geopoint": "lon, lat", "boolean": "true or false",
}
_STRING_FORMATS_EN = {"email": "not a valid e-mail address", "uri": "not a valid URI",
                      "uuid": "not a valid UUID", "binary": "not valid base64"}
#: strftime directives as a person writes the pattern (``%d/%m/%Y`` → ``DD/MM/YYYY``).
_STRFTIME_WORDS = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%y": "YY", "%H": "hh", "%M": "mm",
                   "%S": "ss", "%b": "Mon", "%B": "Month", "%f": "ffffff", "%z": "+hhmm",
                   "%p": "AM/PM", "%I": "hh", "%j": "DDD"}
_FIELD_FORMAT_HINTS = {
    "buddhist": ("ฟิลด์นี้เป็นปี พ.ศ.: ใช้รูปแบบ DD/MM/BBBB หรือ BBBB-MM-DD เช่น 01/10/2567",
                 "This field is Buddhist-Era: write DD/MM/BBBB or BBBB-MM-DD, e.g. 01/10/2567"),
}


@dataclass(frozen=True)
class ErrorFacts:
    """What ``finding_from_error`` reads of a frictionless error, without building one (each
    frictionless error exports its metadata when made: ~0.3 ms, too slow per cell)."""

    type: str
    title: str
    note: str = ""
    row_number: int | None = None
    field_name: str | None = None
    field_number: int | None = None
    label: str = ""
    field_names: tuple[str, ...] = ()
    reference_name: str = ""
    reference_field_names: tuple[str, ...] = ()

    @classmethod
    def like(cls, error_class: type[fl_errors.Error], **facts: Any) -> "ErrorFacts":
        """The facts of an error of ``error_class`` (its type and title)."""
        return cls(type=error_class.type, title=error_class.title, **facts)


def rule_for(error_type: str) -> str:
    """``structure/<type>`` or ``schema/<type>``."""
    scope = "structure" if error_type in STRUCTURE_TYPES else "schema"
    return f"{scope}/{error_type}"


def finding_from_error(error: fl_errors.Error | ErrorFacts, *, field: dict[str, Any] | None = None,
                       value: Any = None) -> Finding:
    """One frictionless error as a Finding.

    ``field`` is the Table Schema field descriptor the error is about (for its type, calendar
    and ``personalData``); ``value`` the offending text as the steward wrote it (before any
    Thai-form conversion), masked here when the field is personal data.
    """
    field = field or {}
    text = ERROR_TEXTS.get(error.type, _GENERIC)
    row = getattr(error, "row_number", None)
    name = getattr(error, "field_name", None) or None
    context = {
        "row": row, "field": name or "", "label": getattr(error, "label", ""),
        "position": getattr(error, "field_number", ""), "detail": _detail(error, field),
    }
    hint_th, hint_en = _hints(text, error.type, field)
    if error.type == "foreign-key" and error.field_names:
        name = error.field_names[0]   # the cell a steward corrects, as the package-level check
    shown = mask_value(value) if field.get("personalData") else clip_value(value)
    message_th = text.message_th.format(**context)
    if error.type == "type-error" and written_pattern(field):
        message_th += f" (รูปแบบ {written_pattern(field)})"
    return Finding(rule=rule_for(error.type), severity=Severity.ERROR,
                   message_th=message_th, message_en=_message_en(error, row, name, field),
                   hint_th=hint_th, hint_en=hint_en, row=row, field=name, value=shown)


def _detail(error: fl_errors.Error, field: dict[str, Any]) -> str:
    if error.type == "type-error":
        kind = field.get("type", "")
        return TYPE_NAMES_TH.get(kind, kind)
    if error.type == "constraint-error":
        match = _CONSTRAINT_NAME.search(error.note)
        name = match.group(1) if match else ""
        return CONSTRAINT_NAMES_TH.get(name, error.note)
    if error.type in ("unique-error", "primary-key"):
        if "are all" in error.note:
            return "ไม่มีค่าคีย์หลัก"
        return error.note.replace("the same as in the row at position", "ซ้ำกับแถว")
    return error.type if error.type not in ERROR_TEXTS else error.note


def type_text_en(field: dict[str, Any]) -> str:
    """What a value of ``field`` must be, in plain English: "not a valid date (YYYY-MM-DD)"."""
    kind = field.get("type") or "string"
    if kind == "string" and field.get("format") in _STRING_FORMATS_EN:
        return _STRING_FORMATS_EN[field["format"]]
    text = TYPE_TEXTS_EN.get(kind, f"not a valid {kind}")
    pattern = written_pattern(field)
    return f"{text} ({pattern})" if pattern else text


def written_pattern(field: dict[str, Any]) -> str:
    """The form a value of ``field`` is written in ("DD/MM/YYYY"); "" when the type has none."""
    kind, form = field.get("type") or "string", field.get("format")
    if isinstance(form, str) and "%" in form:
        for directive, word in _STRFTIME_WORDS.items():
            form = form.replace(directive, word)
        return form
    if kind == "boolean" and (field.get("trueValues") or field.get("falseValues")):
        return " / ".join(", ".join(map(str, field.get(key) or []))
                          for key in ("trueValues", "falseValues"))
    if form in (None, "default"):
        return _DEFAULT_PATTERNS.get(kind, "")
    return ""


def _hints(text: ErrorText, error_type: str, field: dict[str, Any]) -> tuple[str, str]:
    if error_type == "type-error" and field.get("calendar") == "buddhist":
        extra_th, extra_en = _FIELD_FORMAT_HINTS["buddhist"]
        return f"{text.hint_th} ({extra_th})", f"{text.hint_en} ({extra_en})"
    return text.hint_th, text.hint_en


def _message_en(error: fl_errors.Error, row: int | None, field: str | None,
                spec: dict[str, Any]) -> str:
    if error.type == "type-error":
        return f'Row {row}, field "{field}": {type_text_en(spec)}'
    if error.type == "foreign-key":
        names = ", ".join(error.field_names)
        target = error.reference_name or "this table"
        return (f"Row {row}: {names} has no matching {', '.join(error.reference_field_names)} "
                f"in {target}")
    where = []
    if row is not None:
        where.append(f"row {row}")
    if field:
        where.append(f'field "{field}"')
    elif getattr(error, "field_number", None):
        where.append(f"column {error.field_number}")
    location = f" ({', '.join(where)})" if where else ""
    note = f": {error.note}" if error.note else ""
    return f"{error.title}{location}{note}"
