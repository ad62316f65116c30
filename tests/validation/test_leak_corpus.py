"""The leak corpus: every written form caught, no look-alike flagged."""

from __future__ import annotations

import pytest

from flows.validation.personal_data import ContactAllowList
from tests.validation.leak_corpus import KINDS, ORGANIZATION, evaluate, format_result, load_corpus

MUST_CATCH, LOOK_ALIKES = load_corpus()


def test_the_corpus_is_big_enough_and_covers_every_kind() -> None:
    assert len(MUST_CATCH) >= 40 and len(LOOK_ALIKES) >= 40
    assert {case.kind for case in MUST_CATCH} == set(KINDS)
    assert {case.kind for case in LOOK_ALIKES} == set(KINDS)
    assert all(case.values and all(v in case.text for v in case.values) for case in MUST_CATCH)


def test_recall_is_complete_and_nothing_else_is_flagged() -> None:
    result = evaluate(MUST_CATCH, LOOK_ALIKES, allow=ContactAllowList.from_file(ORGANIZATION))
    report = format_result(result, must_catch=len(MUST_CATCH), look_alikes=len(LOOK_ALIKES))
    assert result.misses == [], report
    assert result.false_alarms == [], report


@pytest.mark.parametrize("text", ["meeting@senate.go.th", "ict [at] senate [dot] go [dot] th"])
def test_allow_listed_look_alikes_are_hits_without_the_allow_list(text: str) -> None:
    """The agency's mailboxes are look-alikes only because of the allow-list."""
    case = next(case for case in LOOK_ALIKES if case.text == text)
    assert evaluate([], [case]).false_alarms != []
