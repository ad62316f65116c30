"""``report.html``: the page a data steward opens, Thai first and English second.

The page is one self-contained file (inline CSS, no script, no font or image files, and a
Content-Security-Policy that forbids loading anything), so it opens offline, from an e-mail
attachment or a shared drive alike. Every piece of text from the data or the checks goes through
``html.escape``: a cell holding ``<script>`` is shown, never run.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from string import Template

from flows.html_style import page_template
from flows.validation.findings import Finding, ValidationResult
from flows.validation.reports.summary import (FINDINGS_CAP_PER_RULE, SAMPLES_PER_RULE,
                                              SEVERITY_TH, RuleGroup, Verdict, group_findings,
                                              verdict_of)


def render_html(result: ValidationResult, *, samples_per_rule: int = SAMPLES_PER_RULE) -> str:
    """The report as one HTML page."""
    groups = group_findings(result)
    verdict = verdict_of(result)
    return _template().substitute(
        title=escape(f"รายงานผลการตรวจสอบข้อมูล {result.dataset} — {verdict.label_th}"),
        dataset=escape(result.dataset),
        verdict=_verdict_section(result, verdict),
        counts=_counts_section(result),
        rules=_rules_table(groups),
        samples=_samples_section(groups, samples_per_rule),
        about=_about_section(result),
        footer=_footer(result),
    )


@lru_cache(maxsize=1)
def _template() -> Template:
    return page_template("flows.validation", "report.html", generator="validation report")


def _verdict_section(result: ValidationResult, verdict: Verdict) -> str:
    why_th, why_en = _verdict_reason(result, verdict)
    return (f'<section class="verdict verdict-{verdict.value}" id="verdict">\n'
            f'  <p class="label-th">{escape(verdict.label_th)}</p>\n'
            f'  <p class="label-en">{escape(verdict.label_en)}</p>\n'
            f'  <p class="why">{escape(why_th)}'
            f'<span class="sample-en">{escape(why_en)}</span></p>\n'
            f'</section>')


def _verdict_reason(result: ValidationResult, verdict: Verdict) -> tuple[str, str]:
    errors = result.counts()["errors"]
    if verdict is Verdict.FAIL:
        return (f"มีข้อผิดพลาด {errors:,} รายการ ต้องแก้ไข "
                "(หรือให้ผู้ดูแลข้อมูลอนุมัติยกเว้น) ก่อนเผยแพร่",
                f"{errors:,} error(s) must be fixed, or waived by the data steward, "
                "before the dataset is published.")
    if verdict is Verdict.PASS_WITH_NOTES:
        return ("ไม่มีข้อผิดพลาดที่ระงับการเผยแพร่ "
                "คำเตือนและรายการที่ได้รับการยกเว้นจะเผยแพร่เป็นหมายเหตุ",
                "Nothing blocks publication; warnings and waived findings are published as notes.")
    return "ไม่พบปัญหาในข้อมูลชุดนี้", "No problems were found in this dataset."


def _counts_section(result: ValidationResult) -> str:
    counts = result.counts()
    cards = [("errors", counts["errors"], "ข้อผิดพลาด", "Errors (block publication)"),
             ("warnings", counts["warnings"], "คำเตือน", "Warnings"),
             ("waived", counts["waived"], "ได้รับการยกเว้น", "Waived by the steward"),
             ("rows", result.rows, "จำนวนแถวข้อมูล", "Data rows")]
    html = [f'<div class="count {name}{" nonzero" if n else ""}">'
            f'<span class="n">{_number(n)}</span>'
            f'<span class="what">{escape(th)}<span class="en">{escape(en)}</span></span></div>'
            for name, n, th, en in cards]
    return '<section class="counts" id="counts">\n  ' + "\n  ".join(html) + "\n</section>"


_RULE_COLUMNS = [("กฎ", "Rule", ""), ("ระดับ", "Severity", ""), ("จำนวน", "Total", "num"),
                 ("ยกเว้น", "Waived", "num"), ("ข้อความ (ไทย)", "Thai message", ""),
                 ("ข้อความ (อังกฤษ)", "English message", ""), ("วิธีแก้ไข", "How to fix", "")]


def _rules_table(groups: list[RuleGroup]) -> str:
    if not groups:
        return '<p class="empty">ไม่พบปัญหา<span class="sample-en">No findings.</span></p>'
    rows = "\n".join(_rule_row(index, group) for index, group in enumerate(groups))
    return _table(_RULE_COLUMNS, rows, table_id="rule-table")


def _rule_row(index: int, group: RuleGroup) -> str:
    first = group.first
    labels = [f"{th} / {en}" for th, en, _ in _RULE_COLUMNS]
    cells = [
        f'<a href="#{_anchor(index, group)}"><code class="rule">{escape(group.rule)}</code></a>',
        _severity_badge(group),
        _number(group.total),
        _number(group.waived),
        escape(first.message_th),
        escape(first.message_en),
        _hint(first),
    ]
    classes = [css for _, _, css in _RULE_COLUMNS]
    return "<tr>" + "".join(_td(label, cell, css)
                            for label, cell, css in zip(labels, cells, classes)) + "</tr>"


def _samples_section(groups: list[RuleGroup], samples_per_rule: int) -> str:
    if not groups:
        return ('<p class="empty">ไม่มีแถวที่ไม่ผ่านการตรวจสอบ'
                '<span class="sample-en">No failing rows.</span></p>')
    return "\n".join(_sample_block(index, group, samples_per_rule)
                     for index, group in enumerate(groups))


def _sample_block(index: int, group: RuleGroup, samples_per_rule: int) -> str:
    shown = group.findings[:samples_per_rule]
    more_th = more_en = ""
    if group.total > len(shown):
        listed = min(group.total, FINDINGS_CAP_PER_RULE)
        more_th = f" — ดูเพิ่มเติมได้ใน validation.json ({listed:,} รายการแรก)"
        more_en = f" — the first {listed:,} are listed in validation.json"
    hint = _hint(group.first, block=True)
    return (f'<details class="rule" id="{_anchor(index, group)}" open>\n'
            f'  <summary><h3><code>{escape(group.rule)}</code></h3>'
            f'{_severity_badge(group)}</summary>\n'
            f'  <div class="body">\n'
            f'  <p class="shown">แสดง {len(shown):,} จาก {group.total:,} รายการ{more_th}'
            f' · showing {len(shown):,} of {group.total:,}{more_en}</p>\n'
            f'  {hint}\n'
            f'{_sample_table(shown)}\n'
            f'  </div>\n</details>')


def _sample_table(findings: tuple[Finding, ...]) -> str:
    columns = [("แถว", "Row", "num"), ("คอลัมน์", "Field", ""), ("ค่า", "Value", ""),
               ("ข้อความ", "Message", "")]
    with_waivers = any(finding.waived_by for finding in findings)
    if with_waivers:
        columns.append(("การยกเว้น", "Waived by", ""))
    labels = [f"{th} / {en}" for th, en, _ in columns]
    rows = []
    for finding in findings:
        cells = [_number(finding.row), _code_or_dash(finding.field), _value(finding.value),
                 f'{escape(finding.message_th)}'
                 f'<span class="en">{escape(finding.message_en)}</span>']
        if with_waivers:
            cells.append(escape(finding.waived_by) if finding.waived_by else _dash())
        rows.append("<tr>" + "".join(_td(label, cell, css) for label, cell, (_, _, css)
                                     in zip(labels, cells, columns)) + "</tr>")
    return _table(columns, "\n".join(rows))


def _about_section(result: ValidationResult) -> str:
    items = [("แหล่งข้อมูล", "Source file", _code_or_dash(result.source)),
             ("ค่า SHA-256 ของไฟล์", "Source SHA-256", _code_or_dash(result.source_sha256)),
             ("การเข้ารหัสอักขระ", "Encoding", _code_or_dash(result.encoding)),
             ("จำนวนแถวข้อมูล", "Data rows", _number(result.rows)),
             ("รุ่นของ Table Schema", "Table Schema version", _code_or_dash(result.schema_version)),
             ("รุ่นของชุดกฎ (GX)", "Expectation suite version",
              _code_or_dash(result.suite_version))]
    # No timestamp here: the page is published as a catalog resource, and an unchanged dataset
    # must give byte-identical bytes so a re-run uploads nothing. The time is in validation.json.
    rows = "\n".join(f'  <dt>{escape(th)}<span class="en">{escape(en)}</span></dt><dd>{value}</dd>'
                     for th, en, value in items)
    return f'<dl class="about">\n{rows}\n</dl>'


def _footer(result: ValidationResult) -> str:
    return (f"รายการทั้งหมด (สูงสุด {FINDINGS_CAP_PER_RULE:,} รายการต่อกฎ) อยู่ในไฟล์ "
            f"<code>validation.json</code> · All findings (up to {FINDINGS_CAP_PER_RULE:,} per "
            f"rule) are in <code>validation.json</code>, with the time of the check. "
            f"senate-data-catalog")


def _table(columns: list[tuple[str, str, str]], body: str, *, table_id: str = "") -> str:
    head = "".join(f'<th class="{css}">{escape(th)}<span class="en">{escape(en)}</span></th>'
                   if css else f'<th>{escape(th)}<span class="en">{escape(en)}</span></th>'
                   for th, en, css in columns)
    id_attr = f' id="{table_id}"' if table_id else ""
    return (f'<div class="table-wrap"><table class="stack"{id_attr}>\n'
            f'<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>')


def _td(label: str, content: str, css: str = "") -> str:
    class_attr = f' class="{css}"' if css else ""
    return f'<td{class_attr} data-label="{escape(label)}">{content}</td>'


def _severity_badge(group: RuleGroup) -> str:
    severity = group.severity.value
    badge = (f'<span class="badge badge-{severity}">'
             f'{escape(SEVERITY_TH[group.severity])} · {escape(severity)}</span>')
    if group.waived:
        badge += f' <span class="badge badge-waived">ยกเว้น {group.waived:,} · waived</span>'
    return badge


def _hint(finding: Finding, *, block: bool = False) -> str:
    if not (finding.hint_th or finding.hint_en):
        return "" if block else _dash()
    text = f'{escape(finding.hint_th)}<span class="en">{escape(finding.hint_en)}</span>'
    return f'<p class="hint"><strong>วิธีแก้ไข · How to fix:</strong> {text}</p>' if block else text


def _value(value: str | None) -> str:
    return _dash() if value is None else f'<code class="value">{escape(value)}</code>'


def _code_or_dash(text: str | None) -> str:
    return f"<code>{escape(text)}</code>" if text else _dash()


def _number(value: int | None) -> str:
    return _dash() if value is None else f"{value:,}"


def _dash() -> str:
    return '<span class="none">—</span>'


def _anchor(index: int, group: RuleGroup) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{group.severity.value}-{group.rule}".lower()).strip("-")
    return f"rule-{index + 1}-{slug}"
