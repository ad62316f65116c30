"""``summary.md``: the few lines a reviewer reads in a PR, a chat message or a Prefect artifact.

Only the verdict, the counts and the top rules, each with its first failing rows (row number
and the record's primary key, so the reviewer can find the record); every row is in
``report.html``. Text
from checks is escaped so a message holding ``|``, ``*`` or ``<tag>`` cannot break the table or
inject markup where Markdown is rendered.
"""

from __future__ import annotations

import re

from flows.validation.findings import Severity, ValidationResult
from flows.validation.reports.summary import (SEVERITY_TH, TOP_RULES, RuleGroup, Verdict,
                                              group_findings, verdict_of)

#: Failing rows named per rule in the summary (the rest are in report.html).
ROWS_PER_RULE = 3

_VERDICT_MARK = {Verdict.PASS: "✅", Verdict.PASS_WITH_NOTES: "⚠️", Verdict.FAIL: "❌"}


def render_markdown(result: ValidationResult, *, top_rules: int = TOP_RULES) -> str:
    """The summary as GitHub-flavoured Markdown (trailing newline)."""
    verdict = verdict_of(result)
    lines = [f"### {_VERDICT_MARK[verdict]} `{result.dataset}`: "
             f"{verdict.label_th} / {verdict.label_en}", ""]
    lines += _counts_table(result)
    lines += _rules_table(result, top_rules)
    lines += ["", f"Source `{_escape_code(result.source)}` · sha256 "
                  f"`{result.source_sha256[:12]}` · encoding `{_escape_code(result.encoding)}` · "
                  f"validated {_escape(result.generated_at)}",
              "", "รายละเอียดแถวที่ไม่ผ่านอยู่ใน `report.html` · "
                  "Failing rows are listed in `report.html` (all findings: `validation.json`)."]
    return "\n".join(lines) + "\n"


def _counts_table(result: ValidationResult) -> list[str]:
    counts = result.counts()
    rows = "—" if result.rows is None else f"{result.rows:,}"
    return ["| ข้อผิดพลาด / Errors | คำเตือน / Warnings | ยกเว้น / Waived | แถว / Rows |",
            "|---:|---:|---:|---:|",
            f"| {counts['errors']:,} | {counts['warnings']:,} | {counts['waived']:,} | {rows} |"]


def _rules_table(result: ValidationResult, top_rules: int) -> list[str]:
    groups = group_findings(result)
    if not groups:
        return ["", "ไม่พบปัญหา · No findings."]
    # Errors come first in the groups already; within that, the biggest rules matter most.
    ranked = sorted(groups, key=lambda g: (g.severity is not Severity.ERROR, -g.total))
    lines = ["", "| กฎ / Rule | ระดับ / Severity | จำนวน / Total | ยกเว้น / Waived "
                 "| ข้อความ / Message | แถว / Rows |",
             "|---|---|---:|---:|---|---|"]
    for group in ranked[:top_rules]:
        severity = f"{SEVERITY_TH[group.severity]} {group.severity.value}"
        lines.append(f"| `{_escape_code(group.rule)}` | {severity} | {group.total:,} | "
                     f"{group.waived:,} | {_escape(group.first.message_th)}"
                     f" · {_escape(group.first.message_en)} | {_rows(group)} |")
    if len(ranked) > top_rules:
        lines.append(f"\nและอีก {len(ranked) - top_rules:,} กฎ · "
                     f"and {len(ranked) - top_rules:,} more rule(s) in `report.html`.")
    return lines + _notes(ranked[:top_rules])


def _notes(groups: list[RuleGroup]) -> list[str]:
    """One line per summary of the listed rules: the cells no list names, counted."""
    notes = [f"- `{_escape_code(group.rule)}`: … {_escape(summary.message_th)} (ไม่ได้ระบุแถว)"
             f" · … {_escape(summary.message_en)} (rows not listed)"
             for group in groups for summary in group.summaries]
    return ["", *notes] if notes else []


def _rows(group: RuleGroup) -> str:
    """The first failing rows with their keys: ``row 394 (Law_ID 393), …``; — for none."""
    rows = [f for f in group.findings if f.row is not None]
    # the rows not named here: listed in report.html, or only counted by a summary
    hidden = max(len(rows) - ROWS_PER_RULE, 0) + sum(s.omitted for s in group.summaries)
    if not rows and not hidden:
        return "—"
    shown = [f"row {f.row}" + (f" ({_escape(f.key_text())})" if f.key else "")
             for f in rows[:ROWS_PER_RULE]]
    more = f" +{hidden:,}" if hidden else ""
    return (", ".join(shown) + more).strip()


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def _escape(text: str) -> str:
    """Text safe inside a table cell: Markdown markup escaped, HTML shown, one line."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _escape_code(text: str) -> str:
    """Text safe inside an inline code span within a table cell (GFM lets ``\\|`` in spans)."""
    return " ".join(text.split()).replace("`", "'").replace("|", "\\|")
