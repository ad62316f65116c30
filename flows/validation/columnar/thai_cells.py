"""Thai forms in an Arrow column, as ``thai_columns`` decides them, vectorised.

Declared forms are converted (Thai digits → 0-9; Buddhist-Era dates and years → CE, once per
distinct value); undeclared ones are flagged: Thai digits in a numeric or date field, a
Buddhist-Era year in a CE date field, a CE year in a Buddhist-Era field. A flagged cell gets its
own finding and no other, and is empty in the typed frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flows.validation.findings import Finding
from flows.validation.thai_columns import (CALENDAR_TYPES, NUMERIC_TYPES, be_to_ce_text,
                                           buddhist_era_finding, ce_in_buddhist_finding,
                                           thai_digits_finding)
from flows.validation.thai_forms import BE_YEAR_THRESHOLD, THAI_DIGITS, be_year_to_ce

#: thai_columns' Buddhist-Era year pattern without lookarounds (RE2 has none).
_BE_YEAR = r"(^|[^0-9])(2[4-9][0-9]{2}|[3-9][0-9]{3})([^0-9]|$)"
_THAI_DIGIT = f"[{THAI_DIGITS}]"

FindingMaker = Callable[[int, str, Any], Finding]


@dataclass
class ThaiCells:
    """The column frictionless' reader should see, and the flagged cells: a mask per kind of
    finding (the maker builds one finding from row, field name and shown value)."""

    values: pa.Array
    flags: list[tuple[np.ndarray, FindingMaker]]

    def flagged(self) -> np.ndarray:
        marked = np.zeros(len(self.values), dtype=bool)
        for mask, _ in self.flags:
            marked |= mask
        return marked


def thai_cells(values: pa.Array, spec: dict[str, Any], *, may_hold_thai_digits: bool = True
               ) -> ThaiCells:
    """The Thai forms of one column (``may_hold_thai_digits=False``: the caller knows there
    are none, and the digit scans are skipped)."""
    kind = spec.get("type", "string")
    cells = ThaiCells(values, [])
    if kind not in NUMERIC_TYPES | CALENDAR_TYPES or not len(values):
        return cells
    if spec.get("calendar") == "buddhist" and kind in CALENDAR_TYPES:
        _convert_buddhist(cells, kind)
        return cells
    if spec.get("thaiDigits") is True:
        if may_hold_thai_digits:
            for thai, arabic in zip(THAI_DIGITS, "0123456789"):
                cells.values = pc.replace_substring(cells.values, thai, arabic)
    elif may_hold_thai_digits:
        cells.flags.append((_contains(values, _THAI_DIGIT), thai_digits_finding))
    if kind in CALENDAR_TYPES:
        be_years = _contains(cells.values, _BE_YEAR) & ~cells.flagged()
        cells.flags.append((be_years, buddhist_era_finding))
    return cells


def _contains(values: pa.Array, pattern: str) -> np.ndarray:
    found = pc.match_substring_regex(values, pattern)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def _convert_buddhist(cells: ThaiCells, kind: str) -> None:
    # Dates repeat: convert each distinct value once; unconvertible values stay as written
    # (frictionless' reader reports them as type errors).
    distinct = pc.unique(cells.values.drop_null())
    converted = [be_to_ce_text(value, kind) for value in distinct.to_pylist()]
    index = pc.index_in(cells.values, value_set=distinct)
    as_ce = pc.take(pa.array(converted, pa.string()), index)
    original = cells.values
    cells.values = pc.coalesce(as_ce, original)
    threshold = be_year_to_ce(BE_YEAR_THRESHOLD)
    early = pa.array([ce is not None and int(ce[:4]) < threshold for ce in converted] or [False])
    too_early = pc.fill_null(pc.take(early, index), False).to_numpy(zero_copy_only=False)
    if too_early.any():
        cells.flags.append((too_early, ce_in_buddhist_finding))
