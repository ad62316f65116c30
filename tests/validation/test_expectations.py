"""check_expectations: findings from a GX suite file, with rows, fields, values and messages."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from flows.errors import ConfigError
from flows.validation.expectations import check_expectations
from flows.validation.findings import Finding, Severity

TODAY = datetime.date(2025, 1, 1)
META = {"rule": "no-future-dates", "severity": "warning",
        "message_th": "วันที่อยู่ในอนาคต", "message_en": "the date is in the future",
        "hint_th": "ตรวจปี", "hint_en": "check the year"}


def write_suite(tmp_path: Path, *expectations: dict, version: str | None = "7.1",
                parameters: dict | None = None) -> Path:
    document = {"name": "test", "meta": {"version": version} if version else {},
                "suite_parameters": parameters or {}, "expectations": list(expectations)}
    path = tmp_path / "test.expectations.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def entry(type_: str, meta: dict | None = None, **kwargs) -> dict:
    return {"type": type_, "kwargs": kwargs, "meta": {**META, **(meta or {})}}


def frame(**columns) -> pd.DataFrame:
    """A typed frame whose index is the row number, as the table-schema stage returns it."""
    result = pd.DataFrame(columns)
    result.index = range(2, len(result) + 2)
    return result


def dates(*values) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)))


NOT_FUTURE = entry("expect_column_values_to_be_between", column="d",
                   max_value={"$PARAMETER": "today"})


def test_severity_and_messages_come_from_the_suite_file(tmp_path):
    findings, _ = check_expectations(frame(d=dates("2020-01-01", "2031-05-06")),
                                     write_suite(tmp_path, NOT_FUTURE), today=TODAY)
    assert findings == [Finding(
        rule="expectations/no-future-dates", severity=Severity.WARNING,
        message_th="วันที่อยู่ในอนาคต", message_en="the date is in the future",
        hint_th="ตรวจปี", hint_en="check the year", row=3, field="d", value="2031-05-06")]


def test_the_frame_index_is_the_row_number(tmp_path):
    data = frame(name=pd.Series(["a", None, "c", None], dtype=object))
    data.index = [2, 3, 40, 41]  # rows a filter left behind keep their numbers
    findings, _ = check_expectations(
        data, write_suite(tmp_path, entry("expect_column_values_to_not_be_null", column="name")),
        today=TODAY)
    assert [f.row for f in findings] == [3, 41]


def test_a_named_index_still_gives_plain_row_numbers(tmp_path):
    data = frame(name=pd.Series(["a", None], dtype=object)).rename_axis("row")
    findings, _ = check_expectations(
        data, write_suite(tmp_path, entry("expect_column_values_to_not_be_null", column="name")),
        today=TODAY)
    assert [f.row for f in findings] == [3]


def test_today_is_injected_not_read_from_the_clock(tmp_path):
    suite, data = write_suite(tmp_path, NOT_FUTURE), frame(d=dates("2024-03-01"))
    assert check_expectations(data, suite, today=datetime.date(2024, 2, 29))[0]
    assert not check_expectations(data, suite, today=datetime.date(2024, 3, 1))[0]


def test_nanosecond_and_microsecond_dates_are_both_checked(tmp_path):
    suite = write_suite(tmp_path, NOT_FUTURE)
    for unit in ("ns", "us"):
        data = frame(d=dates("2020-01-01", "2030-01-01").astype(f"datetime64[{unit}]"))
        assert [f.row for f in check_expectations(data, suite, today=TODAY)[0]] == [3]


def test_suite_parameters_in_iso_form_compare_with_date_columns(tmp_path):
    suite = write_suite(tmp_path, entry("expect_column_values_to_be_between", column="d",
                                        min_value={"$PARAMETER": "earliest"}),
                        parameters={"earliest": "1920-01-01"})
    findings, _ = check_expectations(frame(d=dates("1919-12-31", "1920-01-01")), suite,
                                     today=TODAY)
    assert [(f.row, f.value) for f in findings] == [(2, "1919-12-31")]


def test_the_version_is_the_declared_one_or_the_file_hash(tmp_path):
    data = frame(d=dates("2020-01-01"))
    assert check_expectations(data, write_suite(tmp_path, NOT_FUTURE), today=TODAY)[1] == "7.1"
    path = write_suite(tmp_path, NOT_FUTURE, version=None)
    expected = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert check_expectations(data, path, today=TODAY)[1] == expected


def test_personal_data_values_are_masked(tmp_path):
    findings, _ = check_expectations(frame(d=dates("2052-06-07")),
                                     write_suite(tmp_path, NOT_FUTURE), today=TODAY,
                                     personal_fields={"d"})
    assert [f.value for f in findings] == ["20******07"]


def test_several_columns_show_as_name_value_pairs(tmp_path):
    suite = write_suite(tmp_path, entry("expect_column_pair_values_a_to_be_greater_than_b",
                                        {"field": "part"}, column_A="total", column_B="part",
                                        or_equal=True))
    data = frame(total=pd.array([5, 5], dtype="Int64"), part=pd.array([5, 6], dtype="Int64"))
    findings, _ = check_expectations(data, suite, today=TODAY)
    assert [(f.row, f.field, f.value) for f in findings] == [(3, "part", "total=5; part=6")]


def test_a_long_value_is_clipped(tmp_path):
    suite = write_suite(tmp_path, entry("expect_column_value_lengths_to_be_between",
                                        column="t", max_value=10))
    findings, _ = check_expectations(frame(t=pd.Series(["x" * 500], dtype=object)), suite,
                                     today=TODAY)
    assert len(findings[0].value) == 200


def test_a_rule_that_cannot_run_is_a_blocking_finding_not_a_pass(tmp_path):
    suite = write_suite(tmp_path, entry("expect_column_values_to_not_be_null", column="gone"))
    findings, _ = check_expectations(frame(d=dates("2020-01-01")), suite, today=TODAY)
    assert [(f.rule, f.blocking, f.field) for f in findings] == [
        ("expectations/not-evaluated", True, "gone")]
    assert "no-future-dates" in findings[0].message_en


def test_pandas3_str_columns_are_checked_like_object_columns(tmp_path):
    suite = write_suite(tmp_path, entry("expect_column_values_to_be_in_type_list", column="t",
                                        type_list=["str"]))
    data = frame(t=pd.Series(["a", "b"], dtype="str"))
    assert check_expectations(data, suite, today=TODAY)[0] == []


def test_findings_are_sorted_errors_first(tmp_path):
    suite = write_suite(tmp_path, NOT_FUTURE, entry(
        "expect_table_row_count_to_be_between", {"rule": "row-count", "severity": "error"},
        min_value=5))
    findings, _ = check_expectations(frame(d=dates("2030-01-01")), suite, today=TODAY)
    assert [(f.rule, f.severity) for f in findings] == [
        ("expectations/row-count", Severity.ERROR),
        ("expectations/no-future-dates", Severity.WARNING)]


def test_a_suite_gx_rejects_is_a_config_error_naming_the_entry(tmp_path):
    suite = write_suite(tmp_path, NOT_FUTURE, entry("expect_column_values_to_be_sparkly",
                                                    {"rule": "sparkle"}, column="d"))
    with pytest.raises(ConfigError, match=r"expectations\[1\] \(sparkle"):
        check_expectations(frame(d=dates("2020-01-01")), suite, today=TODAY)


def test_wrong_kwargs_are_a_config_error_not_a_silently_dropped_rule(tmp_path):
    suite = write_suite(tmp_path, entry("expect_column_values_to_not_be_null", colum="d"))
    with pytest.raises(ConfigError, match="not a valid GX expectation"):
        check_expectations(frame(d=dates("2020-01-01")), suite, today=TODAY)


def test_a_frame_without_row_numbers_is_refused(tmp_path):
    data = frame(d=dates("2020-01-01", "2020-01-02"))
    data.index = [2, 2]
    with pytest.raises(ValueError, match="row number"):
        check_expectations(data, write_suite(tmp_path, NOT_FUTURE), today=TODAY)
