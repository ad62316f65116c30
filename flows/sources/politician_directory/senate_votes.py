"""Reader of ELECT's ``senate_votelog.yaml`` → the ``senate-votes`` table, one row per Senate vote.

Mapped (source → column): ``id`` → vote_id; ``vote_date``; ``code`` → sitting_code as written and,
parsed (see ``sitting_code``), sitting_date and sitting_sequence; ``title``; ``legal_title``;
``meeting``; ``type`` → vote_type; ``passed``; ``approve``, ``disprove``, ``abstained``, ``absent``,
``total_voter``, ``total_member`` (kept as they are: null in every row upstream); ``document`` →
record_url, summary_url, other_documents (see ``document_links``).

Dropped on purpose: ``description_th`` (long prose summary, outside this table) and ``is_active``
(the website's display flag). Dropped because always empty upstream (a value in them becomes a
``source/dropped-value`` warning): ``field17``, ``en`` (title, legal_title), ``description_en``,
``reference``, ``is_no_vote`` (always false), ``no_vote_description``.

No row is dropped or corrected: the stub vote, null counts and ``passed`` = false are kept for the
quality rules to report. Findings are only what the CSV cannot show: a sitting code that cannot be
read, document entries that are incomplete or contain a separator, unknown or non-empty dropped
fields, text changed by NFC.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from flows.sources.cells import FIRST_DATA_ROW, tidy_frame, to_cell
from flows.sources.field_checks import dropped_values, unmapped_fields
from flows.sources.politician_directory.document_links import DocumentLinks, read_document_links
from flows.sources.politician_directory.sitting_code import parse_sitting_code
from flows.sources.raw_yaml import load_yaml_records, one_file
from flows.validation.findings import Finding, Severity, clip_value

READER = "politician-directory/senate-votes"
COLUMNS = ("vote_id", "vote_date", "sitting_code", "sitting_date", "sitting_sequence", "title",
           "legal_title", "meeting", "vote_type", "passed", "approve", "disprove", "abstained",
           "absent", "total_voter", "total_member", "record_url", "summary_url", "other_documents")
COUNTS = ("approve", "disprove", "abstained", "absent", "total_voter", "total_member")
MAPPED = ("id", "vote_date", "code", "title", "legal_title", "meeting", "type", "passed",
          *COUNTS, "document")
DROPPED = ("description_th", "is_active")
ALWAYS_EMPTY = ("field17", "en", "description_en", "reference", "is_no_vote",
                "no_vote_description")


def read_senate_votes(files: Sequence[Path], *,
                      encoding: str = "utf-8") -> tuple[pd.DataFrame, list[Finding]]:
    """``senate_votelog.yaml`` → (the senate-votes frame, findings of the conversion)."""
    path = one_file(files, reader=READER)
    records = load_yaml_records(path, encoding=encoding)
    findings = unmapped_fields(records, known=(*MAPPED, *DROPPED, *ALWAYS_EMPTY),
                               source=path.name)
    findings += dropped_values(enumerate(records, start=FIRST_DATA_ROW),
                               always_empty=ALWAYS_EMPTY, source=path.name)
    rows = []
    for row, record in enumerate(records, start=FIRST_DATA_ROW):
        cells, row_findings = vote_row(record, row=row)
        rows.append(cells)
        findings += row_findings
    frame, text_findings = tidy_frame(rows, COLUMNS)
    return frame, findings + text_findings


def vote_row(record: Mapping[str, Any], *, row: int) -> tuple[dict[str, str | None],
                                                                list[Finding]]:
    """One vote's cells, and findings about what the cells cannot show."""
    code = to_cell(record.get("code"))
    sitting = parse_sitting_code(code) if code else None
    links = _document_links(record.get("document"))
    cells = {
        "vote_id": to_cell(record.get("id")),
        "vote_date": to_cell(record.get("vote_date")),
        "sitting_code": code,
        "sitting_date": sitting.sitting_date.isoformat() if sitting else None,
        "sitting_sequence": str(sitting.sequence) if sitting else None,
        "title": to_cell(record.get("title")),
        "legal_title": to_cell(record.get("legal_title")),
        "meeting": to_cell(record.get("meeting")),
        "vote_type": to_cell(record.get("type")),
        "passed": to_cell(record.get("passed")),
        **{count: to_cell(record.get(count)) for count in COUNTS},
        "record_url": links.record_url,
        "summary_url": links.summary_url,
        "other_documents": links.other_documents,
    }
    findings = _link_findings(links, row=row)
    if code and sitting is None:
        findings.append(_unreadable_code(code, row=row))
    return cells, findings


def _document_links(value: Any) -> DocumentLinks:
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        # Not the list of {title, link} this reader knows: keep it whole rather than lose it.
        return DocumentLinks(record_url=None, summary_url=None, other_documents=to_cell(value))
    return read_document_links(value)


def _unreadable_code(code: str, *, row: int) -> Finding:
    return Finding(
        rule="source/sitting-code-unreadable", severity=Severity.ERROR,
        message_th=f"อ่านรหัสการประชุม {code} เป็นวันที่ไม่ได้ "
                   "(รูปแบบ วว/ดด/ปป-ลำดับ, ปี พ.ศ. 2 หลัก) จึงไม่มีวันที่ประชุมและลำดับ",
        message_en=f"The sitting code {code} cannot be read as DD/MM/YY-n (2-digit Buddhist-Era "
                   "year), so sitting_date and sitting_sequence are empty",
        hint_th="แก้รหัสในไฟล์ต้นทางให้เป็นวันที่จริง เช่น 05/08/62-1",
        hint_en="Correct the code in the raw file to a real date, e.g. 05/08/62-1",
        row=row, field="sitting_code", value=clip_value(code))


def _link_findings(links: DocumentLinks, *, row: int) -> list[Finding]:
    incomplete = [Finding(
        rule="source/document-link-incomplete", severity=Severity.WARNING,
        message_th="รายการเอกสารมีชื่อแต่ไม่มีลิงก์ หรือมีลิงก์แต่ไม่มีชื่อ "
                   "(เก็บไว้ใน other_documents)",
        message_en="A document entry has a title without a link or a link without a title "
                   "(kept in other_documents)",
        hint_th="เติมชื่อหรือลิงก์ของเอกสารในไฟล์ต้นทาง",
        hint_en="Add the missing title or link in the raw file",
        row=row, field="other_documents", value=clip_value(link.text))
        for link in links.incomplete]
    ambiguous = [Finding(
        rule="source/document-separator-in-text", severity=Severity.WARNING,
        message_th="ชื่อหรือลิงก์เอกสารมีตัวคั่น ' | ' หรือ ' ; ' "
                   "จึงแยก other_documents กลับไม่ได้",
        message_en="A document title or link contains ' | ' or ' ; ', so other_documents "
                   "cannot be split back unambiguously",
        hint_th="ตัดตัวคั่นออกจากชื่อเอกสารในไฟล์ต้นทาง",
        hint_en="Remove the separator from the document title in the raw file",
        row=row, field="other_documents", value=clip_value(link.text))
        for link in links.ambiguous]
    return incomplete + ambiguous
