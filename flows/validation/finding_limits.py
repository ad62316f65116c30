"""A bounded findings list with exact counts: the first ``DEFAULT_LIMIT`` findings of each rule
and field are listed, and the rest become one *summary* finding that says how many it stands
for ("และอีก 4,000 ช่องในคอลัมน์ "approve" ที่ผิดกฎเดียวกัน").

Why: one bad column of a million-row table is a million findings, each a Python object carried
through waivers, record keys and three reports; the steward needs the pattern, the first rows
and the exact total, not the millionth row. ``ValidationResult.counts()`` counts a summary as
its ``omitted`` findings, so the totals, the verdict and the quality grade do not change.

A group is (rule, field, severity, waiver): a waived finding is never folded into an unwaived
summary (or the reverse), so the waived and error totals stay exact. Within a group the first
findings by row are kept, in the order they came. A summary keeps the group's rule, field,
severity, hints and waiver; its row, value and key are None, so the per-cell rules
(``one_per_cell``, ``record_keys``) and a waiver that names rows never touch it: a cell that is
not listed cannot be waived row by row, and it still blocks.
"""

from __future__ import annotations

from typing import Iterable

from flows.validation.findings import Finding

#: Findings listed per rule and field; the reports say "the first 1,000 are listed".
DEFAULT_LIMIT = 1_000

_Group = tuple[str, str | None, str, str | None]


def limit_findings(findings: Iterable[Finding], *,
                   per_rule: int = DEFAULT_LIMIT) -> list[Finding]:
    """``findings`` with at most ``per_rule`` listed per (rule, field) group: the first by row,
    in their original order, then one summary per group that overflowed (or already had one).

    Summaries already in ``findings`` (from a check that counted vectorised) are merged into
    their group's one summary, so limiting twice gives the same list.
    """
    if per_rule < 1:
        raise ValueError(f"per_rule must be at least 1 (got {per_rule}): a rule needs one "
                         "listed finding for the report to show what it means")
    findings = list(findings)
    listed: dict[_Group, list[int]] = {}
    summaries: dict[_Group, list[Finding]] = {}
    for index, finding in enumerate(findings):
        if finding.summary:
            summaries.setdefault(_group(finding), []).append(finding)
        else:
            listed.setdefault(_group(finding), []).append(index)
    dropped: set[int] = set()
    overflow: dict[_Group, tuple[Finding, int]] = {}
    for group, indices in listed.items():
        if len(indices) > per_rule:
            cut = sorted(indices, key=lambda i: (_row(findings[i]), i))[per_rule:]
            dropped.update(cut)
            overflow[group] = (findings[cut[0]], len(cut))
    if not dropped and all(len(found) == 1 for found in summaries.values()):
        return findings  # nothing to cut or merge: the list as it came
    kept = [f for index, f in enumerate(findings) if index not in dropped and not f.summary]
    return kept + _summaries(summaries, overflow)


def summary_finding(sample: Finding, omitted: int) -> Finding:
    """One finding standing for ``omitted`` further findings like ``sample`` (same rule, field,
    severity, hints and waiver) that are not listed.

    For checks that count failures vectorised and build only the first findings of a rule: they
    add this instead of the rest, and the counts stay exact.
    """
    if omitted < 1:
        raise ValueError(f"a summary stands for at least one unlisted finding (got omitted="
                         f"{omitted}); when nothing was left out, add no summary")
    message_th, message_en = _summary_messages(sample.field, omitted)
    return Finding(rule=sample.rule, severity=sample.severity, message_th=message_th,
                   message_en=message_en, hint_th=sample.hint_th, hint_en=sample.hint_en,
                   field=sample.field, waived_by=sample.waived_by, omitted=omitted)


def _summaries(existing: dict[_Group, list[Finding]],
               overflow: dict[_Group, tuple[Finding, int]]) -> list[Finding]:
    """One summary per group, in the order the groups first appeared."""
    groups = list(existing) + [group for group in overflow if group not in existing]
    result = []
    for group in groups:
        found = existing.get(group, [])
        sample, cut = overflow.get(group, (None, 0))
        if len(found) == 1 and not cut:
            result.append(found[0])  # already the group's one summary
            continue
        omitted = cut + sum(f.omitted for f in found)
        result.append(summary_finding(found[0] if found else sample, omitted))
    return result


def _summary_messages(field: str | None, omitted: int) -> tuple[str, str]:
    if field:
        cells = "cell" if omitted == 1 else "cells"
        verb = "breaks" if omitted == 1 else "break"
        return (f'และอีก {omitted:,} ช่องในคอลัมน์ "{field}" ที่ผิดกฎเดียวกัน',
                f'and {omitted:,} more {cells} in field "{field}" {verb} the same rule')
    more = "finding" if omitted == 1 else "findings"
    return (f"และอีก {omitted:,} รายการที่ผิดกฎเดียวกัน",
            f"and {omitted:,} more {more} of the same rule")


def _group(finding: Finding) -> _Group:
    return finding.rule, finding.field, finding.severity.value, finding.waived_by


def _row(finding: Finding) -> int:
    # findings about a whole column (no row) first, as sort_findings orders them
    return finding.row if finding.row is not None else -1
