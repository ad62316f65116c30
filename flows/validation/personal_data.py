"""The personal-data scan of a table: Thai national ID numbers, phone numbers, e-mail addresses
and passport numbers in columns the Table Schema does not declare ``"personalData": true``.

A declared personal-data column is kept internal (the public copy drops it), so it is skipped.
Anything found elsewhere would be published, so every hit is an ERROR. Findings never carry the
clear value: ``value`` is the matched text passed through ``mask_value``.

What counts as a hit, in which written forms, and which look-alikes do not, is decided in one
place, ``flows.validation.personal_text`` (``find_personal_data``; its docstring lists the
forms and the reasons). This module applies it to columns: text columns are searched for all
four kinds; integer columns for 13-digit IDs stored as numbers; float, date and boolean
columns are skipped. The agency's own published contact points (``ContactAllowList``, from
``catalog_config/organization.yaml``) are not hits.

Speed: only the cells that may hold a hit are ever turned into Python strings. One RE2 pattern
(``personal_candidates``: a run of 9 digits of any script joined only by characters that may sit
inside a written number, a Latin capital before 7 digits, an at sign or a bracketed "at") is
matched by ``pyarrow.compute`` over each Arrow string column, a superset of what the detector
can find; the candidates are then joined into one text per chunk (cells split by line breaks,
which no pattern crosses) and read by ``find_personal_data`` in one call. A column full of
ordinary text costs one pass of RE2's automaton, not a Python call per cell.
"""

from __future__ import annotations


from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from flows.validation.contact_allow_list import ContactAllowList
from flows.validation.parallel import map_columns
from flows.validation.findings import Finding, Severity, clip_value, mask_value
from flows.validation.personal_candidates import candidate_positions
from flows.validation.personal_text import (KINDS, PersonalDataHit, find_personal_data,
                                            is_valid_national_id)

__all__ = ["ContactAllowList", "PersonalDataHit", "find_personal_data", "is_valid_national_id",
           "personal_data_rule", "scan_personal_data"]

#: Past this many cells per column and rule, one summary finding stands for the rest, so a
#: column full of phone numbers gives a readable report instead of a million lines.
DEFAULT_LIMIT_PER_COLUMN = 1000

#: Candidate cells are read as one joined text per chunk (one detector call instead of one per
#: cell); the chunk bounds the memory that text takes.
_CHUNK_CELLS = 100_000
_CELL_BREAK = "\n"  # no pattern matches across a line break, so matches stay inside one cell

_RULES = {
    "nid": ("personal-data/thai-national-id",
            "เลขประจำตัวประชาชน 13 หลัก (เลขตรวจสอบถูกต้อง)",
            "a Thai national ID number (13 digits, valid check digit)"),
    "phone": ("personal-data/phone-number", "หมายเลขโทรศัพท์", "a Thai phone number"),
    "email": ("personal-data/email", "ที่อยู่อีเมล", "an e-mail address"),
    "passport": ("personal-data/passport-number", "เลขที่หนังสือเดินทาง",
                 "a Thai passport number"),
}
_HINT_TH = ('ระบุ "personalData": true ให้คอลัมน์นี้ใน schema เพื่อให้เก็บเป็นข้อมูลภายใน '
            "(ไม่เผยแพร่) หรือลบค่านี้ออกจากข้อมูล")
_HINT_EN = ("mark the column personalData in the schema so it stays internal, "
            "or remove the value")


def personal_data_rule(kind: str) -> tuple[str, str, str]:
    """``(rule slug, what in Thai, what in English)`` of a hit kind, for findings about it."""
    return _RULES[kind]


def scan_personal_data(frame: pd.DataFrame, schema: dict[str, Any], *,
                       allow: ContactAllowList | None = None,
                       limit_per_column: int | None = DEFAULT_LIMIT_PER_COLUMN) -> list[Finding]:
    """Findings for personal data in every column not declared ``personalData`` in ``schema``.

    ``frame`` follows the typed-frame contract: index = row number, text as
    ``string[pyarrow]`` (object dtype is accepted too).
    Values listed by ``allow`` are not reported. ``limit_per_column`` caps the findings per
    column and rule; the rest are counted in one extra finding without a row.
    """
    declared = _personal_fields(schema)
    scanned = [column for column in frame.columns if column not in declared]
    column_hits = map_columns(lambda name: _scan_column(frame[name], allow), scanned)
    findings: list[Finding] = []
    for column, hits in zip(scanned, column_hits):
        for kind in KINDS:
            if hits.get(kind):
                findings.extend(_findings_for(kind, str(column), hits[kind], limit_per_column))
    return findings


def _personal_fields(schema: dict[str, Any]) -> set[str]:
    return {field["name"] for field in schema.get("fields", [])
            if field.get("personalData") is True and "name" in field}


def _scan_column(column: pd.Series,
                 allow: ContactAllowList | None) -> dict[str, dict[Any, list[str]]]:
    """``{kind: {row: [matched text, ...]}}`` for one column, by dtype."""
    if pd.api.types.is_bool_dtype(column):
        return {}
    if pd.api.types.is_integer_dtype(column):
        return {"nid": _national_ids_in_integers(column)}
    if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
        return _scan_text(column, allow)
    return {}  # floats and dates cannot hold these in a recognisable form


def _scan_text(column: pd.Series,
               allow: ContactAllowList | None) -> dict[str, dict[Any, list[str]]]:
    found: dict[str, dict[Any, list[str]]] = {}
    for cells in _candidate_cells(column):
        for row, hit in _hits_in_cells(cells, allow):
            found.setdefault(hit.kind, {}).setdefault(row, []).append(hit.text)
    return found


def _candidate_cells(column: pd.Series) -> Iterator[pd.Series]:
    """The cells that may hold a hit, a chunk at a time, as Python strings indexed by row."""
    cells = _arrow_text(column)
    if cells is None:   # Arrow cannot hold the text: every cell goes to the detector
        present = column.dropna()
        text = pd.Series(list(map(str, present)), index=present.index, dtype=object)
        for begin in range(0, len(text), _CHUNK_CELLS):
            yield text.iloc[begin:begin + _CHUNK_CELLS]
        return
    candidates = candidate_positions(cells)
    for begin in range(0, len(candidates), _CHUNK_CELLS):
        positions = candidates[begin:begin + _CHUNK_CELLS]
        yield pd.Series(cells.take(positions).to_pylist(), index=column.index[positions],
                        dtype=object)


def _arrow_text(column: pd.Series) -> pa.ChunkedArray | None:
    """The column's cells as Arrow strings, null where missing, in the column's order; None
    when a cell cannot be UTF-8 (a lone surrogate in an object column).

    An Arrow-backed column (the typed-frame contract) is handed over without a copy; any other
    (object dtype, Python-backed strings) is converted, a stray non-string cell as its ``str``.
    """
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        return column.array.__arrow_array__()
    missing = column.isna().to_numpy()
    values = [None if gone else value if isinstance(value, str) else str(value)
              for value, gone in zip(column.to_list(), missing)]
    try:
        return pa.chunked_array([pa.array(values, type=pa.large_string())])
    except (pa.ArrowException, UnicodeError):
        return None


def _joined(cells: pd.Series) -> tuple[str, np.ndarray]:
    """The cells as one text, and where each cell starts in it."""
    values = cells.to_list()
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return _CELL_BREAK.join(values), np.cumsum(lengths + 1) - (lengths + 1)


def _hits_in_cells(cells: pd.Series,
                   allow: ContactAllowList | None) -> Iterator[tuple[Any, PersonalDataHit]]:
    """Each hit in ``cells`` with the row (index label) of the cell holding it."""
    joined, cell_starts = _joined(cells)
    hits = find_personal_data(joined, allow=allow)
    starts = np.fromiter((hit.start for hit in hits), dtype=np.int64, count=len(hits))
    rows = cells.index[np.searchsorted(cell_starts, starts, side="right") - 1]
    return zip(rows, hits)


def _national_ids_in_integers(column: pd.Series) -> dict[Any, list[str]]:
    """IDs stored as numbers: 13 digits (so no leading 0), first digit 1-8, valid check digit."""
    values = column.dropna()
    numbers = values.to_numpy(dtype=np.int64)
    in_range = (numbers >= 10**12) & (numbers < 9 * 10**12)
    if not in_range.any():
        return {}
    numbers = numbers[in_range]
    powers = 10 ** np.arange(12, -1, -1, dtype=np.int64)
    valid = _valid_national_ids((numbers[:, None] // powers) % 10)
    rows = values.index[in_range][valid]
    return {row: [str(number)] for row, number in zip(rows, numbers[valid])}


def _valid_national_ids(digits: np.ndarray) -> np.ndarray:
    """Row-wise check of an (n, 13) digit matrix: (11 - Σ dᵢ·(14-i) mod 11) mod 10 == d₁₃."""
    total = digits[:, :12] @ np.arange(13, 1, -1)
    return (11 - total % 11) % 10 == digits[:, 12]


def _findings_for(kind: str, field: str, cells: dict[Any, list[str]],
                  limit: int | None) -> Iterable[Finding]:
    rule, what_th, what_en = personal_data_rule(kind)
    message_th = f'คอลัมน์ "{field}" มี{what_th} ซึ่งเป็นข้อมูลส่วนบุคคล ห้ามเผยแพร่สู่สาธารณะ'
    message_en = f'Column "{field}" holds {what_en}: personal data that must not be published'
    rows = list(cells)
    shown = rows if limit is None else rows[:limit]
    for row in shown:
        masked = ", ".join(mask_value(text) or "" for text in cells[row])
        yield Finding(rule=rule, severity=Severity.ERROR, message_th=message_th,
                      message_en=message_en, hint_th=_HINT_TH, hint_en=_HINT_EN,
                      row=int(row), field=field, value=clip_value(masked))
    if len(rows) > len(shown):
        more = len(rows) - len(shown)
        yield Finding(rule=rule, severity=Severity.ERROR,
                      message_th=f"{message_th} (และอีก {more:,} เซลล์ที่ไม่ได้แสดงรายการ)",
                      message_en=f"{message_en} (and {more:,} more cells not listed)",
                      hint_th=_HINT_TH, hint_en=_HINT_EN, field=field)
