"""``scorecard.html``: the weighted KPI scorecard as one page, Thai first, opens offline.

Same house rules as the validation report and the data dictionary (flows/html_style.py): one
self-contained file (inline CSS, no script, no font or image file, a Content-Security-Policy that
forbids loading anything), every text from the data through ``html.escape``. The only links are
the evidence links of the progress reports (plain ``<a href>``, navigation only; nothing is
loaded). Nothing depends on the clock: the same rows give the same bytes.

Every reporting round of the latest fiscal year has its column (6, 9, 12 months) with the
trend of the latest round as an arrow; KPIs scored from their own evidence (KPI 1.3) show how
their completion was counted and the declared criteria.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, Iterable, Mapping

from flows.atomic import write_text_atomic
from flows.html_style import page_head
from flows.kpi.evidence_scoring import RULE_FILE, EvidenceScore
from flows.kpi.scorecard import (LEVEL_2_PCT, LEVEL_3_PCT, MAX_LEVEL, ROUND_COLUMNS, TRENDS,
                                 ScorecardTotal, kpi_sort_key)

_RULES_TH = [
    "ระดับ 0 — ไม่มีแผน หรือยังไม่มีรายงานความก้าวหน้า",
    "ระดับ 1 — มีแผน (ดำเนินการได้ต่ำกว่าร้อยละ 80)",
    "ระดับ 2 — ดำเนินการตามแผนได้ร้อยละ 80 ขึ้นไป",
    "ระดับ 3 — ดำเนินการตามแผนได้ร้อยละ 100",
    "ระดับ 4 — ระดับ 3 และผ่านเงื่อนไขระดับ 5 ของตัวชี้วัดบางข้อ (ยังไม่ครบ)",
    "ระดับ 5 — ระดับ 3 และผ่านเงื่อนไขระดับ 5 ของตัวชี้วัดครบทุกข้อ",
]
_RULES_EN = ("0 no plan or no report · 1 a plan exists · 2 ≥ 80 % of the plan done · "
             "3 100 % done · 4: level 3 plus some, 5: plus all of the KPI's own level-5 "
             "conditions")
_READING_TH = ("ตารางเกณฑ์ในเอกสารกรอบตัวชี้วัดแสดงเฉพาะระดับ 1, 3 และ 5 โดยรวมเกณฑ์ร้อยละ 80 และร้อยละ 100 "
               "ไว้ในระดับ 3 ระบบนี้อ่านร้อยละ 80 เป็นระดับ 2 และร้อยละ 100 เป็นระดับ 3")
_READING_EN = ("The framework's tables show levels 1, 3 and 5 only, with the 80 % and 100 % "
               "bullets merged into level 3; we read 80 % as level 2 and 100 % as level 3.")
_FORMULA_TH = ("คะแนนถ่วงน้ำหนักของตัวชี้วัด = น้ำหนัก × ระดับ ÷ 5; คะแนนรวม = ผลรวมของทุกตัวชี้วัด "
               "(น้ำหนักรวม 100 ทุกตัวชี้วัดได้ระดับ 5 = 100 คะแนน, ทุกตัวชี้วัดได้ระดับ 3 = 60 คะแนน)")
_FORMULA_EN = "weighted score = weight × level / 5; total = Σ weight × level / 5 (all level 5 = 100)"
_COLUMNS = [("ตัวชี้วัด", "KPI", ""), ("น้ำหนัก", "Weight", "num"),
            ("รอบรายงาน", "Round", "num"), ("ผลตามแผน", "Plan done", "num"),
            ("เงื่อนไขระดับ 5", "Level-5 conditions met", "num"), ("ระดับ", "Level", "num"),
            ("คะแนนถ่วงน้ำหนัก", "Weighted score", "num"),
            *((f"รอบ {m} เดือน", f"{m}-month round", "num") for m in ROUND_COLUMNS),
            ("แนวโน้ม", "Trend", "num"), ("หลักฐาน", "Evidence", ""),
            ("หมายเหตุ", "Note", "")]
_PAGE_CSS = """
.total { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 22px; }
.total .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 18px; min-width: 200px; }
.total .n { display: block; font-size: 2rem; font-weight: 700; line-height: 1.2; font-variant-numeric: tabular-nums; }
.total .what .en { display: block; color: var(--muted); font-size: 0.85rem; }
.level { display: inline-block; min-width: 2em; text-align: center; padding: 1px 8px; border-radius: 999px; font-weight: 700; background: var(--soft); border: 1px solid var(--line); }
.level-0 { background: var(--red-bg); color: var(--red); border-color: var(--red-line); }
.level-4, .level-5 { background: var(--green-bg); color: var(--green); border-color: var(--green-line); }
tr.component td { background: var(--soft); font-weight: 600; }
ul.rules { margin: 0 0 10px; padding-left: 22px; }
ul.evidence { margin: 0; padding: 0; list-style: none; }
.pilot { background: var(--amber-bg); color: var(--amber); border-color: var(--amber-line); font-weight: 600; }
.pilot .en { display: block; font-weight: 400; }
.trend { font-weight: 700; }
.trend-up { color: var(--green); }
.trend-down { color: var(--red); }
"""


def render_scorecard_html(rows: Iterable[Mapping[str, Any]], total: ScorecardTotal, *,
                          evidence: Mapping[str, EvidenceScore] | None = None) -> str:
    """The scorecard page: the total, the table (grouped by component), the rule, and how the
    KPIs in ``evidence`` were scored from their checklists."""
    rows = list(rows)
    title = "ผลการประเมินตัวชี้วัดแบบถ่วงน้ำหนัก — Weighted KPI scorecard"
    return "\n".join([
        page_head(title=title, generator="KPI scorecard"),
        f"{_PAGE_CSS}</style>\n</head>\n<body>",
        _header(rows),
        '<main class="wrap">', _total_section(total), _table_section(rows),
        _rule_section(), _evidence_section(evidence or {}), "</main>",
        '<footer class="wrap"><p>สร้างจากชุดข้อมูล kpi-register และ kpi-progress โดยอัตโนมัติ · '
        "Generated from the kpi-register and kpi-progress datasets. senate-data-catalog</p>"
        "</footer>",
        "</body>\n</html>\n"])


def write_scorecard_html(rows: Iterable[Mapping[str, Any]], total: ScorecardTotal,
                         path: Path, *,
                         evidence: Mapping[str, EvidenceScore] | None = None) -> Path:
    """Write ``render_scorecard_html`` to ``path`` (UTF-8)."""
    return write_text_atomic(path, render_scorecard_html(rows, total, evidence=evidence))


def _header(rows: list[Mapping[str, Any]]) -> str:
    years = sorted({str(row["fiscal_year_be"]) for row in rows if row.get("fiscal_year_be")})
    year = f" ปีงบประมาณ พ.ศ. {escape(', '.join(years))}" if years else ""
    return ('<header class="top">\n  <div class="wrap">\n'
            '    <p class="kicker">สำนักงานเลขาธิการวุฒิสภา · Secretariat of the Senate</p>\n'
            f"    <h1>ผลการประเมินตัวชี้วัดแบบถ่วงน้ำหนัก{year}</h1>\n"
            '    <p class="en">Weighted KPI scorecard of the performance framework</p>\n'
            '    <p class="dataset">ชุดข้อมูล / Dataset <code>kpi-scorecard</code></p>\n'
            "  </div>\n</header>")


def _total_section(total: ScorecardTotal) -> str:
    as_of = escape(total.as_of) if total.as_of else "—"
    cards = [(_number(total.weighted_total) + " / 100", "คะแนนรวมถ่วงน้ำหนัก",
              "Weighted total (0-100)"),
             (_number(total.five_point) + " / 5", "ระดับเฉลี่ยถ่วงน้ำหนัก",
              "Weighted average level (0-5)"),
             (f"{total.kpis_reported} / {total.kpis}", "ตัวชี้วัดที่มีรายงาน",
              "KPIs with a progress report"),
             (as_of, "ข้อมูล ณ วันที่รายงานล่าสุด", "As of the latest report")]
    html = "".join(f'<div class="card"><span class="n">{value}</span><span class="what">'
                   f'{escape(th)}<span class="en">{escape(en)}</span></span></div>'
                   for value, th, en in cards)
    note = ""
    if total.pilot_kpis:
        note += (f'<p class="empty pilot">ระดับของตัวชี้วัด {total.pilot_kpis} จาก {total.kpis} ตัว'
                 "คิดจากค่าทดลองระบบ ไม่ใช่ผลการดำเนินงานจริง "
                 f"<span class=\"en\">{total.pilot_kpis} of the {total.kpis} KPIs are scored from "
                 "pilot values, not real results.</span></p>")
    if abs(total.weight_sum - 100) > 0.005:
        note += (f'<p class="empty">น้ำหนักรวม {_number(total.weight_sum)} ไม่เท่ากับ 100 · '
                 f"The weights add up to {_number(total.weight_sum)}, not 100.</p>")
    return f'<section id="total">\n<div class="total">{html}</div>{note}\n</section>'


def _table_section(rows: list[Mapping[str, Any]]) -> str:
    head = "".join(f'<th{_class(css)}>{escape(th)}<span class="en">{escape(en)}</span></th>'
                   for th, en, css in _COLUMNS)
    body = []
    for members in _by_component(rows):
        body.append(_component_row(members))
        body += [_kpi_row(row) for row in members]
    return ('<section id="scorecard">\n  <h2>ผลรายตัวชี้วัด<span class="en">By KPI</span></h2>\n'
            f'<div class="table-wrap"><table class="stack">\n<thead><tr>{head}</tr></thead>\n'
            f'<tbody>\n{chr(10).join(body)}\n</tbody>\n</table></div>\n</section>')


def _by_component(rows: list[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """The rows grouped by component, each group and the groups in KPI order."""
    ordered = sorted(rows, key=lambda row: kpi_sort_key(row["kpi_id"]))
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in ordered:
        groups.setdefault(str(row.get("component") or ""), []).append(row)
    return list(groups.values())


def _component_row(members: list[Mapping[str, Any]]) -> str:
    first = members[0]
    name_th = escape(str(first.get("component_th") or first.get("component") or "—"))
    name_en = escape(str(first.get("component") or ""))
    weight = sum(row["weight"] for row in members)
    score = sum(row["weighted_score"] for row in members)
    return (f'<tr class="component"><td>{name_th}<span class="en">{name_en}</span></td>'
            f'<td class="num">{_number(weight)}</td><td colspan="4"></td>'
            f'<td class="num">{_number(score)}</td>'
            f'<td colspan="{len(ROUND_COLUMNS) + 3}"></td></tr>')


def _kpi_row(row: Mapping[str, Any]) -> str:
    level = int(row["level"])
    cells = [f"<strong>{escape(str(row['kpi_id']))}</strong> {escape(str(row['name_th']))}",
             _number(row["weight"]), _round(row.get("round_months")),
             _percent(row.get("plan_done_pct")), _optional(row.get("higher_conditions_met")),
             f'<span class="level level-{level}">{level}</span>',
             _number(row["weighted_score"]),
             *(_optional(row.get(column)) for column in ROUND_COLUMNS.values()),
             _trend(row.get("trend")), _evidence(row.get("evidence_url") or ""),
             escape(str(row.get("note_th") or ""))]
    tds = "".join(f'<td{_class(css)} data-label="{escape(f"{th} / {en}")}">{cell}</td>'
                  for (th, en, css), cell in zip(_COLUMNS, cells))
    return f"<tr>{tds}</tr>"


def _rule_section() -> str:
    rules = "".join(f"<li>{escape(rule)}</li>" for rule in _RULES_TH)
    return ('<section id="rule">\n  <h2>เกณฑ์การคิดระดับและคะแนน'
            '<span class="en">How levels and scores are computed</span></h2>\n'
            f'<ul class="rules">{rules}</ul>\n<p>{escape(_RULES_EN)}</p>\n'
            f"<p>{escape(_READING_TH)}<br>{escape(_READING_EN)}</p>\n"
            f"<p>{escape(_FORMULA_TH)}<br>{escape(_FORMULA_EN)}</p>\n"
            f"<p>เกณฑ์ร้อยละ / thresholds: {_number(LEVEL_2_PCT)} % → 2, "
            f"{_number(LEVEL_3_PCT)} % → 3; ระดับสูงสุด / top level {MAX_LEVEL}</p>\n</section>")


def _evidence_section(evidence: Mapping[str, EvidenceScore]) -> str:
    """How each evidence-scored KPI's completion was counted, and the declared criteria."""
    if not evidence:
        return ""
    items = []
    for kpi_id in sorted(evidence, key=kpi_sort_key):
        score = evidence[kpi_id]
        rule = score.rule
        met = ", ".join(map(str, score.met)) or "—"
        claimed = ", ".join(map(str, score.claimed_without_link))
        unlinked = (f" เงื่อนไขที่ {claimed} ระบุว่าดำเนินการแล้วแต่ไม่มีลิงก์หลักฐาน จึงไม่นับ"
                    if claimed else "")
        items.append(
            f"<li><strong>ตัวชี้วัด {escape(kpi_id)}</strong> — ร้อยละผลตามแผน = "
            f"เงื่อนไขที่ดำเนินการแล้วพร้อมลิงก์หลักฐาน ÷ {rule.conditions_total} × 100 จากชุดข้อมูล "
            f"<code>{escape(rule.conditions_dataset)}</code>: {len(score.met)} / "
            f"{rule.conditions_total} = {_number(score.done_pct)} % (เงื่อนไขที่ {escape(met)})"
            f"{escape(unlinked)}. ระดับ 1 มีแผน (จากรายงานความก้าวหน้า) · ระดับ 2 ≥ "
            f"{_number(rule.level_2_pct)} % · ระดับ 3 = {_number(rule.level_3_pct)} % · ระดับ 5 "
            "ระดับ 3 และเสนอรายงานผลต่อหัวหน้าส่วนราชการแล้ว (มีลิงก์หลักฐานในรายงานความก้าวหน้า)"
            f'<span class="en">KPI {escape(kpi_id)}: plan done = conditions met with an evidence '
            f"link ÷ {rule.conditions_total}, from {escape(rule.conditions_dataset)}; level 2 at "
            f"{_number(rule.level_2_pct)} %, 3 at {_number(rule.level_3_pct)} %, 5 when the "
            "outcome report has been presented to the head of the agency (linked). Criteria: "
            f"{escape(RULE_FILE.as_posix())}</span></li>")
    return ('<section id="evidence-scored">\n  <h2>ตัวชี้วัดที่คิดระดับจากหลักฐานของระบบ'
            '<span class="en">KPIs scored from the system&#39;s own evidence</span></h2>\n'
            f'<ul class="rules">{"".join(items)}</ul>\n</section>')


def _trend(value: Any) -> str:
    if not value:
        return '<span class="none">—</span>'
    arrow, th = TRENDS[str(value)]
    return (f'<span class="trend trend-{escape(str(value))}" title="{escape(th)}">'
            f"{arrow}</span> {escape(th)}")


def _evidence(value: str) -> str:
    links = [link.strip() for link in value.split("|") if link.strip()]
    if not links:
        return '<span class="none">—</span>'
    items = "".join(
        f'<li><a href="{escape(link)}" rel="noopener noreferrer">{escape(link)}</a></li>'
        if link.startswith(("https://", "http://")) else f"<li>{escape(link)}</li>"
        for link in links)
    return f'<ul class="evidence">{items}</ul>'


def _round(value: Any) -> str:
    return '<span class="none">—</span>' if value is None else f"{int(value)} เดือน"


def _percent(value: Any) -> str:
    return '<span class="none">—</span>' if value is None else f"{_number(value)} %"


def _optional(value: Any) -> str:
    return '<span class="none">—</span>' if value is None else escape(str(value))


def _number(value: Any) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _class(css: str) -> str:
    return f' class="{css}"' if css else ""
