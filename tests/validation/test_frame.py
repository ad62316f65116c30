"""The typed frame: dtypes per the shared contract, NA where a cell was rejected."""

from __future__ import annotations

import pandas as pd
from frictionless import Schema

from flows.validation.frame import build_frame

SCHEMA = Schema.from_descriptor({
    "fields": [{"name": "n", "type": "integer"}, {"name": "x", "type": "number"},
               {"name": "b", "type": "boolean"}, {"name": "d", "type": "date"},
               {"name": "y", "type": "year"}, {"name": "s", "type": "string"},
               {"name": "t", "type": "time"}],
    "missingValues": ["", "-"],
})


def _frame(*columns, rejected=None, drop_rows=()):
    frame, findings = build_frame(list(columns), SCHEMA, rejected=rejected or {},
                                  drop_rows=set(drop_rows))
    assert findings == []
    return frame


def test_dtypes_follow_the_contract():
    frame = _frame(("1", "-"), ("1.5", ""), ("true", ""), ("2024-10-01", ""), ("2024", "-"),
                   ("ก", ""), ("09:30:00", None))
    assert frame.dtypes.astype(str).tolist() == [
        "Int64", "Float64", "boolean", "datetime64[ns]", "Int64", "string", "string"]
    assert frame.index.tolist() == [2, 3]
    assert frame.loc[3].isna().all()
    assert frame.at[3, "s"] is pd.NA  # missing strings are NA, not NaN or ""


def test_rejected_cells_are_na_even_when_pandas_could_read_them():
    # "1.0" is an integer to pandas but a type error to frictionless.
    frame = _frame(("1.0", "2"), ("", ""), ("", ""), ("", ""), ("", ""), ("", ""), ("", ""),
                   rejected={"n": {2}})
    assert frame["n"].isna().tolist() == [True, False]


def test_dropped_rows_leave_the_frame():
    frame = _frame(("1", None, "3"), *[("", None, "")] * 6, drop_rows=[3])
    assert frame.index.tolist() == [2, 4]
    assert frame["n"].tolist() == [1, 3]


def test_large_integers_are_exact():
    frame = _frame(("9007199254740993", ""), *[("", "")] * 6)
    assert frame.at[2, "n"] == 9007199254740993


def test_no_rows_gives_an_empty_typed_frame():
    frame = _frame(*[()] * 7)
    assert frame.empty and str(frame["d"].dtype) == "datetime64[ns]"
