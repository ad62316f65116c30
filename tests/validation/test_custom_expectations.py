"""The custom GX expectations, on the edge cases the pilot suites rely on."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pandas as pd
import pytest

from flows.validation.expectations import check_expectations

TODAY = datetime.date(2025, 1, 1)
META = {"rule": "r", "severity": "error", "message_th": "ท", "message_en": "e",
        "hint_th": "ท", "hint_en": "h"}


def rows_failing(tmp_path: Path, frame: pd.DataFrame, type_: str, **kwargs) -> list:
    path = tmp_path / "s.expectations.json"
    path.write_text(json.dumps({"name": "s", "expectations": [
        {"type": type_, "kwargs": kwargs, "meta": META}]}), encoding="utf-8")
    frame.index = range(2, len(frame) + 2)
    findings, _ = check_expectations(frame, path, today=TODAY)
    return [(f.row, f.value) for f in findings]


def ints(*values) -> pd.array:
    return pd.array(list(values), dtype="Int64")


def test_multicolumn_sum_counts_missing_parts_as_zero_and_skips_a_missing_total(tmp_path):
    frame = pd.DataFrame({"a": ints(5, 5, None, 9, None), "b": ints(5, None, 7, 9, None),
                          "total": ints(10, 4, 6, None, 3)})
    assert rows_failing(tmp_path, frame, "expect_multicolumn_sum_to_not_exceed_column",
                        column_list=["a", "b", "total"], total_column="total") == [
        (3, "a=5; b=; total=4"), (4, "a=; b=7; total=6")]


def test_multicolumn_sum_needs_the_total_in_the_column_list(tmp_path):
    from flows.errors import ConfigError

    frame = pd.DataFrame({"a": ints(1), "b": ints(1)})
    with pytest.raises(ConfigError, match="total_column"):
        rows_failing(tmp_path, frame, "expect_multicolumn_sum_to_not_exceed_column",
                     column_list=["a", "b"], total_column="t")


def test_buddhist_era_years_in_an_integer_year_column(tmp_path):
    frame = pd.DataFrame({"year": ints(2019, 2562, None, 2400)})
    assert rows_failing(tmp_path, frame, "expect_column_values_to_not_be_buddhist_era_years",
                        column="year") == [(3, "2562")]


def test_buddhist_era_years_in_a_date_column(tmp_path):
    frame = pd.DataFrame({"d": pd.to_datetime(["2019-08-05", "2562-08-05", None])})
    assert rows_failing(tmp_path, frame, "expect_column_values_to_not_be_buddhist_era_years",
                        column="d") == [(3, "2562-08-05")]


def test_value_proportion_is_over_non_null_values(tmp_path):
    frame = pd.DataFrame({"c": pd.Series(["1", "1", "5", None, None], dtype=object)})
    common = dict(column="c", value="1")
    assert rows_failing(tmp_path, frame, "expect_column_value_proportion_to_be_between",
                        min_value=0.6, **common) == []
    assert rows_failing(tmp_path, frame, "expect_column_value_proportion_to_be_between",
                        min_value=0.7, **common) == [(None, "0.6667")]


def test_pair_mapping_flags_wrong_labels_and_unknown_codes(tmp_path):
    frame = pd.DataFrame({"code": pd.Series(["1", "2", "9", None], dtype=object),
                          "label": pd.Series(["yes", "yes", "yes", "no"], dtype=object)})
    assert rows_failing(tmp_path, frame, "expect_column_pair_values_to_match_mapping",
                        column_A="code", column_B="label", mapping={"1": "yes", "2": "no"},
                        ignore_row_if="either_value_is_missing") == [
        (3, "code=2; label=yes"), (4, "code=9; label=yes")]


def test_pair_mapping_on_arrow_text_and_on_integer_codes(tmp_path):
    text = pd.StringDtype("pyarrow")
    labels = pd.Series(["yes", "yes", "yes", None], dtype=text)
    mapping = {"1": "yes", "2": "no"}
    for codes in (pd.Series(["1", "2", "9", "1"], dtype=text), ints(1, 2, 9, 1)):
        frame = pd.DataFrame({"code": codes, "label": labels})
        assert rows_failing(tmp_path, frame, "expect_column_pair_values_to_match_mapping",
                            column_A="code", column_B="label", mapping=mapping,
                            ignore_row_if="neither") == [
            (3, "code=2; label=yes"), (4, "code=9; label=yes"), (5, "code=1; label=")]
