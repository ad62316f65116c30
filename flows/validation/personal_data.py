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

Speed: a column is joined into one text per chunk and numpy finds, with one look-up table over
the code points, the cells that may hold a hit: a run of ≥ 9 digits joined only by
characters that may sit inside a written number (spaces, "-", ".", "+", brackets, zero-width
and other format characters, in any digit script), a run of ≥ 7 digits right after a Latin
capital (passports), an at sign ("@", "＠") or an obfuscated one ("[at]", "(at)", "(แอท)").
Only those cells meet the regular expressions (the benchmark's 8 columns of 1M rows must not
cost a Python-level call per cell).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd

from flows.validation.contact_allow_list import ContactAllowList
from flows.validation.findings import Finding, Severity, clip_value, mask_value
from flows.validation.personal_text import (EMAIL, KINDS, NUMBER_CHAIN, PASSPORT,
                                            PersonalDataHit, find_personal_data, fold_table,
                                            is_valid_national_id)

__all__ = ["ContactAllowList", "PersonalDataHit", "find_personal_data", "is_valid_national_id",
           "personal_data_rule", "scan_personal_data"]

#: Past this many cells per column and rule, one summary finding stands for the rest, so a
#: column full of phone numbers gives a readable report instead of a million lines.
DEFAULT_LIMIT_PER_COLUMN = 1000

#: Candidate patterns by kind: a match is necessary, not sufficient, for a hit (no check digit,
#: no context rules). For a quick "may this text hold personal data?"; ``find_personal_data``
#: gives the hits.
PATTERNS = {"nid": NUMBER_CHAIN, "phone": NUMBER_CHAIN, "email": EMAIL, "passport": PASSPORT}

#: Cells are scanned as one joined text per chunk (one C-level regex pass instead of a Python
#: call per cell); the chunk bounds the memory that text takes.
_CHUNK_CELLS = 100_000
_CELL_BREAK = "\n"  # no pattern matches across a line break, so matches stay inside one cell
#: The shortest number worth a regex: a landline has 9 digits, a mobile 10, an ID 13; a
#: passport number has 7 after its letters.
_MIN_DIGITS = 9
_MIN_PASSPORT_DIGITS = 7
# Flags of the code-point look-up table (see _char_flags).
_DIGIT, _JOINER, _AT, _CAPITAL, _CLOSING = 1, 2, 4, 8, 16
#: The words of an obfuscated at sign, "[at]", "(AT)", "[ at ]", "(แอท)", as they end before
#: the closing bracket (ASCII letters compared case-insensitively).
_AT_WORDS = ("at", "แอท")

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

    ``frame`` follows the typed-frame contract: index = row number, strings as object dtype.
    Values listed by ``allow`` are not reported. ``limit_per_column`` caps the findings per
    column and rule; the rest are counted in one extra finding without a row.
    """
    declared = _personal_fields(schema)
    findings: list[Finding] = []
    for column in frame.columns:
        if column in declared:
            continue
        hits = _scan_column(frame[column], allow)
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
    text = column.dropna()
    if text.empty:
        return {}
    if pd.api.types.infer_dtype(text, skipna=True) != "string":
        text = text.astype(str)  # the contract says str, but a stray int must not crash the scan
    found: dict[str, dict[Any, list[str]]] = {}
    for begin in range(0, len(text), _CHUNK_CELLS):
        chunk = text.iloc[begin:begin + _CHUNK_CELLS]
        worth_a_look = _cells_worth_a_look(*_joined(chunk))
        if worth_a_look.size:
            for row, hit in _hits_in_cells(chunk.iloc[worth_a_look], allow):
                found.setdefault(hit.kind, {}).setdefault(row, []).append(hit.text)
    return found


def _joined(cells: pd.Series) -> tuple[str, np.ndarray]:
    """The cells as one text, and where each cell starts in it."""
    values = cells.to_list()
    # map(len) over the list is 3x faster than .str.len() on object dtype (measured, pandas 3.1)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return _CELL_BREAK.join(values), np.cumsum(lengths + 1) - (lengths + 1)


def _cells_worth_a_look(joined: str, cell_starts: np.ndarray) -> np.ndarray:
    """Positions of the cells that may hold a hit (see the module docstring): a necessary
    condition for every kind, tested with numpy on the code points, so the regular
    expressions only run on the few cells that pass.
    """
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    flags = _char_flags()[codes]
    digit = (flags & _DIGIT).astype(bool)
    inside = (flags & (_DIGIT | _JOINER)).astype(bool)
    run_starts = np.flatnonzero(inside & ~np.concatenate(([False], inside[:-1])))
    # digits from one run start to the next: the characters between runs are not digits
    digits_per_run = (np.add.reduceat(digit.view(np.uint8), run_starts, dtype=np.int64)
                      if run_starts.size else np.zeros(0, dtype=np.int64))
    long_runs = run_starts[digits_per_run >= _MIN_DIGITS]
    after_capital = run_starts[(digits_per_run >= _MIN_PASSPORT_DIGITS) & (run_starts > 0)]
    after_capital = after_capital[(flags[after_capital - 1] & _CAPITAL).astype(bool)]
    at_signs = np.flatnonzero(flags & _AT)
    positions = np.concatenate((long_runs, after_capital, at_signs, _at_words(codes, flags)))
    return np.unique(np.searchsorted(cell_starts, positions, side="right") - 1)


def _at_words(codes: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """Positions of the closing brackets that end an obfuscated at sign ("at]", "แอท )"):
    only the few closing brackets are looked at, not every character."""
    closings = np.flatnonzero(flags & _CLOSING)
    spaced = codes[np.maximum(closings - 1, 0)] == ord(" ")
    ends = closings - spaced  # the word ends before the bracket, or before one space before it
    found = np.zeros(len(ends), dtype=bool)
    for word in _AT_WORDS:
        matched = ends >= len(word)
        for back, char in enumerate(reversed(word), start=1):
            seen = codes[np.maximum(ends - back, 0)]
            matched &= (seen | 0x20 if char.isascii() else seen) == ord(char)
        found |= matched
    return closings[found]


@cache
def _char_flags() -> np.ndarray:
    """One byte of flags per code point: a decimal digit of any script; a character that may
    sit inside a written number (space, "-", ".", "+", brackets, and every character
    ``fold_text`` drops or turns into a space or a dash); an at sign; a Latin capital; a
    closing bracket (the end of "[at]"). Built
    from the folding table, so the prefilter and the matcher agree on what a digit is."""
    ascii_flags = np.zeros(128, dtype=np.uint8)
    ascii_flags[[ord(c) for c in "0123456789"]] = _DIGIT
    ascii_flags[[ord(c) for c in " -.+()"]] = _JOINER
    ascii_flags[[ord(")"), ord("]")]] |= _CLOSING
    ascii_flags[ord("@")] = _AT
    ascii_flags[[ord(c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]] = _CAPITAL
    flags = np.zeros(0x110000, dtype=np.uint8)
    flags[:128] = ascii_flags
    table = fold_table()
    codes = np.fromiter(table, dtype=np.int64, count=len(table))
    targets = np.fromiter((ord(" ") if to is None else to for to in table.values()),
                          dtype=np.int64, count=len(table))
    flags[codes] = ascii_flags[np.minimum(targets, 127)] * (targets < 128)
    return flags


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
