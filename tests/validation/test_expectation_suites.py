"""The pilot suites (schemas/<id>.expectations.json): every rule fires on a frame crafted to break
it, and a frame that follows the contract passes all of them."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from flows.validation.expectations import check_expectations, read_suite_file
from flows.validation.findings import Severity
from tests.validation.expectation_frames import (
    TODAY, VOTE_CODES, senate_votes_frame, senator_votes_frame, senators_frame,
)

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
GOOD_FRAMES: dict[str, Callable[[], pd.DataFrame]] = {
    "senate-votes": senate_votes_frame, "senators": senators_frame,
    "senator-votes": senator_votes_frame,
}
COUNTS = ["approve", "disprove", "abstained", "absent", "total_voter", "total_member"]


def run(dataset: str, frame: pd.DataFrame, *, today: datetime.date = TODAY):
    findings, _ = check_expectations(frame, SCHEMAS / f"{dataset}.expectations.json", today=today,
                                     personal_fields={"birthdate"})
    return findings


def by_rule(findings, rule: str):
    return [f for f in findings if f.rule == f"expectations/{rule}"]


@pytest.mark.parametrize("dataset", sorted(GOOD_FRAMES))
def test_a_frame_that_follows_the_contract_passes_every_rule(dataset):
    assert run(dataset, GOOD_FRAMES[dataset]()) == []


def _set(frame: pd.DataFrame, row: int, **values) -> pd.DataFrame:
    for column, value in values.items():
        if pd.api.types.is_datetime64_any_dtype(frame[column]) and value is not None:
            value = pd.Timestamp(value)
        frame.at[row, column] = value
    return frame


def _vote_codes(mix: list[str]) -> Callable[[], pd.DataFrame]:
    return lambda: senator_votes_frame(code_mix=mix)


# (dataset, rule, build the bad frame, rows expected to fail (None: table-level), field)
CASES = [
    ("senate-votes", "row-count", lambda: senate_votes_frame(rows=50), [None], None),
    ("senate-votes", "legal-title-required",
     lambda: _set(senate_votes_frame(), 11, legal_title=None), [11], "legal_title"),
    ("senate-votes", "mostly-recorded",
     lambda: senate_votes_frame().assign(meeting=lambda f: f["meeting"].where(f.index > 21, None)),
     list(range(2, 22)), "meeting"),
    ("senate-votes", "no-future-dates",
     lambda: _set(senate_votes_frame(), 7, vote_date="2030-01-02", sitting_date="2030-01-02"),
     [7, 7], None),
    ("senate-votes", "buddhist-era-year",
     lambda: _set(senate_votes_frame(), 9, vote_date="2562-08-05", sitting_date="2562-08-05"),
     [9, 9], None),
    ("senate-votes", "sitting-date-matches-vote-date",
     lambda: _set(senate_votes_frame(), 5, sitting_date="2019-08-09"), [5],
     "sitting_date, vote_date"),
    ("senate-votes", "count-exceeds-total",
     lambda: _set(senate_votes_frame(), 4, absent=251), [4], "absent"),
    ("senate-votes", "counts-sum-exceeds-total",
     lambda: _set(senate_votes_frame(), 6, absent=70), [6],
     "approve, disprove, abstained, absent, total_member"),
    ("senate-votes", "votes-exceed-voters",
     lambda: _set(senate_votes_frame(), 8, total_voter=180), [8],
     "approve, disprove, abstained, total_voter"),
    ("senate-votes", "counts-not-recorded",
     lambda: senate_votes_frame().assign(**{c: pd.NA for c in COUNTS}).astype(
         {c: "Int64" for c in COUNTS}), [None] * 6, None),
    ("senate-votes", "passed-constant",
     lambda: senate_votes_frame().assign(passed=False).astype({"passed": "boolean"}),
     [None], "passed"),
    ("senators", "row-count", lambda: senators_frame(rows=150), [None], None),
    ("senators", "mostly-recorded",
     lambda: senators_frame().assign(education=lambda f: f["education"].where(f.index > 31, None)),
     list(range(2, 32)), "education"),
    ("senators", "no-future-dates", lambda: _set(senators_frame(), 14, birthdate="2052-06-07"),
     [14], "birthdate"),
    ("senators", "buddhist-era-year", lambda: _set(senators_frame(), 3, birthdate="2503-05-13"),
     [3], "birthdate"),
    ("senators", "birthdate-plausible", lambda: _set(senators_frame(), 20, birthdate="1985-01-01"),
     [20], "birthdate"),
    ("senators", "duplicate-name",
     lambda: _set(senators_frame(), 6, first_name="ชื่อ3", last_name="สกุล3"), [5, 6],
     "first_name, last_name"),
    ("senators", "gender-values", lambda: senators_frame().assign(gender="ชาย"), [None], "gender"),
    ("senator-votes", "row-count", lambda: senator_votes_frame(senators=100), [None], None),
    ("senator-votes", "vote-label-matches-code",
     lambda: _set(senator_votes_frame(), 2, vote_label_th=VOTE_CODES["2"][0],
                  vote_label_en="absent"), [2, 2], None),
    ("senator-votes", "most-common-vote",
     _vote_codes(["1"] * 40 + ["2"] * 45 + ["5"] * 15), [None], "vote_code"),
    ("senator-votes", "yes-share",
     _vote_codes(["1"] * 30 + ["2"] * 25 + ["3"] * 25 + ["5"] * 20), [None], "vote_code"),
    ("senator-votes", "absent-share", _vote_codes(["1"] * 50 + ["5"] * 45 + ["2"] * 5),
     [None], "vote_code"),
    ("senator-votes", "not-applicable-share", _vote_codes(["1"] * 70 + ["5"] * 20 + ["-"] * 10),
     [None], "vote_code"),
]


@pytest.mark.parametrize("dataset, rule, bad_frame, rows, field", CASES,
                         ids=[f"{case[0]}:{case[1]}" for case in CASES])
@pytest.mark.slow  # 24 GX validations: ~7 s
def test_each_rule_fires_on_the_frame_that_breaks_it(dataset, rule, bad_frame, rows, field):
    fired = by_rule(run(dataset, bad_frame()), rule)
    assert sorted(f.row or 0 for f in fired) == sorted(r or 0 for r in rows)
    if field is not None:
        assert {f.field for f in fired} == {field}


def test_every_rule_in_the_pilot_suites_has_a_case():
    declared = {(dataset, entry["meta"]["rule"]) for dataset in GOOD_FRAMES
                for entry in read_suite_file(SCHEMAS / f"{dataset}.expectations.json").expectations}
    assert declared == {(case[0], case[1]) for case in CASES}


def test_table_level_findings_carry_the_observed_value():
    fired = by_rule(run("senate-votes", senate_votes_frame(rows=50)), "row-count")
    assert [(f.row, f.value, f.severity) for f in fired] == [(None, "50", Severity.ERROR)]


def test_a_future_birthdate_is_masked_as_personal_data():
    fired = by_rule(run("senators", _set(senators_frame(), 14, birthdate="2052-06-07")),
                    "no-future-dates")
    assert [f.value for f in fired] == ["20******07"]


def test_a_stub_vote_blocks_publication_until_fixed_or_waived():
    fired = by_rule(run("senate-votes", _set(senate_votes_frame(), 11, legal_title=None)),
                    "legal-title-required")
    assert [f.blocking for f in fired] == [True]


def test_known_quirks_warn_but_do_not_block():
    frame = senate_votes_frame().assign(passed=False, **{c: pd.NA for c in COUNTS})
    frame = frame.astype({"passed": "boolean", **{c: "Int64" for c in COUNTS}})
    findings = run("senate-votes", frame)
    assert {f.rule for f in findings} == {"expectations/counts-not-recorded",
                                          "expectations/passed-constant"}
    assert not any(f.blocking for f in findings)


def test_today_decides_what_is_in_the_future():
    frame = _set(senators_frame(), 14, birthdate="2024-06-07")
    assert by_rule(run("senators", frame, today=datetime.date(2024, 6, 1)), "no-future-dates")
    assert not by_rule(run("senators", frame, today=datetime.date(2024, 6, 7)), "no-future-dates")
