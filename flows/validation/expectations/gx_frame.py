"""The frame GX is given: only the columns the suite reads, each in a dtype GX evaluates the
way it evaluates object columns.

Why not the typed frame as is, or all of it as object (what we did before)? Text columns are
``string[pyarrow]`` (pd.NA when missing). Turning a million Thai strings into Python objects costs
hundreds of MB per column, and GX never needs most of them: a suite reads a few columns, and its
row conditions copy every column of the frame they filter. So:

1. Columns: those an expectation's domain names (``column``, ``column_A``/``column_B``,
   ``column_list``) plus those its ``row_condition`` names. An expectation that names no column
   and is not a row count may read the whole table (``expect_table_columns_to_match_set``, a
   custom table expectation): then every column stays.
2. Text stays Arrow-backed for the expectation types in ``ARROW_TEXT_SAFE``: for each,
   tests/validation/test_gx_frame.py runs GX on the same values as object and as Arrow text and
   requires the same outcome (success, failing rows, observed value). Any other type (one GX
   reads by Python type, ``expect_column_values_to_be_in_type_list`` sees "str" instead of the
   values' types; our Buddhist-Era and sum expectations coerce text differently; a type nobody
   has checked yet) gets its text columns as object.
3. GX's pairwise comparisons (``expect_column_pair_values_to_be_equal``,
   ``..._a_to_be_greater_than_b``) return pd.NA where a nullable column (Int64, Float64, boolean,
   string) is missing and then fail with "boolean value of NA is ambiguous", a blocking
   ``not-evaluated`` finding instead of the failing rows. Unless the rule skips rows with a
   missing value (``ignore_row_if: either_value_is_missing``), those columns go as object, where a
   comparison with a missing value is False, as GX expects.
4. Dates GX compares vectorised only as datetime64[ns] (other units go value by value, ~5x slower
   on a million rows); dates nanoseconds cannot hold (after 2262, a Buddhist-Era year) keep theirs.
5. The index loses its name: a named index (the table-schema stage names it "row") makes GX
   report failing rows as {"row": 147} instead of 147.

Regexes are the same either way: GX's pandas regex metrics call ``astype(str)``, which under
pandas 3 is Arrow-backed text, so every regex runs on RE2 (``\\d`` is ASCII digits only).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

#: Types proven (test_gx_frame.py) to give the same outcome on Arrow text as on object text.
ARROW_TEXT_SAFE = frozenset({
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_null",
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_match_regex", "expect_column_values_to_not_match_regex",
    "expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique",
    "expect_select_column_values_to_be_unique_within_record",
    "expect_column_distinct_values_to_equal_set", "expect_column_most_common_value_to_be_in_set",
    "expect_column_unique_value_count_to_be_between",
    "expect_column_proportion_of_non_null_values_to_be_between",
    "expect_column_value_lengths_to_be_between",
    "expect_column_pair_values_to_be_in_set", "expect_column_pair_values_to_be_equal",
    "expect_column_pair_values_a_to_be_greater_than_b",
    "expect_column_pair_values_to_match_mapping", "expect_column_value_proportion_to_be_between",
})
#: Pairwise comparisons that cannot handle pd.NA (see 3. above).
PAIR_COMPARISONS = frozenset({"expect_column_pair_values_to_be_equal",
                              "expect_column_pair_values_a_to_be_greater_than_b"})
#: Expectations that name no column yet read none (the row count does not depend on columns).
READS_NO_COLUMN = frozenset({"expect_table_row_count_to_be_between",
                             "expect_table_row_count_to_equal"})
DOMAIN_KWARGS = ("column", "column_A", "column_B")


def frame_for_gx(frame: pd.DataFrame, expectations: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """``frame`` cut to the columns ``expectations`` (suite-file entries) read, in GX-safe
    dtypes, with an unnamed index; the caller's frame is left as it is."""
    read = columns_read(expectations, frame.columns)
    selected = frame if len(read) == len(frame.columns) else frame[read]
    converted = {name: object for name in _needing_object(expectations, selected)}
    converted.update({name: dtype for name, dtype in _as_numpy_numbers(expectations,
                                                                       selected).items()
                      if name not in converted})
    converted.update({name: "datetime64[ns]" for name in selected.columns
                      if _fits_nanoseconds(selected[name])})
    safe = selected.astype(converted) if converted else selected
    return safe.rename_axis(None) if safe.index.name is not None else safe


def columns_read(expectations: Sequence[Mapping[str, Any]],
                 columns: Iterable[str]) -> list[str]:
    """The frame's ``columns`` (in frame order) that any of ``expectations`` may read."""
    columns = list(columns)
    wanted: set[str] = set()
    for entry in expectations:
        kwargs = entry.get("kwargs") or {}
        named = _domain_columns(kwargs)
        if not named and entry["type"] not in READS_NO_COLUMN:
            return columns   # a table-wide rule: it may look at any column
        wanted.update(named)
        wanted.update(_condition_columns(kwargs.get("row_condition"), columns))
    return [name for name in columns if name in wanted]


def _domain_columns(kwargs: Mapping[str, Any]) -> list[str]:
    named = [kwargs[key] for key in DOMAIN_KWARGS if isinstance(kwargs.get(key), str)]
    return named + [name for name in kwargs.get("column_list") or [] if isinstance(name, str)]


def _condition_columns(condition: Any, columns: list[str]) -> set[str]:
    """Columns a row condition reads: ``column.name`` of each comparison or nullity test, through
    ``and``/``or``; for a query string (``pass_through_filter``, a legacy pandas condition) every
    column whose name occurs in the text: perhaps more than it reads, never less."""
    if isinstance(condition, str):
        return {name for name in columns if name in condition}
    if not isinstance(condition, Mapping):
        return set()
    found = _condition_columns(condition.get("pass_through_filter"), columns)
    column = condition.get("column")
    if isinstance(column, Mapping) and isinstance(column.get("name"), str):
        found.add(column["name"])
    for part in condition.get("conditions") or []:
        found |= _condition_columns(part, columns)
    return found


def _needing_object(expectations: Sequence[Mapping[str, Any]],
                    frame: pd.DataFrame) -> set[str]:
    text = {name for name, dtype in frame.dtypes.items() if isinstance(dtype, pd.StringDtype)}
    nullable = {name for name, dtype in frame.dtypes.items() if _is_nullable(dtype)}
    needing: set[str] = set()
    for entry in expectations:
        kwargs = entry.get("kwargs") or {}
        named = set(_domain_columns(kwargs))
        if not named and entry["type"] not in READS_NO_COLUMN:
            named = set(frame.columns)
        if entry["type"] not in ARROW_TEXT_SAFE:
            needing |= named & text
        if (entry["type"] in PAIR_COMPARISONS
                and kwargs.get("ignore_row_if") != "either_value_is_missing"):
            needing |= named & nullable
    return needing


#: Rules GX computes vectorised only on numpy numbers: on Int64/Float64 its "between" maps a
#: Python function over every value (~0.8 s per million). Given numpy floats (NaN = missing,
#: which GX leaves out as it leaves out NA) they give the same rows.
NUMPY_NUMBER_SAFE = frozenset({"expect_column_values_to_be_between",
                               "expect_column_values_to_not_be_null",
                               "expect_column_values_to_be_null",
                               "expect_column_min_to_be_between",
                               "expect_column_max_to_be_between",
                               "expect_column_mean_to_be_between"})
_EXACT_FLOAT_INTEGERS = 2**53


def _as_numpy_numbers(expectations: Sequence[Mapping[str, Any]],
                      frame: pd.DataFrame) -> dict[str, str]:
    """Int64/Float64 columns that only NUMPY_NUMBER_SAFE rules read, as numpy dtypes: int64
    when nothing is missing, float64 otherwise (an integer column only while every value is
    exact as a float)."""
    unsafe: set[str] = set()
    for entry in expectations:
        kwargs = entry.get("kwargs") or {}
        if entry["type"] in READS_NO_COLUMN:
            continue
        named = set(_domain_columns(kwargs)) or set(frame.columns)
        if entry["type"] not in NUMPY_NUMBER_SAFE or kwargs.get("row_condition"):
            unsafe |= named | _condition_columns(kwargs.get("row_condition"), list(frame.columns))
    chosen = {}
    for name, dtype in frame.dtypes.items():
        if name in unsafe or str(dtype) not in ("Int64", "Float64"):
            continue
        column = frame[name]
        if not column.hasnans:
            chosen[name] = "int64" if str(dtype) == "Int64" else "float64"
        elif str(dtype) == "Float64" or _exact_as_floats(column.dropna()):
            chosen[name] = "float64"
    return chosen


def _exact_as_floats(values: pd.Series) -> bool:
    return values.empty or bool(values.abs().max() < _EXACT_FLOAT_INTEGERS)


def _is_nullable(dtype: Any) -> bool:
    """A dtype whose comparisons give pd.NA for a missing value (Int64, Float64, boolean,
    string[pyarrow]), not False as numpy's and pandas-3 ``str``'s do."""
    return getattr(dtype, "na_value", None) is pd.NA


def _fits_nanoseconds(column: pd.Series) -> bool:
    dtype = column.dtype
    if not pd.api.types.is_datetime64_dtype(dtype) or dtype == "datetime64[ns]":
        return False
    values = column.dropna()
    return values.empty or (values.min() >= pd.Timestamp.min and values.max() <= pd.Timestamp.max)
