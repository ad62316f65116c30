"""``validation.json``: the machine-readable report, stable enough to diff and to archive.

Keys come in a fixed order, text is UTF-8 (Thai stays readable), and nothing in the document
depends on the time it was written: the same ``ValidationResult`` always gives the same bytes.
Findings are listed up to ``FINDINGS_CAP_PER_RULE`` per rule and field; the per-rule totals stay
exact and ``findings_truncated`` says where the list was cut. A finding entry with ``omitted`` > 0
is a note, not a cell: "and 4,000 more cells in field x" (``finding_limits``), written after the
rule's listed findings.
"""

from __future__ import annotations

import json
from typing import Any

from flows.validation.findings import Finding, ValidationResult
from flows.validation.reports.summary import (FINDINGS_CAP_PER_RULE, RuleGroup, group_findings,
                                              verdict_of)

#: Bump when a key is renamed or removed (adding keys keeps the version).
FORMAT_VERSION = 1


def render_json(result: ValidationResult, *, cap_per_rule: int = FINDINGS_CAP_PER_RULE) -> str:
    """The report as JSON text (indent 2, trailing newline)."""
    return json.dumps(build_json_document(result, cap_per_rule=cap_per_rule),
                      ensure_ascii=False, indent=2) + "\n"


def build_json_document(result: ValidationResult, *,
                        cap_per_rule: int = FINDINGS_CAP_PER_RULE) -> dict[str, Any]:
    """The report as a plain dict, keys in the order they are written."""
    groups = group_findings(result)
    return {
        "format_version": FORMAT_VERSION,
        "dataset": result.dataset,
        "source": result.source,
        "source_sha256": result.source_sha256,
        "encoding": result.encoding,
        "schema_version": result.schema_version,
        "suite_version": result.suite_version,
        "rows": result.rows,
        "generated_at": result.generated_at,
        "verdict": verdict_of(result).value,
        "blocking": result.blocking,
        "counts": result.counts(),
        "findings_cap_per_rule": cap_per_rule,
        "rules": [_rule_entry(group, cap_per_rule) for group in groups],
        "findings": [_finding_entry(finding) for group in groups
                     for finding in group.first_listed(cap_per_rule) + list(group.summaries)],
    }


def _rule_entry(group: RuleGroup, cap_per_rule: int) -> dict[str, Any]:
    first = group.first
    listed = len(group.first_listed(cap_per_rule))
    return {
        "rule": group.rule,
        "check": group.check,
        "severity": group.severity.value,
        "total": group.total,
        "waived": group.waived,
        "findings_listed": listed,
        "findings_truncated": listed < group.total,
        "message_th": first.message_th,
        "message_en": first.message_en,
        "hint_th": first.hint_th,
        "hint_en": first.hint_en,
    }


def _finding_entry(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "row": finding.row,
        # the record's primary key ({"Law_ID": "393"}), null without a row or a declared key
        "key": finding.key_dict(),
        "field": finding.field,
        "value": finding.value,
        "message_th": finding.message_th,
        "message_en": finding.message_en,
        "hint_th": finding.hint_th,
        "hint_en": finding.hint_en,
        "waived_by": finding.waived_by,
        # > 0: not a cell but a note standing for that many unlisted findings (row is null)
        "omitted": finding.omitted,
    }
