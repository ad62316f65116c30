"""A bounded findings list with exact counts: the first findings per rule and field are listed,
the rest are one summary finding ("and 4,000 more cells"), in the stage, the waivers and the
three reports."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from flows.validation.finding_limits import DEFAULT_LIMIT, limit_findings, summary_finding
from flows.validation.findings import Finding, Severity, ValidationResult
from flows.validation.one_per_cell import one_finding_per_problem
from flows.validation.record_keys import with_record_keys
from flows.validation.reports import render_html, render_json, render_markdown
from flows.validation.validate import validate_table
from flows.validation.waivers import Waiver, apply_waivers
from tests.validation.report_samples import result_with, type_errors

TODAY = date(2026, 11, 28)


def _bad(count: int, *, field: str = "approve", rule: str = "schema/type-error",
         start_row: int = 2, waived_by: str | None = None) -> list[Finding]:
    return [Finding(rule=rule, severity=Severity.ERROR, message_th="ไม่ใช่จำนวนเต็ม",
                    message_en="not an integer", hint_th="เขียนเป็นตัวเลข",
                    hint_en="write a number", row=row, field=field, value=f"{row}x",
                    waived_by=waived_by)
            for row in range(start_row, start_row + count)]


def _summaries(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.omitted]


def _waiver(*, rows: set[int] | None = None, field: str | None = None) -> Waiver:
    return Waiver(rule="schema/type-error", reason="ต้นทางแก้ไม่ได้", by="สมชาย ใจดี",
                  expires=date(2027, 3, 31), field=field,
                  rows=frozenset(rows) if rows is not None else None, origin="test waiver")


# --- limit_findings and summary_finding --------------------------------------------------------

def test_5000_failing_cells_give_the_first_1000_by_row_and_one_summary() -> None:
    findings = _bad(5_000)
    random.Random(7).shuffle(findings)  # the checks' order is not row order
    limited = limit_findings(findings)
    listed = [f for f in limited if not f.omitted]
    [summary] = _summaries(limited)
    assert DEFAULT_LIMIT == 1_000
    assert sorted(f.row for f in listed) == list(range(2, 1_002))
    assert (summary.omitted, summary.row, summary.value, summary.key) == (4_000, None, None, None)
    assert (summary.rule, summary.field, summary.severity) == ("schema/type-error", "approve",
                                                               Severity.ERROR)
    assert summary.hint_en == "write a number"
    assert 'และอีก 4,000 ช่องในคอลัมน์ "approve" ที่ผิดกฎเดียวกัน' == summary.message_th
    assert 'and 4,000 more cells in field "approve" break the same rule' == summary.message_en
    result = result_with(limited)
    assert result.counts() == {"errors": 5_000, "warnings": 0, "waived": 0}
    assert result.blocking


def test_each_field_of_a_rule_is_limited_on_its_own() -> None:
    findings = _bad(1_500, field="a") + _bad(1_200, field="b") + _bad(10, field="c")
    limited = limit_findings(findings, per_rule=1_000)
    assert {(s.field, s.omitted) for s in _summaries(limited)} == {("a", 500), ("b", 200)}
    assert len([f for f in limited if f.field == "c"]) == 10
    assert result_with(limited).counts()["errors"] == 2_710


def test_a_list_within_the_limit_is_returned_as_it_came() -> None:
    findings = _bad(3, field="a") + _bad(2, rule="schema/constraint-error")
    assert limit_findings(findings, per_rule=3) == findings


def test_limiting_twice_changes_nothing_and_merges_a_checks_own_summary() -> None:
    # a vectorised check lists 1,200 cells and counts 7,000 more itself
    findings = _bad(1_200) + [summary_finding(_bad(1)[0], 7_000)]
    once = limit_findings(findings)
    [summary] = _summaries(once)
    assert summary.omitted == 7_200
    assert len(once) == 1_001
    assert limit_findings(once) == once
    assert result_with(once).counts()["errors"] == 8_200


def test_waived_and_blocking_cells_are_never_folded_together() -> None:
    findings = (_bad(1_500, start_row=2)
                + _bad(1_300, start_row=10_000, waived_by="สมชาย: source gap (until 2027-03-31)"))
    limited = limit_findings(findings, per_rule=1_000)
    summaries = {s.waived_by: s.omitted for s in _summaries(limited)}
    assert summaries == {None: 500, "สมชาย: source gap (until 2027-03-31)": 300}
    assert result_with(limited).counts() == {"errors": 1_500, "warnings": 0, "waived": 1_300}


def test_a_summary_of_a_warning_rule_counts_as_warnings() -> None:
    warnings = [Finding(rule="expectations/odd", severity=Severity.WARNING, message_th="แปลก",
                        message_en="odd", row=row, field="x") for row in range(2, 1_502)]
    limited = limit_findings(warnings, per_rule=1_000)
    assert _summaries(limited)[0].severity is Severity.WARNING
    result = result_with(limited)
    assert result.counts() == {"errors": 0, "warnings": 1_500, "waived": 0}
    assert not result.blocking


def test_summary_finding_for_a_vectorised_check() -> None:
    sample = _bad(1, field="score")[0]
    summary = summary_finding(sample, 12_345)
    assert summary.omitted == 12_345 and summary.count == 12_345 and summary.summary
    assert summary.message_en == 'and 12,345 more cells in field "score" break the same rule'
    assert summary.to_dict()["omitted"] == 12_345
    single = summary_finding(sample, 1)
    assert single.message_en == 'and 1 more cell in field "score" breaks the same rule'
    table_wide = summary_finding(Finding(rule="structure/blank-row", severity=Severity.WARNING,
                                         message_th="แถวว่าง", message_en="blank", row=5), 9)
    assert table_wide.message_th == "และอีก 9 รายการที่ผิดกฎเดียวกัน"


@pytest.mark.parametrize("omitted", [0, -3])
def test_a_summary_of_nothing_is_refused(omitted: int) -> None:
    with pytest.raises(ValueError, match="add no summary"):
        summary_finding(_bad(1)[0], omitted)


def test_by_rule_lists_the_summary_after_the_listed_findings() -> None:
    result = result_with(limit_findings(_bad(1_200)))
    group = result.by_rule()["schema/type-error"]
    assert [f.row for f in group[:2]] == [2, 3]
    assert group[-1].omitted == 200 and all(not f.omitted for f in group[:-1])


def test_one_per_cell_and_record_keys_leave_summaries_alone() -> None:
    summary = summary_finding(_bad(1)[0], 500)
    # a suite finding on the same field must not displace or be displaced by the summary
    suite = Finding(rule="expectations/not-null", severity=Severity.ERROR, message_th="ว่าง",
                    message_en="missing", row=3, field="approve")
    findings = _bad(2) + [suite, summary]
    deduplicated = one_finding_per_problem(findings)
    assert summary in deduplicated and suite not in deduplicated
    frame = pd.DataFrame({"id": pd.array([10, 11], dtype="Int64")},
                         index=pd.Index([2, 3], name="row"))
    keyed = with_record_keys(deduplicated, frame, {"primaryKey": ["id"]})
    assert [f.key for f in keyed if not f.omitted] == [(("id", "10"),), (("id", "11"),)]
    assert [f for f in keyed if f.omitted] == [summary]


# --- waivers -------------------------------------------------------------------------------

def _waived(findings: list[Finding], waiver: Waiver) -> ValidationResult:
    return result_with(apply_waivers(findings, [waiver], today=TODAY))


def test_a_waiver_naming_rows_never_waives_a_summary() -> None:
    findings = limit_findings(_bad(5_000))
    result = _waived(findings, _waiver(rows={2, 3}))
    assert result.counts() == {"errors": 4_998, "warnings": 0, "waived": 2}
    assert result.blocking  # the 4,000 unlisted cells still block
    assert not [f for f in result.findings if f.omitted and f.waived_by]


def test_a_waiver_naming_only_unlisted_rows_is_reported_unused() -> None:
    result = _waived(limit_findings(_bad(5_000)), _waiver(rows={4_500}))
    assert [f.rule for f in result.findings if f.rule.startswith("waivers/")] == ["waivers/unused"]
    assert result.counts()["errors"] == 5_000


def test_a_waiver_of_the_whole_rule_or_field_waives_the_summary_too() -> None:
    for waiver in (_waiver(), _waiver(field="approve")):
        result = _waived(limit_findings(_bad(5_000)), waiver)
        assert result.counts() == {"errors": 0, "warnings": 0, "waived": 5_000}
        assert not result.blocking
        assert not [f for f in result.findings if f.rule.startswith("waivers/")]
    other_field = _waived(limit_findings(_bad(5_000)), _waiver(field="title"))
    assert other_field.counts()["errors"] == 5_000


# --- the stage ------------------------------------------------------------------------------

SCORES_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "title": "รหัส", "description_th": "รหัสรายการ",
         "constraints": {"required": True, "unique": True}},
        {"name": "score", "type": "integer", "title": "คะแนน", "description_th": "คะแนนที่ได้"},
    ],
    "primaryKey": ["id"],
    "missingValues": [""],
}


def _scores(tmp_path: Path, waivers: str | None = None) -> ValidationResult:
    rows = "".join(f"{n},{n}x\n" for n in range(1, 5_001))  # every score is not an integer
    csv_path = tmp_path / "scores.csv"
    csv_path.write_text("id,score\n" + rows, encoding="utf-8")
    schema_path = tmp_path / "scores.schema.json"
    schema_path.write_text(json.dumps(SCORES_SCHEMA, ensure_ascii=False), encoding="utf-8")
    waivers_path = None
    if waivers is not None:
        waivers_path = tmp_path / "scores.yaml"
        waivers_path.write_text(waivers, encoding="utf-8")
    return validate_table(csv_path, schema_path=schema_path, suite_path=None, dataset="scores",
                          today=TODAY, waivers_path=waivers_path)


def test_the_stage_lists_1000_cells_and_counts_all_5000(tmp_path: Path) -> None:
    result = _scores(tmp_path)
    bad = [f for f in result.findings if f.rule == "schema/type-error"]
    listed = [f for f in bad if not f.omitted]
    [summary] = [f for f in bad if f.omitted]
    assert len(listed) == 1_000 and summary.omitted == 4_000 and summary.field == "score"
    assert [f.row for f in listed[:2]] == [2, 3] and listed[0].key == (("id", "1"),)
    assert result.counts()["errors"] == 5_000


def test_the_stage_applies_a_row_waiver_to_listed_cells_only(tmp_path: Path) -> None:
    waivers = ("waivers:\n  - rule: schema/type-error\n    rows: [2, 3]\n"
               "    reason: ทดสอบ\n    by: สมชาย\n    expires: 2027-03-31\n")
    result = _scores(tmp_path, waivers)
    assert result.counts() == {"errors": 4_998, "warnings": 0, "waived": 2}


# --- the reports ----------------------------------------------------------------------------

def _limited_result() -> ValidationResult:
    return result_with(limit_findings(type_errors(5_000)))


def test_json_writes_the_summary_as_a_note_after_the_listed_findings() -> None:
    document = json.loads(render_json(_limited_result()))
    assert document["counts"]["errors"] == 5_000
    [rule] = document["rules"]
    assert (rule["total"], rule["findings_listed"], rule["findings_truncated"]) == (
        5_000, 1_000, True)
    entries = document["findings"]
    assert len(entries) == 1_001 and all(e["omitted"] == 0 for e in entries[:-1])
    note = entries[-1]
    assert (note["omitted"], note["row"], note["field"], note["value"]) == (
        4_000, None, "approve", None)
    assert note["message_en"] == 'and 4,000 more cells in field "approve" break the same rule'


def test_html_shows_the_summary_as_a_note_row_with_exact_totals() -> None:
    page = render_html(_limited_result())
    assert "แสดง 20 จาก 5,000 รายการ" in page and "showing 20 of 5,000" in page
    assert "the first 1,000 are listed in validation.json" in page
    assert page.count('<tr class="note">') == 1
    note = page[page.index('<tr class="note">'):]
    note = note[:note.index("</tr>")]
    assert "และอีก 4,000 ช่องในคอลัมน์ &quot;approve&quot; ที่ผิดกฎเดียวกัน" in note
    assert "and 4,000 more cells in field &quot;approve&quot; break the same rule" in note
    assert 'colspan="5"' in note and 'data-label="หมายเหตุ / Note"' in note


def test_html_note_says_who_waived_a_waived_summary() -> None:
    findings = apply_waivers(limit_findings(type_errors(1_100)), [_waiver()], today=TODAY)
    page = render_html(result_with(findings))
    note = page[page.index('<tr class="note">'):]
    assert "waived by สมชาย ใจดี: ต้นทางแก้ไม่ได้" in note[:note.index("</tr>")]


def test_markdown_counts_the_unlisted_rows_and_notes_the_summary() -> None:
    text = render_markdown(_limited_result())
    assert "| 5,000 | 0 | 0 | 6,000 |" in text
    row = next(line for line in text.splitlines() if line.startswith("| `schema/type-error`"))
    assert "| 5,000 |" in row and row.endswith("row 2, row 3, row 4 +4,997 |")
    assert ('- `schema/type-error`: … และอีก 4,000 ช่องในคอลัมน์ "approve" ที่ผิดกฎเดียวกัน'
            in text)
    assert 'and 4,000 more cells in field "approve" break the same rule (rows not listed)' in text
