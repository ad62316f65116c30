"""Why one dataset's metadata file cannot be used: read ``metadata/<id>.yaml`` and check the
``source:`` block every stage reads first, returning a ``DatasetProblem`` (the file, the line
when YAML gives one, what is wrong and how to fix it, in Thai and English) instead of raising.

A dataset id is not checked here: a bad id stops the command (``flows.dataset_ids``), while a
broken metadata file is that dataset's failure only (``flows.datasets.DatasetSpec.problem``).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from flows.yaml_text import load_yaml

#: The keys of a metadata file's ``source:`` block (flows.sources, flows.orchestrate.derive).
SOURCE_KEYS = ("reader", "files", "encoding", "snapshot_date", "derived", "sheet", "header_row")
#: What ``source: {derived: ...}`` may name, in run order: the conditions and the KPI 1.3 report
#: report on the datasets before them; the scorecard comes after the conditions, because it
#: scores KPI 1.3 from them (catalog_config/kpi_evidence_scoring.yaml); the public data
#: dictionary comes last, as it covers every public dataset, the derived ones too. Each has its
#: writer in flows.orchestrate.derive.
DERIVED_SOURCES = ("kpi/conditions", "kpi/scorecard", "catalog/dictionary")


@dataclass(frozen=True)
class DatasetProblem:
    """Why one dataset's metadata file cannot be used: the file (relative to the project), the
    line when known, what is wrong and how to fix it, in Thai and English.

    ``rule`` is the finding's slug: ``config/metadata-unreadable`` (not YAML, not a mapping, not
    UTF-8) or ``config/metadata-source`` (a malformed ``source:`` block).
    """

    rule: str
    file: str
    message_en: str
    hint_en: str
    message_th: str
    hint_th: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message_en}. {self.hint_en}"


def read_metadata_file(path: Path, file: str) -> tuple[dict[str, Any], DatasetProblem | None]:
    """The file's mapping, or ``{}`` and the problem that stops it being one. ``file`` is the
    file as messages name it (``metadata/<id>.yaml``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return {}, _unreadable(file, f"is not UTF-8 text (byte {exc.start})",
                               "Save the file as UTF-8", "บันทึกไฟล์เป็น UTF-8")
    except OSError as exc:
        return {}, _unreadable(file, f"cannot be read ({exc.strerror or exc})",
                               "Make the file readable by the pipeline's user",
                               "ให้ผู้ใช้ที่รันระบบอ่านไฟล์นี้ได้")
    try:
        loaded = load_yaml(text)
    except yaml.YAMLError as exc:
        return {}, _yaml_problem(file, exc)
    if loaded is None:
        return {}, None   # an empty file: its metadata problems are describe's to list
    if not isinstance(loaded, dict):
        return {}, _unreadable(file, f"holds a {_yaml_type(loaded)}, not a mapping of "
                                     "metadata keys",
                               "Write it as keys and values (id:, source:, groups:, "
                               "stakeholders:, dga:), as the other files in metadata/ do",
                               "เขียนเป็นคู่ชื่อคีย์และค่า (id:, source:, groups:, stakeholders:, "
                               "dga:) ตามไฟล์อื่นใน metadata/")
    return loaded, None


def _yaml_problem(file: str, exc: yaml.YAMLError) -> DatasetProblem:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    what = str(getattr(exc, "problem", None) or exc)
    notes = [f"column {mark.column + 1}"] if mark is not None else []
    context = getattr(exc, "context", None)
    if context:   # e.g. "while parsing a flow sequence", started on an earlier line
        started = (f" that starts at line {context_mark.line + 1}"
                   if context_mark is not None and context_mark is not mark else "")
        notes.append(f"{context}{started}")
    detail = f" ({'; '.join(notes)})" if notes else ""
    return _unreadable(file, f"is not valid YAML: {what}{detail}",
                       "Fix the YAML syntax at that line (an unclosed bracket or quote, a "
                       "missing space after ':', wrong indentation), then run again",
                       "แก้ไวยากรณ์ YAML ที่บรรทัดนั้น (วงเล็บหรือเครื่องหมายคำพูดที่ไม่ได้ปิด "
                       "ไม่มีเว้นวรรคหลัง ':' หรือการย่อหน้าไม่ตรงกัน) แล้วรันอีกครั้ง",
                       line=mark.line + 1 if mark is not None else None)


def _unreadable(file: str, what: str, hint_en: str, hint_th: str, *,
                line: int | None = None) -> DatasetProblem:
    return DatasetProblem(rule="config/metadata-unreadable", file=file, line=line,
                          message_en=f"the metadata file {what}", hint_en=hint_en,
                          message_th=f"อ่านไฟล์คำอธิบายชุดข้อมูล {file} ไม่ได้",
                          hint_th=hint_th)


def source_problem(metadata: dict[str, Any], file: str) -> DatasetProblem | None:
    """What is wrong with the ``source:`` block, which the stages read before any other key
    (ingest, derive, the declared encoding), or None. Every problem is listed at once."""
    block = metadata.get("source")
    if block is None:
        return None
    if not isinstance(block, dict):
        problems = [f"source: is a {_yaml_type(block)}; write a mapping such as "
                    "{encoding: utf-8}"]
    else:
        problems = [f"source.{key}: {why}" for key, why in _source_key_problems(block)]
    if not problems:
        return None
    return DatasetProblem(
        rule="config/metadata-source", file=file,
        message_en="the source: block is malformed: " + "; ".join(problems),
        hint_en="Fix the source: block (keys: " + ", ".join(SOURCE_KEYS) + "; see "
                "metadata/README.md), then run again",
        message_th=f"ส่วน source: ของไฟล์ {file} ไม่ถูกต้อง",
        hint_th="แก้ส่วน source: (คีย์ที่ใช้ได้: " + ", ".join(SOURCE_KEYS)
                + " ดู metadata/README.md) แล้วรันอีกครั้ง")


def _source_key_problems(block: dict[str, Any]) -> list[tuple[str, str]]:
    found = [(str(key), f"unknown key; allowed: {', '.join(SOURCE_KEYS)}")
             for key in block if key not in SOURCE_KEYS]
    reader, derived, files = block.get("reader"), block.get("derived"), block.get("files")
    for key, value in (("reader", reader), ("derived", derived)):
        if value is not None and not (isinstance(value, str) and value.strip()):
            found.append((key, f"{value!r} is not a name (text)"))
    if reader is not None and derived is not None:
        found.append(("derived", "a dataset is read by a reader or derived, not both"))
    if files is not None and not (isinstance(files, list) and files
                                  and all(isinstance(name, str) and name for name in files)):
        found.append(("files", f"{files!r} is not a list of file names, e.g. [raw/source.yaml]"))
    # snapshot_date is describe's to check, with the rest of the declared metadata
    return (found + _encoding_problems(block.get("encoding")) + _derived_problems(derived)
            + _sheet_problems(block.get("sheet"), block.get("header_row")))


def _encoding_problems(value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, str):
        try:
            codecs.lookup(value)
            return []
        except LookupError:
            pass
    return [("encoding", f"{value!r} is not a known text encoding; write utf-8, cp874 or "
                         "tis-620")]


def _sheet_problems(sheet: Any, header_row: Any) -> list[tuple[str, str]]:
    """The excel reader's options: a sheet name, and the 1-based row of the column names."""
    found = []
    if sheet is not None and not (isinstance(sheet, str) and sheet.strip()):
        found.append(("sheet", f"{sheet!r} is not a sheet name (text)"))
    if header_row is not None and not (isinstance(header_row, int)
                                       and not isinstance(header_row, bool) and header_row >= 1):
        found.append(("header_row", f"{header_row!r} is not a row number (1 or more)"))
    return found


def _derived_problems(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, str) or value in DERIVED_SOURCES:
        return []
    return [("derived", f"{value!r} is unknown; use one of {', '.join(DERIVED_SOURCES)}")]


def _yaml_type(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number",
            bool: "boolean"}.get(type(value), type(value).__name__)
