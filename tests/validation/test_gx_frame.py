"""The frame GX gets: only the columns the suite reads; Arrow text kept only where GX gives the
same outcome on it as on object text (proven here, one case per expectation type)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pandas as pd
import pytest

from flows.validation.expectations import check_expectations, gx_runtime
from flows.validation.expectations.gx_frame import (ARROW_TEXT_SAFE, columns_read,
                                                    frame_for_gx)
from flows.validation.expectations.result_findings import findings_from_result
from flows.validation.expectations.suite_file import SuiteFile

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
TODAY = datetime.date(2025, 1, 1)
META = {"rule": "r", "severity": "error", "message_th": "ท", "message_en": "e",
        "hint_th": "ท", "hint_en": "h"}
ARROW_TEXT = pd.StringDtype("pyarrow")
# Missing values in both columns, in different rows; Thai text and a Thai digit.
T = ["a", None, "เห็นด้วย", "b", "a", None, "x๑"]
U = ["a", "b", None, "b", "c", None, "x1"]


def text_frame(dtype) -> pd.DataFrame:
    frame = pd.DataFrame({"t": pd.Series(T, dtype=dtype), "u": pd.Series(U, dtype=dtype),
                          "n": pd.array([1, 2, None, 4, 5, 6, 7], dtype="Int64")})
    frame.index = range(2, len(frame) + 2)
    return frame


def gx_findings(frame: pd.DataFrame, type_: str, kwargs: dict,
                shown: pd.DataFrame | None = None) -> list:
    """GX run on ``frame`` exactly as given (no frame_for_gx), as findings (values read from
    ``shown``, by default ``frame``: the stage reads them from its own frame)."""
    entries = ({"type": type_, "kwargs": kwargs, "meta": META},)
    suite = gx_runtime.build_gx_suite(SuiteFile(path=Path("t.expectations.json"), name="t",
                                                version="1", expectations=entries,
                                                parameters={}))
    results = gx_runtime.validate_frame(frame, suite, parameters={})
    return [finding for result in results
            for finding in findings_from_result(result, frame=frame if shown is None
                                                else shown)]


def condition(column: str, operator: str, parameter) -> dict:
    return {"type": "comparison", "column": {"name": column}, "operator": operator,
            "parameter": parameter}


PAIR = {"column_A": "t", "column_B": "u"}
SKIP_MISSING = {"ignore_row_if": "either_value_is_missing"}
CASES = [
    ("expect_column_values_to_not_be_null", {"column": "t", "mostly": 0.5}),
    ("expect_column_values_to_be_null", {"column": "t"}),
    ("expect_column_values_to_be_null", {"column": "u", "row_condition": condition("t", "==", "a")}),
    ("expect_column_values_to_be_null", {"column": "u", "row_condition": condition("t", "!=", "a")}),
    ("expect_column_values_to_be_null", {"column": "u", "row_condition": condition("t", ">=", "b")}),
    ("expect_column_values_to_be_null",
     {"column": "u", "row_condition": condition("t", "NOT_IN", ["a", "b"])}),
    ("expect_column_values_to_not_be_null",
     {"column": "u", "row_condition": {"type": "nullity", "column": {"name": "t"},
                                       "is_null": True}}),
    ("expect_column_values_to_be_null",
     {"column": "u", "row_condition": {"type": "and", "conditions": [
         condition("t", "==", "a"), condition("n", ">", 1)]}}),
    ("expect_column_values_to_be_null",
     {"column": "u", "row_condition": {"type": "pass_through",
                                       "pass_through_filter": "t == 'a' or u == 'b'"}}),
    ("expect_column_values_to_be_in_set", {"column": "t", "value_set": ["a", "b"]}),
    ("expect_column_values_to_not_be_in_set", {"column": "t", "value_set": ["a", "b"]}),
    ("expect_column_values_to_match_regex", {"column": "t", "regex": r"^[a-z]$"}),
    ("expect_column_values_to_match_regex", {"column": "t", "regex": r"\d"}),
    ("expect_column_values_to_not_match_regex", {"column": "t", "regex": "[๐-๙]"}),
    ("expect_column_values_to_be_unique", {"column": "t"}),
    ("expect_compound_columns_to_be_unique", {"column_list": ["t", "u"]}),
    ("expect_select_column_values_to_be_unique_within_record", {"column_list": ["t", "u"]}),
    ("expect_column_distinct_values_to_equal_set", {"column": "t", "value_set": ["a", "b"]}),
    ("expect_column_most_common_value_to_be_in_set", {"column": "t", "value_set": ["b"]}),
    ("expect_column_unique_value_count_to_be_between", {"column": "t", "max_value": 3}),
    ("expect_column_proportion_of_non_null_values_to_be_between",
     {"column": "t", "min_value": 0.9, "strict_min": True}),
    ("expect_column_value_lengths_to_be_between", {"column": "t", "max_value": 1}),
    ("expect_column_pair_values_to_be_in_set",
     {**PAIR, "value_pairs_set": [["a", "a"], ["b", "b"]]}),
    ("expect_column_pair_values_to_be_equal", {**PAIR, **SKIP_MISSING}),
    ("expect_column_pair_values_a_to_be_greater_than_b",
     {**PAIR, **SKIP_MISSING, "or_equal": True}),
    ("expect_column_pair_values_to_match_mapping", {**PAIR, "mapping": {"a": "a", "b": "b"}}),
    ("expect_column_pair_values_to_match_mapping",
     {**PAIR, "mapping": {"a": "a", "b": "b"}, "ignore_row_if": "neither"}),
    ("expect_column_value_proportion_to_be_between",
     {"column": "t", "value": "a", "min_value": 0.5}),
]


@pytest.mark.parametrize("dtype", [ARROW_TEXT, "str"])
@pytest.mark.parametrize("type_, kwargs", CASES,
                         ids=[f"{t[7:]}-{i}" for i, (t, _) in enumerate(CASES)])
def test_gx_finds_the_same_rows_in_arrow_text_as_in_object_text(type_, kwargs, dtype):
    assert type_ in ARROW_TEXT_SAFE
    on_object = gx_findings(text_frame(object), type_, kwargs)
    assert all(f.rule != "expectations/not-evaluated" for f in on_object)
    assert gx_findings(text_frame(dtype), type_, kwargs) == on_object


def test_every_type_kept_as_arrow_text_has_its_proof():
    assert ARROW_TEXT_SAFE == {type_ for type_, _ in CASES}


def test_the_project_suites_use_only_proven_types_on_arrow_text():
    # A type outside ARROW_TEXT_SAFE still works (its text columns go as object); this names the
    # ones that pay for that, so a new suite rule on text is a deliberate choice.
    used = {entry["type"] for path in SCHEMAS.glob("*.expectations.json")
            for entry in json.loads(path.read_text(encoding="utf-8"))["expectations"]}
    assert used - ARROW_TEXT_SAFE == {
        "expect_column_sum_to_be_between", "expect_column_values_to_be_between",
        "expect_column_values_to_not_be_buddhist_era_years",
        "expect_multicolumn_sum_to_not_exceed_column", "expect_table_row_count_to_be_between",
        "expect_table_row_count_to_equal"}


@pytest.mark.parametrize("type_, kwargs", [
    # GX reads the Python type: Arrow text shows as "str" rather than each value's type.
    ("expect_column_values_to_be_in_type_list", {"column": "t", "type_list": ["str"]}),
    # to_numeric coerces Arrow text to NA (a pass), object text to NaN (a failure).
    ("expect_column_values_to_not_be_buddhist_era_years", {"column": "t"}),
    # GX's comparison gives pd.NA for a missing cell and cannot use it (not evaluated).
    ("expect_column_pair_values_to_be_equal", PAIR),
    ("expect_column_pair_values_a_to_be_greater_than_b", {**PAIR, "ignore_row_if": "neither"}),
])
def test_text_gx_reads_differently_as_arrow_goes_to_gx_as_object(tmp_path, type_, kwargs):
    assert gx_findings(text_frame(ARROW_TEXT), type_, kwargs) != \
        gx_findings(text_frame(object), type_, kwargs)          # why the conversion exists
    suite = tmp_path / "s.expectations.json"
    suite.write_text(json.dumps({"name": "s", "expectations": [
        {"type": type_, "kwargs": kwargs, "meta": META}]}), encoding="utf-8")
    assert check_expectations(text_frame(ARROW_TEXT), suite, today=TODAY)[0] == \
        check_expectations(text_frame(object), suite, today=TODAY)[0]


def test_a_pair_comparison_with_a_missing_integer_lists_the_rows(tmp_path):
    suite = tmp_path / "s.expectations.json"
    suite.write_text(json.dumps({"name": "s", "expectations": [
        {"type": "expect_column_pair_values_a_to_be_greater_than_b", "meta": META,
         "kwargs": {"column_A": "total", "column_B": "part", "or_equal": True}}]}),
        encoding="utf-8")
    frame = pd.DataFrame({"total": pd.array([5, None, 5], dtype="Int64"),
                          "part": pd.array([4, 3, 6], dtype="Int64")}, index=[2, 3, 4])
    findings, _ = check_expectations(frame, suite, today=TODAY)
    assert [(f.rule, f.row) for f in findings] == [("expectations/r", 3), ("expectations/r", 4)]


def entry(type_: str, **kwargs) -> dict:
    return {"type": type_, "kwargs": kwargs}


def test_gx_reads_the_named_columns_and_those_of_row_conditions():
    columns = ["a", "b", "c", "d", "e", "level"]
    assert columns_read([
        entry("expect_column_values_to_not_be_null", column="b",
              row_condition={"type": "and", "conditions": [
                  condition("level", "==", 0), condition("a", "==", "x")]}),
        entry("expect_column_pair_values_to_be_equal", column_A="d", column_B="b"),
        entry("expect_table_row_count_to_be_between", min_value=1)], columns) == [
        "a", "b", "d", "level"]


def test_a_query_string_condition_keeps_every_column_it_mentions():
    assert columns_read([entry("expect_column_values_to_be_null", column="x",
                               row_condition={"type": "pass_through",
                                              "pass_through_filter": "abs(w - level) > 0"})],
                        ["x", "w", "level", "other"]) == ["x", "w", "level"]


def test_a_table_wide_rule_keeps_every_column():
    columns = ["a", "b"]
    assert columns_read([entry("expect_table_columns_to_match_set", column_set=["a"])],
                        columns) == columns


def test_only_text_an_unproven_type_reads_becomes_object():
    frame = text_frame(ARROW_TEXT).assign(v=pd.Series(["z"] * 7, dtype=ARROW_TEXT))
    entries = [entry("expect_column_values_to_be_in_set", column="t", value_set=["a"]),
               entry("expect_column_values_to_be_in_type_list", column="u", type_list=["str"])]
    gx_frame = frame_for_gx(frame.rename_axis("row"), entries)
    assert list(gx_frame.columns) == ["t", "u"]                  # v is read by no rule
    assert gx_frame["t"].dtype == ARROW_TEXT and gx_frame["u"].dtype == object
    assert gx_frame.index.name is None and frame["u"].dtype == ARROW_TEXT


def test_a_suite_of_row_counts_gets_a_frame_without_columns_and_still_counts(tmp_path):
    suite = tmp_path / "s.expectations.json"
    suite.write_text(json.dumps({"name": "s", "expectations": [
        {"type": "expect_table_row_count_to_be_between", "meta": META,
         "kwargs": {"min_value": 8}}]}), encoding="utf-8")
    assert frame_for_gx(text_frame(ARROW_TEXT), [
        entry("expect_table_row_count_to_be_between", min_value=8)]).shape == (7, 0)
    findings, _ = check_expectations(text_frame(ARROW_TEXT), suite, today=TODAY)
    assert [(f.row, f.value) for f in findings] == [(None, "7")]


NUMBERS = pd.DataFrame({
    "i": pd.array([1, 50, None, -3, 120, 7], dtype="Int64"),
    "f": pd.array([0.5, None, 99.5, 100.25, -0.1, 3.0], dtype="Float64"),
    "big": pd.array([2**60, 1, None, 5, 2**60 + 1, 3], dtype="Int64"),
}, index=range(2, 8))


@pytest.mark.parametrize("column, bounds", [
    ("i", {"min_value": 0, "max_value": 100}), ("f", {"min_value": 0, "max_value": 100}),
    ("i", {"min_value": 1, "max_value": 7, "strict_min": True}),
    ("big", {"min_value": 0, "max_value": 2**60})])
def test_between_on_numpy_numbers_finds_the_rows_it_finds_on_nullable_ones(column, bounds):
    """GX maps a Python function over Int64/Float64 values; numpy numbers go vectorised."""
    kwargs = {"column": column, **bounds}
    entries = [{"type": "expect_column_values_to_be_between", "kwargs": kwargs}]
    prepared = frame_for_gx(NUMBERS, entries)
    as_given = gx_findings(NUMBERS, "expect_column_values_to_be_between", kwargs)
    vectorised = gx_findings(prepared, "expect_column_values_to_be_between", kwargs,
                             shown=NUMBERS)
    assert [(f.row, f.value) for f in vectorised] == [(f.row, f.value) for f in as_given]
    assert as_given   # each case has failing rows
    # missing values: floats; integers beyond 2**53 are not exact as floats: left nullable
    assert str(prepared[column].dtype) == ("Int64" if column == "big" else "float64")


def test_a_column_another_rule_reads_stays_nullable():
    entries = [{"type": "expect_column_values_to_be_between",
                "kwargs": {"column": "i", "min_value": 0}},
               {"type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "i", "value_set": [1, 50]}}]
    assert str(frame_for_gx(NUMBERS, entries)["i"].dtype) == "Int64"


def test_a_row_count_rule_leaves_numbers_free_to_become_numpy():
    entries = [{"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
               {"type": "expect_column_values_to_be_between",
                "kwargs": {"column": "f", "min_value": 0}}]
    assert str(frame_for_gx(NUMBERS, entries)["f"].dtype) == "float64"
