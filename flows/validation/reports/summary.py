"""What every report says first: the verdict, and the findings grouped by rule and severity.

The three reports (JSON, HTML, Markdown) read the same groups in the same order, so a steward who
opens the HTML page and a reviewer who reads the Markdown summary see the same rules, totals and
verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import groupby

from flows.validation.findings import Finding, Severity, ValidationResult, sort_findings

#: Findings listed per rule (and severity) in ``validation.json``; the totals are always exact.
FINDINGS_CAP_PER_RULE = 1_000
#: Failing rows shown per rule in ``report.html``: enough to see the pattern, short enough to read.
SAMPLES_PER_RULE = 20
#: Rules listed in ``summary.md``, which is meant for a PR comment or a chat message.
TOP_RULES = 10

SEVERITY_TH = {Severity.ERROR: "ข้อผิดพลาด", Severity.WARNING: "คำเตือน"}


class Verdict(str, Enum):
    """What the findings mean for publication."""

    PASS = "pass"
    PASS_WITH_NOTES = "pass-with-notes"
    FAIL = "fail"

    @property
    def label_th(self) -> str:
        return _VERDICT_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _VERDICT_LABELS[self][1]


_VERDICT_LABELS = {
    Verdict.PASS: ("ผ่าน", "Pass"),
    Verdict.PASS_WITH_NOTES: ("ผ่าน — เผยแพร่ได้พร้อมหมายเหตุ", "Pass — publishes with notes"),
    Verdict.FAIL: ("ไม่ผ่าน — ระงับการเผยแพร่", "Fail — blocks publication"),
}


def verdict_of(result: ValidationResult) -> Verdict:
    """Fail when an unwaived error remains; pass with notes when anything else was found."""
    if result.blocking:
        return Verdict.FAIL
    return Verdict.PASS_WITH_NOTES if result.findings else Verdict.PASS


@dataclass(frozen=True)
class RuleGroup:
    """All findings of one rule at one severity, in report order (row, then field)."""

    rule: str
    severity: Severity
    findings: tuple[Finding, ...]

    @property
    def check(self) -> str:
        return self.findings[0].check

    @property
    def total(self) -> int:
        return len(self.findings)

    @property
    def waived(self) -> int:
        return sum(1 for finding in self.findings if finding.waived_by is not None)

    @property
    def first(self) -> Finding:
        """The finding whose messages and hints stand for the whole rule in summary tables."""
        return self.findings[0]


def group_findings(result: ValidationResult) -> list[RuleGroup]:
    """Findings grouped by (severity, rule): errors first, then by rule name, as sort_findings."""
    ordered = sort_findings(result.findings)
    # sort_findings orders by severity then rule, so each (severity, rule) run is contiguous.
    return [RuleGroup(rule=rule, severity=severity, findings=tuple(items))
            for (severity, rule), items in groupby(ordered, key=lambda f: (f.severity, f.rule))]
