"""The header against the schema's field names, as one diagnosing finding."""

from __future__ import annotations

from flows.validation.header_check import header_findings


def _message(labels, names) -> str:
    [finding] = header_findings(labels, names)
    assert finding.rule == "structure/header-mismatch"
    return finding.message_en


def test_matching_header_has_no_finding():
    assert header_findings(("a", "b"), ["a", "b"]) == []


def test_reordered_columns():
    assert "different order" in _message(["b", "a"], ["a", "b"])


def test_missing_and_extra_columns():
    message = _message(["a", "x", "y"], ["a", "b"])
    assert 'probably renamed "x" → "b"' in message
    assert 'not in the schema "y"' in message


def test_missing_column_only():
    assert _message(["a"], ["a", "b"]) == 'The header does not match the schema: missing "b".'


def test_duplicated_column_is_extra():
    assert 'not in the schema "b"' in _message(["a", "b", "b"], ["a", "b"])


def test_hint_lists_the_expected_header():
    [finding] = header_findings(["a"], ["a", "b"])
    assert "a, b" in finding.hint_en and "a, b" in finding.hint_th
