"""The personal-data scan: national ID numbers, phone numbers and e-mail addresses in columns
the Table Schema does not declare ``"personalData": true``.

A declared personal-data column is kept internal (the public copy drops it), so it is skipped.
Anything found elsewhere would be published, so every hit is an ERROR. Findings never carry the
clear value: ``value`` is the matched text passed through ``mask_value``.

What counts as a hit (see tests/validation/test_personal_data.py for the cases):

- ``personal-data/thai-national-id``: 13 digits whose check digit is valid (mod 11), written
  plain or in the official grouping ``1-2345-67890-12-3`` (dashes or spaces), ASCII or Thai
  digits, alone or inside text. Integer columns are checked too (an ID stored as a number).
- ``personal-data/phone-number``: a Thai mobile (06/08/09 + 8 digits) or landline (0 + 2-7 +
  7 digits; 9 digits in all, as Thai numbering is) number, ``0…`` or ``+66…``, with dashes or
  spaces. To stay clear of dates and codes, every digit group after the first has at least 3
  digits (``081-234-5678``, ``0 2831 9167`` pass; ``09-08-2562 14`` does not).
- ``personal-data/email``: ``local@domain.tld``.

Digits inside URLs are document identifiers, not people: a match that starts inside a URL is
dropped (the trade-off: an ID in a URL query string is missed; a false positive here would
block publication with no waiver possible, see waivers.py).

Speed: a column is joined into one text per chunk and numpy finds the cells holding an "@" or
a run of ≥ 9 digits; only those cells meet the regular expressions (the benchmark's 8 columns
of 1M rows must not cost a Python-level regex call per cell).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import numpy as np
import pandas as pd

from flows.validation.findings import Finding, Severity, clip_value, mask_value

#: Past this many cells per column and rule, one summary finding stands for the rest, so a
#: column full of phone numbers gives a readable report instead of a million lines.
DEFAULT_LIMIT_PER_COLUMN = 1000

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_D = "[0-9๐-๙]"
_SEP = "[- \u00a0]"

# Every pattern starts with a character class, so the regex engine skips straight to the
# characters that can begin a match; the "not glued to …" look-behinds therefore come after the
# first character (they look back over it).
# ASCII only: Thai text glued to a link ("…/a.pdfโทร 08…") is not part of it.
_URL = re.compile(r"(?:https?|ftp)://[!-~]+|www\.[!-~]+")
_LOCAL = "[A-Za-z0-9._%+-]"
_EMAIL = re.compile(rf"{_LOCAL}(?<!{_LOCAL}{_LOCAL}){_LOCAL}*@"
                    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])")
# A number is not glued to another number, nor to a decimal, time or date part of one ("12.",
# "10:", "5/", "2019-"). A comma is allowed: it separates list items ("081-234-5678,089-…").
_NUMBER_END = rf"(?!{_D})(?![-.:/]{_D})"
_NATIONAL_ID = re.compile(
    rf"{_D}(?<!{_D}{_D})(?<!{_D}[-.:/]{_D})"
    rf"{_SEP}?{_D}{{4}}{_SEP}?{_D}{{5}}{_SEP}?{_D}{{2}}{_SEP}?{_D}{_NUMBER_END}")
# A phone is also not glued to an ASCII word or a file/URL-ish token ("doc0812…", "id=08…").
_PHONE = re.compile(
    rf"[+0๐](?<![0-9๐-๙A-Za-z_+=&%#@][+0๐])(?<!{_D}[-.:/][+0๐])"
    rf"(?:(?<=\+)66[- ]?(?:\(0\)[- ]?)?|(?<=[0๐])[- ]?)"
    rf"{_D}(?:{_SEP}?{_D}){{7,8}}{_NUMBER_END}(?![A-Za-z_])")
#: The candidate patterns by kind (also used by flows.logs to mask log lines).
PATTERNS = {"nid": _NATIONAL_ID, "phone": _PHONE, "email": _EMAIL}
#: Cells are scanned as one joined text per chunk (one C-level regex pass instead of a Python
#: call per cell); the chunk bounds the memory that text takes.
_CHUNK_CELLS = 100_000
_CELL_BREAK = "\n"  # no pattern matches across a line break, so matches stay inside one cell
#: The shortest number worth a regex: a landline has 9 digits, a mobile 10, an ID 13.
_MIN_DIGITS = 9
#: Characters that may sit between the digits of one number: space, "-", NBSP, "+", "(", ")".
_RUN_JOINERS = (0x20, 0x2D, 0xA0, 0x2B, 0x28, 0x29)

_PHONE_DIGITS = r"0[689][0-9]{8}|0[2-7][0-9]{7}"
_SHORT_INNER_GROUP = rf"{_SEP}{_D}{{1,2}}(?!{_D})"

_NATIONAL_ID_WEIGHTS = np.arange(13, 1, -1)

_RULES = {
    "nid": ("personal-data/thai-national-id",
            "เลขประจำตัวประชาชน 13 หลัก (เลขตรวจสอบถูกต้อง)",
            "a Thai national ID number (13 digits, valid check digit)"),
    "phone": ("personal-data/phone-number", "หมายเลขโทรศัพท์", "a Thai phone number"),
    "email": ("personal-data/email", "ที่อยู่อีเมล", "an e-mail address"),
}
_HINT_TH = ('ระบุ "personalData": true ให้คอลัมน์นี้ใน schema เพื่อให้เก็บเป็นข้อมูลภายใน '
            "(ไม่เผยแพร่) หรือลบค่านี้ออกจากข้อมูล")
_HINT_EN = ("mark the column personalData in the schema so it stays internal, "
            "or remove the value")


def scan_personal_data(frame: pd.DataFrame, schema: dict[str, Any], *,
                       limit_per_column: int | None = DEFAULT_LIMIT_PER_COLUMN) -> list[Finding]:
    """Findings for personal data in every column not declared ``personalData`` in ``schema``.

    ``frame`` follows the typed-frame contract: index = row number, strings as object dtype.
    Text columns are searched for IDs, phones and e-mails; integer columns for 13-digit IDs;
    float, date and boolean columns are skipped. ``limit_per_column`` caps the findings per
    column and rule; the rest are counted in one extra finding without a row.
    """
    declared = _personal_fields(schema)
    findings: list[Finding] = []
    for column in frame.columns:
        if column in declared:
            continue
        hits = _scan_column(frame[column])
        for kind, cells in hits.items():
            findings.extend(_findings_for(kind, str(column), cells, limit_per_column))
    return findings


def is_valid_national_id(digits: str) -> bool:
    """True when ``digits`` (13 ASCII or Thai digits) carries a valid mod-11 check digit."""
    digits = digits.translate(_THAI_DIGITS)
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    return bool(_valid_national_ids(np.array([[int(d) for d in digits]]))[0])


def _personal_fields(schema: dict[str, Any]) -> set[str]:
    return {field["name"] for field in schema.get("fields", [])
            if field.get("personalData") is True and "name" in field}


def _scan_column(column: pd.Series) -> dict[str, dict[Any, list[str]]]:
    """``{kind: {row: [matched text, ...]}}`` for one column, by dtype."""
    if pd.api.types.is_bool_dtype(column):
        return {}
    if pd.api.types.is_integer_dtype(column):
        return {"nid": _national_ids_in_integers(column)}
    if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
        return _scan_text(column)
    return {}  # floats and dates cannot hold these in a recognisable form


def _scan_text(column: pd.Series) -> dict[str, dict[Any, list[str]]]:
    text = column.dropna()
    if text.empty:
        return {}
    if pd.api.types.infer_dtype(text, skipna=True) != "string":
        text = text.astype(str)  # the contract says str, but a stray int must not crash the scan
    found: dict[str, list[pd.Series]] = {kind: [] for kind in PATTERNS}
    for begin in range(0, len(text), _CHUNK_CELLS):
        chunk = text.iloc[begin:begin + _CHUNK_CELLS]
        worth_a_look = _cells_worth_a_look(*_joined(chunk))
        if worth_a_look.size:
            for kind, matches in _candidates_in(chunk.iloc[worth_a_look]).items():
                found[kind].append(matches)
    candidates = {kind: pd.concat(parts) if parts else pd.Series(dtype=object)
                  for kind, parts in found.items()}
    return {"nid": _group_by_row(keep_national_ids(candidates["nid"])),
            "phone": _group_by_row(keep_phones(candidates["phone"])),
            "email": _group_by_row(candidates["email"])}


def _joined(cells: pd.Series) -> tuple[str, np.ndarray]:
    """The cells as one text, and where each cell starts in it."""
    values = cells.to_list()
    # map(len) over the list is 3x faster than .str.len() on object dtype (measured, pandas 3.1)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return _CELL_BREAK.join(values), np.cumsum(lengths + 1) - (lengths + 1)


def _cells_worth_a_look(joined: str, cell_starts: np.ndarray) -> np.ndarray:
    """Positions of the cells holding an "@" or a run of ≥ 9 digits joined only by spaces,
    dashes, "+" or brackets: a necessary condition for every pattern, tested with numpy on
    the code points, so the regular expressions only run on the few cells that pass.
    """
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    digit = ((codes >= 0x30) & (codes <= 0x39)) | ((codes >= 0x0E50) & (codes <= 0x0E59))
    joiner = digit.copy()
    for code in _RUN_JOINERS:
        joiner |= codes == code
    run_starts = np.flatnonzero(joiner & ~np.concatenate(([False], joiner[:-1])))
    # digits from one run start to the next: the characters between runs are not digits
    digits_per_run = (np.add.reduceat(digit.view(np.uint8), run_starts, dtype=np.int64)
                      if run_starts.size else np.zeros(0, dtype=np.int64))
    long_runs = run_starts[digits_per_run >= _MIN_DIGITS]
    at_signs = np.flatnonzero(codes == ord("@"))
    positions = np.concatenate((long_runs, at_signs))
    return np.unique(np.searchsorted(cell_starts, positions, side="right") - 1)


def _candidates_in(cells: pd.Series) -> dict[str, pd.Series]:
    """Pattern matches outside URLs, as ``{kind: Series(matched text, index=row)}``."""
    joined, cell_starts = _joined(cells)
    urls = np.array([m.span() for m in _URL.finditer(joined)], dtype=np.int64).reshape(-1, 2)
    result = {}
    for kind, pattern in PATTERNS.items():
        matches = [(m.start(), m.group()) for m in pattern.finditer(joined)]
        starts = np.array([start for start, _ in matches], dtype=np.int64)
        keep = ~_inside_spans(starts, urls)
        rows = cells.index[np.searchsorted(cell_starts, starts[keep], side="right") - 1]
        texts = [text for (_, text), kept in zip(matches, keep) if kept]
        result[kind] = pd.Series(texts, index=rows, dtype=object)
    return result


def _inside_spans(positions: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Which positions fall inside one of the sorted, non-overlapping ``(start, end)`` spans."""
    if not len(spans):
        return np.zeros(len(positions), dtype=bool)
    span = np.searchsorted(spans[:, 0], positions, side="right") - 1
    return (span >= 0) & (positions < spans[np.maximum(span, 0), 1])


def keep_national_ids(candidates: pd.Series) -> pd.Series:
    """The candidates that are national ID numbers (valid check digit)."""
    if candidates.empty:
        return candidates
    digits = candidates.str.translate(_THAI_DIGITS).str.replace(_SEP, "", regex=True)
    matrix = np.frombuffer("".join(digits).encode("ascii"), dtype=np.uint8).reshape(-1, 13) - 48
    return candidates[_valid_national_ids(matrix.astype(np.int64))]


def _valid_national_ids(digits: np.ndarray) -> np.ndarray:
    """Row-wise check of an (n, 13) digit matrix: (11 - Σ dᵢ·(14-i) mod 11) mod 10 == d₁₃."""
    total = digits[:, :12] @ _NATIONAL_ID_WEIGHTS
    return (11 - total % 11) % 10 == digits[:, 12]


def keep_phones(candidates: pd.Series) -> pd.Series:
    """The candidates shaped like Thai phone numbers."""
    if candidates.empty:
        return candidates
    body = candidates.str.replace(r"^\+66[- ]?(?:\(0\)[- ]?)?", "", regex=True)
    local = candidates.str.startswith("+")
    digits = body.str.translate(_THAI_DIGITS).str.replace(_SEP, "", regex=True)
    digits = digits.where(~local, "0" + digits)
    plausible = digits.str.fullmatch(_PHONE_DIGITS) & ~body.str.contains(_SHORT_INNER_GROUP)
    return candidates[plausible.astype(bool)]


def _national_ids_in_integers(column: pd.Series) -> dict[Any, list[str]]:
    values = column.dropna()
    numbers = values.to_numpy(dtype=np.int64)
    in_range = (numbers >= 10**12) & (numbers < 10**13)
    if not in_range.any():
        return {}
    numbers = numbers[in_range]
    powers = 10 ** np.arange(12, -1, -1, dtype=np.int64)
    valid = _valid_national_ids((numbers[:, None] // powers) % 10)
    rows = values.index[in_range][valid]
    return {row: [str(number)] for row, number in zip(rows, numbers[valid])}


def _group_by_row(matches: pd.Series) -> dict[Any, list[str]]:
    """Matches indexed by row (a row may repeat) → {row: [texts]} in order of appearance."""
    grouped: dict[Any, list[str]] = {}
    for row, text in matches.items():
        grouped.setdefault(row, []).append(text)
    return grouped


def _findings_for(kind: str, field: str, cells: dict[Any, list[str]],
                  limit: int | None) -> Iterable[Finding]:
    rule, what_th, what_en = _RULES[kind]
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
