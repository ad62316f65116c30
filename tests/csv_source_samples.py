"""Small datasets for the reader tests (flows.csv_source): a cp874 CSV with little Thai, and the
files that are not tables (empty, binary), each added to a copy of the project as a dataset
whose CSV is its source (no reader)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from flows.settings import PROJECT_ROOT

#: A few Thai words among ASCII rows: chardet (frictionless) reads these cp874 bytes as
#: iso8859-15 or cp1257, i.e. mojibake.
THAI_WORD = "ห้องสมุด"
SPARSE_THAI_TEXT = "code,name_en,note_th,updated\n" + "".join(
    f"R{i:02d},Reading room {i},{THAI_WORD if i == 3 else 'open'},2024-01-{i:02d}\n"
    for i in range(1, 21))
SPARSE_THAI_CP874 = SPARSE_THAI_TEXT.encode("cp874")

SCHEMA = {"version": "1.0.0", "primaryKey": ["code"], "fields": [
    {"name": "code", "title": "รหัสห้อง", "description": "Room code.",
     "description_th": "รหัสห้องประชุม", "type": "string", "constraints": {"required": True}},
    {"name": "name_en", "title": "ชื่อห้อง", "description": "Room name in English.",
     "description_th": "ชื่อห้องประชุมภาษาอังกฤษ", "type": "string"},
    {"name": "note_th", "title": "หมายเหตุ", "description": "A note, in Thai.",
     "description_th": "หมายเหตุภาษาไทย", "type": "string"},
    {"name": "updated", "title": "วันที่ปรับปรุง", "description": "Last update.",
     "description_th": "วันที่ปรับปรุงข้อมูลล่าสุด", "type": "date"}]}

SUITE = {"name": "", "meta": {"version": "1.0.0", "description": "Row count only."},
         "suite_parameters": {}, "expectations": [
             {"type": "expect_table_row_count_to_be_between",
              "kwargs": {"min_value": 1, "max_value": 100000},
              "meta": {"rule": "row-count", "severity": "error",
                       "message_th": "จำนวนแถวผิดปกติ", "message_en": "unexpected row count",
                       "hint_th": "ตรวจไฟล์", "hint_en": "check the file"}}]}

#: Not tables: what stewards hand in by mistake.
EMPTY = b""
#: An SQLite database's first bytes: ASCII, so it decodes as UTF-8, with NUL characters.
NUL_BINARY = b"SQLite format 3\x00\x10\x00\x01\x01\x00@  \x00\x00\x00\x02" + bytes(64)
#: Bytes that are neither UTF-8 nor Thai (a PNG header and random-looking bytes).
UNDECODABLE = b"\x89PNG\r\n\x1a\n" + bytes(range(128, 256)) * 4


def add_csv_dataset(root: Path, dataset_id: str, data: bytes, *, encoding: str | None = None,
                    title: str | None = None, suite: bool = True) -> Path:
    """Add ``dataset_id`` to the project copy at ``root``: its CSV (``data``), the sample Table
    Schema, a one-rule suite and metadata declaring ``encoding`` (none when None); the DGA
    fields are kpi-2-3-ita's, with a title of its own (the catalog wants unique titles)."""
    folder = root / "datasets" / dataset_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{dataset_id}.csv").write_bytes(data)
    schemas = root / "schemas"
    schemas.mkdir(exist_ok=True)
    (schemas / f"{dataset_id}.schema.json").write_text(
        json.dumps(SCHEMA, ensure_ascii=False, indent=2), encoding="utf-8")
    if suite:
        (schemas / f"{dataset_id}.expectations.json").write_text(
            json.dumps({**SUITE, "name": dataset_id}, ensure_ascii=False, indent=2),
            encoding="utf-8")
    metadata = yaml.safe_load((PROJECT_ROOT / "metadata" / "kpi-2-3-ita.yaml")
                              .read_text(encoding="utf-8"))
    metadata["id"] = dataset_id
    metadata.pop("freshness", None)   # it names kpi-2-3-ita's columns, not these
    metadata["source"] = {"snapshot_date": "2026-11-28",
                          **({"encoding": encoding} if encoding else {})}
    metadata["dga"]["title"] = title or f"ชุดข้อมูลทดสอบการอ่านไฟล์ {dataset_id} (reader test)"
    (root / "metadata").mkdir(exist_ok=True)
    (root / "metadata" / f"{dataset_id}.yaml").write_text(
        yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder / f"{dataset_id}.csv"
