"""Recall and precision of the personal-data detector on the leak corpus.

``leak_corpus.yaml`` (next to this file) lists written forms that must be caught, each with the
characters a hit of its kind must cover, and look-alikes that must not be caught. Each text goes
through ``find_personal_data`` with the agency's allow-list (``catalog_config/organization.yaml``).

- A form (a value of a must-catch text) is caught when a hit of its kind covers it;
  otherwise it is a miss.
- Every other hit is a false alarm: any hit in a look-alike, and a hit in a must-catch text
  that does not cover the value (or is of another kind).
- Recall = caught / forms; precision = true hits / all hits; per kind and overall.

Example:

    python -m tests.validation.leak_corpus

Prints the table, every miss and every false alarm; exit code 1 when recall is below 100 % or
anything raised a false alarm.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from flows.validation.personal_data import (ContactAllowList, PersonalDataHit,
                                            find_personal_data)

CORPUS = Path(__file__).with_name("leak_corpus.yaml")
ORGANIZATION = Path(__file__).parents[2] / "catalog_config" / "organization.yaml"
KINDS = ("nid", "phone", "email", "passport")


@dataclass(frozen=True)
class Case:
    """One corpus entry: a text, and for a must-catch text its kind and values."""

    text: str
    note: str
    kind: str | None = None        # the kind of a must-catch text; a look-alike's imitated kind
    values: tuple[str, ...] = ()   # must-catch only: what hits of ``kind`` must cover, each a form


@dataclass
class CorpusResult:
    """What the detector did on the corpus."""

    forms: Counter = field(default_factory=Counter)        # must-catch forms per kind
    caught: Counter = field(default_factory=Counter)       # ... of which caught
    hits: Counter = field(default_factory=Counter)         # every hit per kind
    true_hits: Counter = field(default_factory=Counter)    # ... that cover an expected value
    misses: list[Case] = field(default_factory=list)
    false_alarms: list[tuple[Case, PersonalDataHit]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.misses and not self.false_alarms


def load_corpus(path: Path = CORPUS) -> tuple[list[Case], list[Case]]:
    """``(must_catch, must_not_catch)`` as read from the corpus file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    must_catch = [_case(entry, "kind") for entry in data["must_catch"]]
    look_alikes = [_case(entry, "looks_like") for entry in data["must_not_catch"]]
    return must_catch, look_alikes


def _case(entry: dict[str, Any], kind_key: str) -> Case:
    value = entry.get("value")
    values = () if value is None else tuple(value) if isinstance(value, list) else (value,)
    return Case(text=str(entry["text"]), note=str(entry.get("note", "")),
                kind=entry.get(kind_key), values=tuple(str(v) for v in values))


def evaluate(must_catch: list[Case], look_alikes: list[Case], *,
             allow: ContactAllowList | None = None) -> CorpusResult:
    """Run the detector over every case and count (see the module docstring)."""
    result = CorpusResult()
    for case in must_catch:
        hits = find_personal_data(case.text, allow=allow)
        expected = []
        for value in case.values:
            covering = [hit for hit in hits if hit.kind == case.kind and _covers(hit, case, value)]
            result.forms[case.kind] += 1
            result.caught[case.kind] += bool(covering)
            if not covering:
                result.misses.append(case)
            expected += covering[:1]
        _count_hits(result, case, hits, expected=expected)
    for case in look_alikes:
        _count_hits(result, case, find_personal_data(case.text, allow=allow), expected=[])
    return result


def _covers(hit: PersonalDataHit, case: Case, value: str) -> bool:
    start = case.text.find(value)
    return start >= 0 and hit.start <= start and start + len(value) <= hit.end


def _count_hits(result: CorpusResult, case: Case, hits: list[PersonalDataHit], *,
                expected: list[PersonalDataHit]) -> None:
    for hit in hits:
        result.hits[hit.kind] += 1
        if hit in expected:
            result.true_hits[hit.kind] += 1
        else:
            result.false_alarms.append((case, hit))


def format_result(result: CorpusResult, *, must_catch: int, look_alikes: int) -> str:
    """The report: a recall/precision table per kind and overall, then misses and alarms."""
    lines = [f"leak corpus: {must_catch} texts to catch ({sum(result.forms.values())} forms), "
             f"{look_alikes} look-alikes", "",
             f"{'kind':<10}{'forms':>7}{'caught':>8}{'recall':>9}{'hits':>7}{'false':>7}"
             f"{'precision':>11}"]
    for kind in (*KINDS, "overall"):
        forms, caught, hits, true = _totals(result, kind)
        lines.append(f"{kind:<10}{forms:>7}{caught:>8}{_percent(caught, forms):>9}{hits:>7}"
                     f"{hits - true:>7}{_percent(true, hits):>11}")
    lines += ["", f"misses ({len(result.misses)}):"]
    lines += [f"  [{case.kind}] {case.text!r}  ({case.note})" for case in result.misses]
    lines += [f"false alarms ({len(result.false_alarms)}):"]
    lines += [f"  [{hit.kind}] {hit.text!r} in {case.text!r}  ({case.note})"
              for case, hit in result.false_alarms]
    return "\n".join(lines)


def _totals(result: CorpusResult, kind: str) -> tuple[int, int, int, int]:
    counters = (result.forms, result.caught, result.hits, result.true_hits)
    if kind == "overall":
        return tuple(sum(counter.values()) for counter in counters)  # type: ignore[return-value]
    return tuple(counter[kind] for counter in counters)  # type: ignore[return-value]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def main() -> int:
    """Print the report; 0 when recall is 100 % and nothing raised a false alarm."""
    must_catch, look_alikes = load_corpus()
    result = evaluate(must_catch, look_alikes, allow=ContactAllowList.from_file(ORGANIZATION))
    print(format_result(result, must_catch=len(must_catch), look_alikes=len(look_alikes)))
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
