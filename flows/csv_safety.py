"""Spreadsheet formula injection (CWE-1236): which cells a spreadsheet would run as a formula,
and how every public CSV the pipeline writes neutralises them.

Excel, LibreOffice Calc and Google Sheets read a CSV cell that begins with ``=``, ``+``, ``-``,
``@``, tab (0x09) or carriage return (0x0D) as a formula: ``=HYPERLINK(...)`` sends a reader's
data away, ``=cmd|' /C calc'!A0`` (DDE) starts a program. OWASP's advice
(https://owasp.org/www-community/attacks/CSV_Injection, also ASVS 1.2.10) is that no cell may
begin with one of those characters: prefix such a cell with a single quote. Why that and not
something else:

- the single quote is the spreadsheets' own "what follows is text" marker (how a person types
  ``=`` as text), so the value is still readable as it was;
- a leading tab (Symfony's choice until CVE-2021-41270) is itself a trigger, and a leading space
  is stripped by some importers;
- dropping the character would change the value (a minus sign is data);
- quoting the field (``"=1+1"``) does nothing: the CSV parser consumes RFC 4180 quotes. A
  separator inside a value cannot start a second cell either: Python's ``csv`` writer quotes
  every value that holds a comma, quote or line break.

Left as they are (``needs_neutralising`` is False):

- **plain numbers**: an optional sign, ASCII or Thai digits, optional thousands groups of three,
  decimals and exponent: ``-3``, ``+5.2``, ``-0.5``, ``-.5``, ``-1e-3``, ``-1,234.50``,
  ``-๑๒``. With no letter, bracket, quote or second operator a spreadsheet can at most compute
  the number itself: no function, no reference, no DDE. (``1e-3`` starts with a digit anyway.)
- **a lone** ``-``: the usual "no value / not applicable" mark in Thai government tables (the
  repository's ``senator-votes`` holds 145 of them in ``vote_code``, where ``-`` is a value of
  the field's enum; no other of its datasets has a cell starting with ``-`` or ``+``). A
  spreadsheet keeps a bare operator as text, and a prefix would break the code list readers
  compare against. The other bare triggers (``+``, ``=``, ``@``) are rare and are neutralised.
- In public copies only (``flows.describe.public_copy``): cells of typed fields (integer,
  number, year, boolean, date, datetime) that the dataset's own Table Schema reads as a finite
  value, e.g. ``-1 234,5`` under ``decimalChar: ","`` or ``-5%`` under ``bareNumber: false``.

The price of a prefix: a program that reads the CSV as plain text (pandas, frictionless, a
catalog preview) sees ``'=1+1``, and the prefixed value may fail a ``pattern`` or ``enum`` of the
Table Schema. So every neutralised data cell is also a warning finding
(``flows.validation.formula_cells``), and the tidy internal file is never changed.

Neutralising is idempotent: a neutralised value starts with ``'``, which is no trigger.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["FORMULA_TRIGGERS", "TEXT_MARKER", "formula_cells", "needs_neutralising",
           "neutralise", "neutralise_values"]

#: OWASP's list: a cell beginning with one of these is read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: The prefix that makes a spreadsheet read the rest of the cell as text.
TEXT_MARKER = "'"
#: "No value" in Thai government tables; a bare operator is not a formula.
_NO_VALUE = "-"

_D = "[0-9๐-๙]"
_PLAIN_NUMBER = re.compile(
    rf"[+-](?:(?:{_D}{{1,3}}(?:,{_D}{{3}})+|{_D}+)(?:\.{_D}*)?|\.{_D}+)(?:[eE][+-]?{_D}+)?")


def needs_neutralising(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (see the module docstring)."""
    return text.startswith(FORMULA_TRIGGERS) and not _harmless(text)


def neutralise(text: str) -> str:
    """``text`` prefixed with a single quote when it needs it, else ``text`` unchanged."""
    return TEXT_MARKER + text if needs_neutralising(text) else text


def formula_cells(values: pd.Series | np.ndarray) -> np.ndarray:
    """A boolean array, True for each value that ``needs_neutralising`` (non-text is False).

    Vectorised for big columns: one C-level ``str.startswith`` per cell finds the few candidates
    (about 0.1 s per million cells), and the number test runs once per distinct candidate.
    """
    if isinstance(values, pd.Series) and isinstance(values.array, pd.arrays.ArrowStringArray):
        return _arrow_formula_cells(values.array._pa_array)
    array = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else np.asarray(
        values, dtype=object)
    mask = np.fromiter((isinstance(v, str) and v.startswith(FORMULA_TRIGGERS) for v in array),
                       dtype=bool, count=len(array))
    if mask.any():
        candidates = array[mask]
        formulas = [text for text in pd.unique(candidates) if not _harmless(text)]
        mask[mask] = pd.Index(candidates).isin(formulas)
    return mask


def _arrow_formula_cells(cells: pa.ChunkedArray) -> np.ndarray:
    """``formula_cells`` for Arrow text, without making a Python string of every cell."""
    starts = None
    for trigger in FORMULA_TRIGGERS:
        found = pc.starts_with(cells, trigger)
        starts = found if starts is None else pc.or_(starts, found)
    mask = pc.fill_null(starts, False).to_numpy(zero_copy_only=False)
    if mask.any():
        candidates = cells.filter(pa.array(mask))
        formulas = [text for text in pc.unique(candidates).to_pylist() if not _harmless(text)]
        mask[mask] = pc.is_in(candidates, value_set=pa.array(formulas, pa.string())
                              ).to_numpy(zero_copy_only=False)
    return mask


def neutralise_values(values: pd.Series) -> pd.Series:
    """``values`` with every cell that needs it prefixed by a single quote (a new Series)."""
    mask = formula_cells(values)
    if not mask.any():
        return values.copy()
    result = values.astype(object)
    result[mask] = TEXT_MARKER + values[mask].astype(str)
    return result


def _harmless(text: str) -> bool:
    return text == _NO_VALUE or _PLAIN_NUMBER.fullmatch(text) is not None
