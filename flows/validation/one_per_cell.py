"""One problem, one finding: the rule of which finding wins when several checks report the same.

Checks run independently, so one bad cell can be reported by more than one of them:
- a date frictionless rejects (``schema/type-error``) is NA in the typed table, so the suite's
  not-null rule (``expectations/...``) reports the same cell again as "missing";
- a self-reference (foreign key to the same table) is checked by frictionless in the table run
  and again by the package-level check (``foreign_keys``);
- a renamed header column gives frictionless' per-column label errors as well as the
  ``structure/header-mismatch`` diagnosis that already names the rename and says how to fix it.

The rule, applied once every finding (and waiver) is known:
1. Header: when ``structure/header-mismatch`` exists, frictionless' per-column
   ``incorrect-label``/``missing-label``/``extra-label`` findings go (the diagnosis covers them).
2. Cell (a finding with both a row and a single field): one finding per (row, field). The winner
   is the first by: blocking before non-blocking (dropping must never unblock a record: a
   waived finding cannot hide an unwaived one), error before warning, then the most specific
   check (structure, then the Table Schema, then the other table checks, then the suite, whose
   rules see the value only as the schema typed it), then report order.
Personal-data findings are never dropped: they are about disclosure, not validity, can never
be waived, and the steward must see every one. Findings about a whole table, column or a
combination of columns ("a, b") are left as they are.
"""

from __future__ import annotations

from typing import Iterable

from flows.validation.findings import Finding, Severity

HEADER_DIAGNOSIS = "structure/header-mismatch"
#: frictionless' per-column header errors the diagnosis above stands for.
PER_COLUMN_LABELS = frozenset({"structure/incorrect-label", "structure/missing-label",
                               "structure/extra-label"})
#: Never merged with another finding (see the module docstring).
ALWAYS_KEPT_CHECKS = frozenset({"personal-data"})
#: Most specific first; checks not listed rank after these and before the suite.
_CHECK_ORDER = {"structure": 0, "schema": 1, "thai": 2, "expectations": 9}
_OTHER_CHECKS = 5


def one_finding_per_problem(findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` without the duplicates the module docstring lists, in their original order."""
    findings = list(findings)
    if any(f.rule == HEADER_DIAGNOSIS for f in findings):
        findings = [f for f in findings if f.rule not in PER_COLUMN_LABELS]
    winners: dict[tuple[int, str], int] = {}
    for index, finding in enumerate(findings):
        cell = _cell(finding)
        if cell is None:
            continue
        best = winners.get(cell)
        if best is None or _rank(finding, index) < _rank(findings[best], best):
            winners[cell] = index
    kept = set(winners.values())
    return [f for index, f in enumerate(findings) if _cell(f) is None or index in kept]


def _cell(finding: Finding) -> tuple[int, str] | None:
    """The (row, field) a finding is about; None when it is not about one cell."""
    if finding.row is None or not finding.field or "," in finding.field:
        return None
    if finding.check in ALWAYS_KEPT_CHECKS:
        return None
    return finding.row, finding.field


def _rank(finding: Finding, index: int) -> tuple[int, int, int, int]:
    return (0 if finding.blocking else 1,
            0 if finding.severity is Severity.ERROR else 1,
            _CHECK_ORDER.get(finding.check, _OTHER_CHECKS),
            index)
