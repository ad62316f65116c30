import pandas as pd

from flows.validation.findings import Severity
from flows.validation.foreign_keys import RULE, RULE_UNCHECKED, check_foreign_keys

SCHEMA = {"foreignKeys": [
    {"fields": "senator_id", "reference": {"resource": "senators", "fields": "senator_id"}},
    {"fields": ["vote_id"], "reference": {"resource": "votes", "fields": ["vote_id"]}},
]}


def _frame(**columns) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    frame.index = range(2, len(frame) + 2)  # index = row number (header is row 1)
    return frame


def test_dangling_references_are_errors_on_their_row() -> None:
    frames = {
        "senator-votes": _frame(senator_id=pd.array([1, 2, 9, None], dtype="Int64"),
                                vote_id=pd.array([1, 1, 1, 7], dtype="Int64")),
        "senators": _frame(senator_id=pd.array([1, 2], dtype="Int64")),
        "votes": _frame(vote_id=pd.array([1], dtype="Int64")),
    }
    findings = check_foreign_keys("senator-votes", SCHEMA, frames)
    assert [(f.rule, f.row, f.field, f.value) for f in findings] == [
        (RULE, 4, "senator_id", "9"), (RULE, 5, "vote_id", "7")]
    assert all(f.severity is Severity.ERROR for f in findings)
    assert "senators" in findings[0].message_en and "votes" in findings[1].message_en


def test_missing_values_are_not_dangling() -> None:
    frames = {"senator-votes": _frame(senator_id=pd.array([None], dtype="Int64"),
                                      vote_id=pd.array([None], dtype="Int64")),
              "senators": _frame(senator_id=pd.array([], dtype="Int64")),
              "votes": _frame(vote_id=pd.array([], dtype="Int64"))}
    assert check_foreign_keys("senator-votes", SCHEMA, frames) == []


def test_a_referenced_dataset_that_failed_gives_a_warning_not_a_crash() -> None:
    frames = {"senator-votes": _frame(senator_id=pd.array([1], dtype="Int64"),
                                      vote_id=pd.array([1], dtype="Int64")),
              "senators": None, "votes": _frame(vote_id=pd.array([1], dtype="Int64"))}
    findings = check_foreign_keys("senator-votes", SCHEMA, frames)
    assert [(f.rule, f.severity) for f in findings] == [(RULE_UNCHECKED, Severity.WARNING)]
