"""Reader of ELECT's ``senate_vote.yaml`` → the ``senator-votes`` table: one row per senator and
vote, in source order (senators as listed, each one's votes as listed).

Mapped: ``id`` → senator_id; each ``votelog`` entry's ``key`` → vote_id and ``value`` → vote_code,
with its Thai and English labels (``VOTE_LABELS``). An unknown code is kept as vote_code with empty
labels, so the schema's enum reports it.

Dropped on purpose: ``title``, ``name``, ``lastname`` (they repeat the senators table; upstream
spells two of them differently from people.yaml, see PROVENANCE.md). Dropped because always empty:
``field150`` (a value in it becomes a ``source/dropped-value`` warning).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from flows.sources.cells import tidy_frame, to_cell
from flows.sources.field_checks import dropped_values, unmapped_fields
from flows.sources.raw_yaml import SourceError, load_yaml_records, one_file
from flows.validation.findings import Finding, Severity, clip_value

READER = "politician-directory/senator-votes"
COLUMNS = ("senator_id", "vote_id", "vote_code", "vote_label_th", "vote_label_en")
MAPPED = ("id", "votelog")
DROPPED = ("title", "name", "lastname")
ALWAYS_EMPTY = ("field150",)

#: ELECT's vote codes (from the Senate's roll-call records) → (Thai label, English label).
VOTE_LABELS: dict[str, tuple[str, str]] = {
    "1": ("เห็นด้วย", "yes"),
    "2": ("ไม่เห็นด้วย", "no"),
    "3": ("งดออกเสียง", "abstain"),
    "4": ("ไม่ลงคะแนนเสียง", "not voting"),
    "5": ("ขาด", "absent"),
    "-": ("ไม่เกี่ยวข้อง", "not applicable"),
}


def read_senator_votes(files: Sequence[Path], *,
                       encoding: str = "utf-8") -> tuple[pd.DataFrame, list[Finding]]:
    """``senate_vote.yaml`` → (the senator-votes frame, findings of the conversion)."""
    path = one_file(files, reader=READER)
    records = load_yaml_records(path, encoding=encoding)
    findings = unmapped_fields(records, known=(*MAPPED, *DROPPED, *ALWAYS_EMPTY),
                               source=path.name)
    # Rows of this table are (senator, vote) pairs, so a senator record maps to no single row.
    findings += dropped_values(((None, record) for record in records),
                               always_empty=ALWAYS_EMPTY, source=path.name)
    findings += [_no_votes(record) for record in records if not record.get("votelog")]
    rows = [row for record in records for row in senator_vote_rows(record)]
    frame, text_findings = tidy_frame(rows, COLUMNS)
    return frame, findings + text_findings


def senator_vote_rows(record: Mapping[str, Any]) -> list[dict[str, str | None]]:
    """One senator's votes, one row each."""
    votelog = record.get("votelog") or []
    if not isinstance(votelog, list) or not all(isinstance(entry, dict) for entry in votelog):
        raise SourceError(f"senator {record.get('id')!r}: votelog must be a list of key/value "
                          "entries; is this ELECT's senate_vote.yaml?")
    senator_id = to_cell(record.get("id"))
    return [_vote_row(senator_id, entry) for entry in votelog]


def vote_labels(code: str | None) -> tuple[str | None, str | None]:
    """(Thai, English) label of a vote code; (None, None) for an unknown or missing code."""
    return VOTE_LABELS.get(code or "", (None, None))


def _vote_row(senator_id: str | None, entry: Mapping[str, Any]) -> dict[str, str | None]:
    code = to_cell(entry.get("value"))
    label_th, label_en = vote_labels(code)
    return {"senator_id": senator_id, "vote_id": to_cell(entry.get("key")), "vote_code": code,
            "vote_label_th": label_th, "vote_label_en": label_en}


def _no_votes(record: Mapping[str, Any]) -> Finding:
    return Finding(
        rule="source/senator-without-votes", severity=Severity.WARNING,
        message_th="สมาชิกวุฒิสภาคนนี้ไม่มีรายการลงมติในไฟล์ต้นทาง จึงไม่มีแถวในไฟล์ CSV",
        message_en="This senator has no vote entries in the raw file, so no rows in the CSV",
        hint_th="ตรวจสอบว่าไฟล์ต้นทางขาดข้อมูลการลงมติของสมาชิกคนนี้หรือไม่",
        hint_en="Check whether the raw file lost this senator's votes",
        field="senator_id", value=clip_value(record.get("id")))
