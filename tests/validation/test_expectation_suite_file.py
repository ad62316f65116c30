"""read_suite_file: the suite file's reporting meta is checked before GX ever sees it."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from flows.errors import ConfigError
from flows.validation.expectations import read_suite_file
from flows.validation.expectations.suite_file import rule_meta
from flows.validation.findings import Severity

META = {"rule": "no-future-dates", "severity": "error", "message_th": "ไทย",
        "message_en": "english", "hint_th": "คำแนะนำ", "hint_en": "hint"}


def write(tmp_path: Path, document) -> Path:
    path = tmp_path / "x.expectations.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def suite(meta: dict | None = None, **top) -> dict:
    """A one-entry suite; ``meta`` is the entry's, ``top`` adds top-level keys."""
    return {"name": "x", "expectations": [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"},
         "meta": META if meta is None else meta}], **top}


def test_reads_name_version_entries_and_typed_parameters(tmp_path):
    document = suite(suite_parameters={"earliest": "1920-01-01", "limit": 5})
    document["meta"] = {"version": "2.0"}
    loaded = read_suite_file(write(tmp_path, document))
    assert (loaded.name, loaded.version, len(loaded.expectations)) == ("x", "2.0", 1)
    assert loaded.parameters == {"earliest": datetime.datetime(1920, 1, 1), "limit": 5}


def test_rule_meta_reads_severity_and_the_optional_field():
    meta = rule_meta({**META, "severity": "warning", "field": "approve"})
    assert (meta.severity, meta.field, meta.message_th) == (Severity.WARNING, "approve", "ไทย")


@pytest.mark.parametrize("meta, complaint", [
    ({**META, "rule": "No Future"}, "lowercase slug"),
    ({**META, "severity": "fatal"}, "'error' or 'warning'"),
    ({key: value for key, value in META.items() if key != "message_th"}, "message_th"),
    ({**META, "hint_en": "  "}, "hint_en"),
])
def test_incomplete_meta_names_the_entry_and_the_fix(tmp_path, meta, complaint):
    with pytest.raises(ConfigError, match=r"expectations\[0\]") as raised:
        read_suite_file(write(tmp_path, suite(meta=meta)))
    assert complaint in str(raised.value)


def test_an_entry_without_meta_is_refused(tmp_path):
    document = {"name": "x", "expectations": [{"type": "expect_x", "kwargs": {}}]}
    with pytest.raises(ConfigError, match="needs a 'meta'"):
        read_suite_file(write(tmp_path, document))


def test_today_is_reserved_for_the_stage(tmp_path):
    with pytest.raises(ConfigError, match="today"):
        read_suite_file(write(tmp_path, suite(suite_parameters={"today": "2020-01-01"})))


@pytest.mark.parametrize("content, complaint", [
    (b"{not json", "not UTF-8 JSON"),
    (b'{"name": "x"}', "list of 'expectations'"),
])
def test_a_file_that_is_no_suite_is_refused(tmp_path, content, complaint):
    path = tmp_path / "x.expectations.json"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=complaint):
        read_suite_file(path)


def test_a_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match="create it"):
        read_suite_file(tmp_path / "absent.expectations.json")
