"""Which cells of an Arrow string column may hold personal data: one RE2 pattern, run by
``pyarrow.compute`` over the whole column, picks the candidates, and only those meet the precise
detector (``personal_text.find_personal_data``: check digits, context rules, the allow-list).

The pattern must match every text the detector finds anything in (a superset; a miss here
would be a leak), so it is derived from the detector's own reading of a text:

- The detector reads ``fold_text(text)``: format characters dropped, every decimal digit made
  ASCII, spaces, dashes and full-width ASCII folded. So each character class of a pattern
  written for folded text stands here for its *preimage*: every code point whose folded form
  the detector's own regex (Python ``re``: ``\\d``, ``(?i)a``, ``[A-Z]``) accepts, computed
  from the fold table (``๐`` and ``０`` for ``0``, ``＠`` and ``﹫`` for ``@``, ...). Dropped
  format characters may sit between any two characters. RE2's ``\\d`` is ASCII only, so the
  digit class is ``\\p{Nd}`` plus any folded digit this RE2's Unicode tables do not list.
- A national ID lies in a number chain (digit groups joined by spaces, ``-``, ``.``, ``+`` and
  brackets) holding its 13 digits: a run of 13 digits joined by such characters.
- A phone written in the national form is a ``0``, then digits, then groups of ≥ 3 digits
  (``_phone_number``), 9 or 10 digits in all: a ``0`` and ≥ 8 more digits, each later group
  ≥ 3 long. Written with the country code (``+66``, ``(+66)``, ``0066``, ``66…``) it has
  ``66`` and ≥ 8 more digits. Dates and times (``09-08-2562 14:30``) are neither.
- A passport number is two Latin capitals and 7 digits, or one capital and 7 digits after the
  word passport / หนังสือเดินทาง / พาสปอร์ต on the same line.
- An e-mail address needs an at sign (``@``, ``＠``, ``﹫``) or a bracketed ``at`` / ``แอท``.

Each of these is necessary for a hit of its kind, never sufficient, so the candidates are a
superset of the cells with hits. The cost is one pass of RE2's automaton over the column's
bytes and no Python call per cell.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from typing import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flows.validation.columnar.zero_copy import blockwise

from flows.validation.personal_text import fold_table

#: Digits of a national ID; fewest digits of a phone (a landline), and of a passport number.
_ID_DIGITS = 13
_PHONE_DIGITS = 9
_PHONE_GROUP = 3        # every group of a phone after the first has at least this many digits
_PASSPORT_DIGITS = 7
_PASSPORT_WORDS = ("passport", "หนังสือเดินทาง", "พาสปอร์ต")


def candidate_positions(cells: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Positions (0-based) of the non-null cells of a string array that may hold a hit."""
    if len(cells) == 0:
        return np.zeros(0, dtype=np.int64)
    # First the cheap test every hit passes (seven digits, an at sign or a bracket), then the
    # two big patterns on the few cells left: most text has none of these.
    maybe = blockwise(cells, lambda block: pc.match_substring_regex(
        block, screening_pattern()).fill_null(False))
    maybe = np.flatnonzero(_numpy(maybe))
    if not len(maybe):
        return maybe
    few = cells.take(pa.array(maybe))
    matched = None
    for pattern in candidate_patterns():
        # block by block: pyarrow compiles this big pattern once per chunk it is given
        found = blockwise(few, lambda block, pattern=pattern: pc.match_substring_regex(
            block, pattern).fill_null(False))
        matched = found if matched is None else pc.or_(matched, found)
    return maybe[_numpy(matched)]


def _numpy(flags: pa.ChunkedArray | pa.Array) -> np.ndarray:
    if isinstance(flags, pa.ChunkedArray):
        flags = flags.combine_chunks()   # booleans: one byte per 8 cells
    return flags.to_numpy(zero_copy_only=False)


@cache
def screening_pattern() -> str:
    """A small RE2 pattern every candidate matches: each of ``candidate_patterns`` needs seven
    digits (of any script, anywhere in the cell), an at sign, or an opening bracket (the
    bracketed "at")."""
    c = _Classes()
    return (f"(?s){c.digit}(?:.*?{c.digit}){{{_PASSPORT_DIGITS - 1}}}"
            f"|{c.at_sign}|{c.opening}")


@cache
def candidate_patterns() -> tuple[str, str]:
    """The RE2 patterns (see the module docstring), built once from the fold table; a cell is
    a candidate when either matches. Two, not one: the national phone's spelled-out counting,
    run in one automaton with the other counted runs, multiplies its states past RE2's memory
    budget, and RE2 then searches some 50 times slower (measured on 1M cells)."""
    c = _Classes()
    national_id = f"(?:{c.digit}{c.joiner}*){{{_ID_DIGITS - 1}}}{c.digit}"
    one_more = f"{c.gap}{c.digit}"
    new_group = f"{c.joiner}+{c.digit}" + one_more * (_PHONE_GROUP - 1)
    national_phone = c.zero + _steps(_PHONE_DIGITS - 1, one_more, new_group, _PHONE_GROUP)
    coded_phone = (f"{c.six}{c.gap}{c.six}"
                   f"(?:{c.joiner}*{c.digit}){{{_PHONE_DIGITS - 1}}}")
    passport_digits = f"(?:{c.joiner}*{c.digit}){{{_PASSPORT_DIGITS}}}"
    # the detector's (?<![A-Za-z0-9]) before the letters, on folded text: the last character
    # before them that folding keeps is no letter or digit ("SEN-0000001" is a code)
    passport = f"(?:^|{c.not_alnum}){c.gap}{c.capital}{c.gap}{c.capital}{passport_digits}"
    word = "|".join(_spelled(word, c.gap, ignore_case=True) for word in _PASSPORT_WORDS)
    worded_passport = f"(?:{word})[^\\n]*{c.capital}{passport_digits}"
    at_word = f"(?:{_spelled('at', c.gap, ignore_case=True)}|{_spelled('แอท', c.gap)})"
    bracketed_at = f"{c.opening}{c.space}*{at_word}{c.space}*{c.closing}"
    return ("|".join([national_id, coded_phone, passport, worded_passport, c.at_sign,
                      bracketed_at]),
            national_phone)


class _Classes:
    """The RE2 classes of the pattern, each the preimage of the detector's class."""

    def __init__(self) -> None:
        dropped = _dropped_codes()
        self.digit = _char_class(_preimage(r"\d"), categories=("Nd",))
        self.zero = _char_class(_preimage("0"))
        self.six = _char_class(_preimage("6"))
        self.joiner = _char_class(_preimage(r"[ \-.+()]") + dropped,
                                  categories=("Cf", "Zs", "Pd"))
        self.gap = f"{_char_class(dropped, categories=('Cf',))}*"
        self.space = _char_class(_preimage(" ") + dropped, categories=("Cf", "Zs"))
        self.capital = _char_class(_preimage("[A-Z]"))
        self.not_alnum = "[^" + _char_class(_preimage("[A-Za-z0-9]") + dropped)[1:]
        self.at_sign = _char_class(_preimage("@"))
        self.opening = _char_class(_preimage(r"[\[(]"))
        self.closing = _char_class(_preimage(r"[\])]"))


def _steps(digits: int, one_more: str, new_group: str, group: int) -> str:
    """At least ``digits`` more digits, each step either one more digit of the current group or
    a new group of ``group`` digits (RE2 cannot count, so the choices are spelled out)."""
    @cache
    def rest(needed: int) -> str:
        if needed <= 0:
            return ""
        return f"(?:{one_more}{rest(needed - 1)}|{new_group}{rest(needed - group)})"
    return rest(digits)


def _spelled(word: str, gap: str, *, ignore_case: bool = False) -> str:
    """``word`` as the detector matches it in folded text, format characters anywhere."""
    flags = "(?i)" if ignore_case else ""
    return gap.join(_char_class(_preimage(flags + re.escape(char))) for char in word)


def _preimage(python_class: str) -> list[int]:
    """Every code point whose folded form (one character) fully matches ``python_class`` under
    Python's ``re``, as the detector's expressions read folded text."""
    pattern = re.compile(python_class)
    folded = _folded_code_points()
    return [match.start() for match in pattern.finditer(folded)]


@cache
def _folded_code_points() -> str:
    """Character ``i`` is the folded form of code point ``i`` (NUL where fold drops it): every
    code point folded at once by ``str.translate``. Only one-character classes are matched
    against it, so neighbours never combine."""
    table = {code: 0 if to is None else to for code, to in fold_table().items()}
    return "".join(map(chr, range(sys.maxunicode + 1))).translate(table)


def _dropped_codes() -> list[int]:
    return sorted(code for code, to in fold_table().items() if to is None)


def _char_class(codes: Iterable[int], *, categories: tuple[str, ...] = ()) -> str:
    """An RE2 class of ``codes``: the Unicode ``categories`` as RE2 knows them, plus every code
    point of ``codes`` its tables leave out of them (so the class holds all of ``codes`` even
    where RE2's Unicode version differs from Python's)."""
    codes = sorted(code for code in set(codes) if not 0xD800 <= code <= 0xDFFF)  # not UTF-8
    listed = "".join(f"\\p{{{category}}}" for category in categories)
    if listed and codes:
        probe = pa.array([chr(code) for code in codes], type=pa.string())
        inside = pc.match_substring_regex(probe, f"^[{listed}]$").to_numpy(zero_copy_only=False)
        codes = [code for code, covered in zip(codes, inside) if not covered]
    ranges = (_escaped(first) if first == last else f"{_escaped(first)}-{_escaped(last)}"
              for first, last in _ranges(codes))
    return "[" + listed + "".join(ranges) + "]"


def _ranges(codes: list[int]) -> Iterable[tuple[int, int]]:
    if not codes:
        return
    start = previous = codes[0]
    for code in codes[1:]:
        if code != previous + 1:
            yield start, previous
            start = code
        previous = code
    yield start, previous


def _escaped(code: int) -> str:
    # \x{...} for every code point: no character is special inside the class that way
    return f"\\x{{{code:X}}}"
