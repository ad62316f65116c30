"""The open-data score: a dataset against the DGA's ten characteristics of open data.

    score_open_data(facts, rules) -> OpenDataScore        pure: facts in, ten marks out
    open_data_fields(score)       -> {"open_data_score": "8.5/10", "open_data_breakdown": "[...]"}

Each characteristic is one small function below that looks at the facts the pipeline holds
(``OpenDataFacts``, gathered by ``flows.describe.open_data_facts``) and names a case; the rule
file (``catalog_config/open_data_score.yaml``) says what the case counts as and the Thai reason.
The score is computed in the describe stage, before the gate: "public" is the classification
policy's treatment declared in the metadata, so a dataset that is not public scores what it is
(not accessible, not non-discriminatory...), and says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from flows.describe.open_data_rules import OpenDataRules, load_open_data_rules
from flows.validation.findings import Finding

SCORE_FIELD = "open_data_score"
BREAKDOWN_FIELD = "open_data_breakdown"
#: Until the freshness part sends an update status, a dataset has no schedule to be judged by.
NO_SCHEDULE = "ไม่กำหนดรอบ"


@dataclass(frozen=True)
class OpenDataFacts:
    """What the pipeline knows about a dataset when it describes it."""

    dataset: str
    name: str                           # its catalog name
    public: bool                        # the classification policy's treatment is public
    scope: str                          # that treatment, in the policy's Thai words
    findings: tuple[Finding, ...]       # the validation result's
    formats: tuple[str, ...]            # of every file published with it (none: metadata only)
    schema_fields: int                  # fields of its Table Schema (0: none)
    primary: str | None                 # open_data.primary declared in its metadata
    free_of_charge: bool | None         # open_data.free_of_charge declared in its metadata
    source: str = ""                    # the DGA data_source text
    update_status: str | None = None    # from the freshness part (None: not computed)
    frequency: str = ""                 # the DGA update frequency
    last_updated: str = ""              # the data's own last update
    licence: str = ""                   # the catalog licence's title ('' when unknown)
    od_conformance: str | None = None   # of that licence in the register (None: unknown)


@dataclass(frozen=True)
class Mark:
    """One characteristic's result."""

    key: str
    th: str
    en: str
    mark: str        # pass | partial | fail
    mark_th: str     # the mark's Thai name (the rule file's)
    points: float    # what the mark is worth (the rule file's)
    reason_th: str


@dataclass(frozen=True)
class OpenDataScore:
    marks: tuple[Mark, ...]
    points: float
    out_of: float

    @property
    def text(self) -> str:
        """"9/10", "8.5/10": whole numbers without a decimal point."""
        return f"{_number(self.points)}/{_number(self.out_of)}"


_Decision = tuple[str, dict[str, Any]]   # the case, and the values its reason shows


def _complete(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    if not facts.public:
        return "not_public", {"scope": facts.scope}
    found = [f for f in facts.findings if _matches(f, params["incomplete_findings"])]
    values = {"count": sum(finding.count for finding in found),   # a summary stands for many
              "rules": ", ".join(sorted({f.rule for f in found}))}
    if any(f.blocking for f in found):
        return "incomplete", values
    return ("noted" if found else "complete"), values


def _matches(finding: Finding, matchers: tuple[tuple[str, str], ...]) -> bool:
    return any(finding.rule == rule and contains in finding.message_en
               for rule, contains in matchers)


def _primary(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    return (facts.primary or "undeclared"), {"source": facts.source}


def _timely(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    return (facts.update_status or NO_SCHEDULE), {
        "frequency": facts.frequency or "ไม่ระบุความถี่", "last_updated": facts.last_updated
        or "ไม่ระบุ"}


def _accessible(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    values = {"name": facts.name, "scope": facts.scope}
    if not facts.public:
        return "not_public", values
    api = any(fmt in params["data_api_formats"] for fmt in facts.formats)
    return ("web_and_api" if api else "web_only"), values


def _machine_readable(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    readable = sorted({fmt for fmt in facts.formats if fmt in params["formats"]})
    values = {"formats": ", ".join(readable or sorted(set(facts.formats)) or ["ไม่มีไฟล์"]),
              "fields": facts.schema_fields}
    if not readable:
        return "unstructured", values
    return ("structured" if facts.schema_fields else "no_schema"), values


def _non_discriminatory(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    return ("anonymous" if facts.public else "restricted"), {"scope": facts.scope}


def _non_proprietary(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    formats = sorted(set(facts.formats))
    closed = [fmt for fmt in formats if fmt not in params["open_formats"]]
    values = {"formats": ", ".join(formats) or "ไม่มีไฟล์", "closed": ", ".join(closed)}
    if not formats or len(closed) == len(formats):
        return "closed", {**values, "closed": values["closed"] or "ไม่มีไฟล์"}
    return ("mixed" if closed else "open"), values


def _licence_free(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    values = {"licence": facts.licence}
    if not facts.licence or facts.od_conformance is None:
        return "unknown", values
    return {"approved": "open", "rejected": "restricted"}.get(facts.od_conformance,
                                                             "unreviewed"), values


def _permanent(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    values = {"name": facts.name, "scope": facts.scope}
    if facts.name != facts.dataset:
        return "unstable", values
    return ("kept" if facts.public else "history_private"), values


def _free_of_charge(facts: OpenDataFacts, params: dict[str, Any]) -> _Decision:
    if facts.free_of_charge is None:
        return "undeclared", {}
    return ("free" if facts.free_of_charge else "charged"), {}


#: The function of each characteristic (the rule file lists them in the DGA's order).
DECIDERS: dict[str, Callable[[OpenDataFacts, dict[str, Any]], _Decision]] = {
    "complete": _complete, "primary": _primary, "timely": _timely, "accessible": _accessible,
    "machine_readable": _machine_readable, "non_discriminatory": _non_discriminatory,
    "non_proprietary": _non_proprietary, "licence_free": _licence_free,
    "permanent": _permanent, "free_of_charge": _free_of_charge,
}


def score_open_data(facts: OpenDataFacts, rules: OpenDataRules | None = None) -> OpenDataScore:
    """The ten marks and the total (each mark worth the rule's points: partial counts half)."""
    rules = rules or load_open_data_rules()
    marks = []
    for characteristic in rules.characteristics:
        case, values = DECIDERS[characteristic.key](facts, dict(characteristic.params))
        declared = characteristic.cases.get(case)
        if declared is None:   # a declared value (e.g. open_data.primary) the rule lacks
            declared = characteristic.cases[_fallback(characteristic.key)]
        reason = declared.th.format(dataset=facts.dataset, **values)
        marks.append(Mark(key=characteristic.key, th=characteristic.th, en=characteristic.en,
                          mark=declared.mark, mark_th=rules.marks[declared.mark][0],
                          points=rules.points[declared.mark], reason_th=" ".join(reason.split())))
    points = sum(mark.points for mark in marks)
    return OpenDataScore(marks=tuple(marks), points=points, out_of=rules.max_score)


def _fallback(key: str) -> str:
    # Only declared values reach here: open_data_facts checks them against the rule's cases,
    # and a status the freshness part adds later is, until declared, "no schedule".
    return {"timely": NO_SCHEDULE}.get(key, "undeclared")


def open_data_fields(score: OpenDataScore) -> dict[str, str]:
    """The two dataset fields: the total, and the breakdown as JSON text (the characteristics
    in the DGA's order; same score, same bytes, so an unchanged score writes nothing)."""
    breakdown = [{"key": m.key, "th": m.th, "en": m.en, "mark": m.mark, "mark_th": m.mark_th,
                  "points": _number(m.points), "reason": m.reason_th} for m in score.marks]
    return {SCORE_FIELD: score.text,
            BREAKDOWN_FIELD: json.dumps(breakdown, ensure_ascii=False, separators=(",", ":"))}


def score_points(text: Any) -> float | None:
    """The points of an ``open_data_score`` text ("8.5/10" -> 8.5); None when it is not one."""
    try:
        points, _, out_of = str(text).partition("/")
        return float(points) if out_of else None
    except ValueError:
        return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
