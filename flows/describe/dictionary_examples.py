"""Example values for the data dictionary, and the frame they come from.

The frame is the validation stage's typed frame (index = row number), the cells of the public
copy made from the validation stage's table (``published_frame``: describe's way, no second read
of the file), or the tidy CSV read as strings, through the reader every stage uses
(``flows.csv_source``: its declared encoding, the same limits). Personal-data fields are never
sampled: the caller skips them, and neither ``read_tidy_frame`` nor the public copy keeps their
columns.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from flows.csv_source import read_csv_table

#: Examples shown per field.
EXAMPLES_PER_FIELD = 3
#: Longer example values are cut with an ellipsis: the dictionary shows the shape, not the data.
EXAMPLE_MAX_CHARS = 80
#: Cells looked at per step when sampling text: the first step usually finds the examples,
#: and a column with fewer distinct values costs one vectorised ``unique`` per step.
_SAMPLE_STEP = 4096


def personal_fields(schema: dict[str, Any]) -> list[str]:
    """Names of the fields marked ``"personalData": true``, in schema order."""
    return [field["name"] for field in schema.get("fields", []) if field.get("personalData")]


def read_tidy_frame(csv_path: Path, schema: dict[str, Any], *,
                    encoding: str | None = None) -> pd.DataFrame:
    """The tidy CSV as strings (object dtype, "" kept), without its personal-data columns.

    ``encoding``: the CSV's declared encoding (None: detected as validation does). Blank rows
    are left out; a short row's missing cells are None; a repeated column label keeps its
    first column. The index follows the typed-frame convention (header = row 1, first data
    row = 2). ``DataFileError`` when the file cannot be read.
    """
    rows = read_csv_table(csv_path, encoding=encoding).rows
    header = rows[0] if rows else ()
    skip = set(personal_fields(schema))
    keep = {label: i for i, label in reversed(list(enumerate(header))) if label not in skip}
    data = [row for row in rows[1:] if row]
    index = pd.RangeIndex(2, 2 + len(data), name="row")
    columns = {label: pd.Series([row[i] if i < len(row) else None for row in data], index=index,
                                dtype=object)
               for label, i in sorted(keep.items(), key=lambda item: item[1])}
    return pd.DataFrame(columns, index=index)


def published_frame(cells: pa.Table) -> pd.DataFrame:
    """The cells of a public copy (``PublicCopy.cells``) as the frame examples are taken from:
    Arrow-backed text, as published, index = row number (first data row = 2), named "row"."""
    frame = cells.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow"),
                                          pa.large_string(): pd.StringDtype("pyarrow")}.get)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return frame


def example_values(column: pd.Series, *, field_type: str,
                   limit: int = EXAMPLES_PER_FIELD) -> list[str]:
    """Up to ``limit`` distinct non-empty values, as text, in the order they first appear."""
    found: list[str] = []
    for value in _in_order(column):
        text = format_value(value, field_type=field_type)
        if text and text not in found:
            found.append(text)
            if len(found) == limit:
                break
    return found


def _in_order(column: pd.Series) -> Iterator[Any]:
    """The column's values in order; for text, each step's distinct values only (the same
    first appearances, without a Python loop over a million repeated or empty cells). Only
    text: ``unique`` would merge 0.0 with -0.0, or True with 1, which print differently."""
    if not pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
        yield from column
        return
    for start in range(0, len(column), _SAMPLE_STEP):
        yield from column.iloc[start:start + _SAMPLE_STEP].unique()


def format_value(value: Any, *, field_type: str) -> str:
    """One cell as dictionary text; "" for a missing cell (None, NA, NaT, NaN, blank)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return _date_text(value, field_type=field_type)
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar → Python int/float, so 5 prints as "5"
    return _clip(" ".join(str(value).split()))


def _date_text(value: date, *, field_type: str) -> str:
    if field_type == "date" and isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat()


def _clip(text: str) -> str:
    return text if len(text) <= EXAMPLE_MAX_CHARS else text[: EXAMPLE_MAX_CHARS - 1] + "…"
