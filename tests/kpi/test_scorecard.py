"""The weighted KPI scorecard (flows/kpi/scorecard.py, scorecard_html.py) and its two datasets,
kpi-progress (steward-maintained) and kpi-scorecard (generated)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from flows.kpi.scorecard import (SCORECARD_FIELDS, ScorecardError, achieved_level,
                                 build_scorecard, higher_conditions_of, read_csv_rows,
                                 scorecard_csv_text,
                                 scorecard_total, weighted_score, write_scorecard_csv)
from flows.kpi.scorecard_html import render_scorecard_html, write_scorecard_html
from flows.validation.findings import Severity
from flows.validation.validate_and_report import run_validation
from flows.validation.validate import validate_table

ROOT = Path(__file__).resolve().parents[2]
REGISTER_CSV = ROOT / "datasets" / "kpi-register" / "kpi-register.csv"
PROGRESS_CSV = ROOT / "datasets" / "kpi-progress" / "kpi-progress.csv"
TODAY = date(2026, 11, 28)
PILOT_NOTE = "ค่าทดลองระบบ รอผู้รับผิดชอบตัวชี้วัดรายงานจริง"
EVIDENCE = "https://www.senate.go.th/evidence/2-3.pdf"
WEIGHTS = {"1.1": 15, "1.2": 15, "1.3": 15, "1.4": 15, "2.1": 10, "2.2": 10, "2.3": 10,
           "2.4": 10}


def register_fixture() -> list[dict[str, str]]:
    """The register's columns the scorecard reads, as text (what csv.DictReader gives)."""
    return [{"kpi_id": kpi_id, "name_th": f"ตัวชี้วัดที่ {kpi_id}",
             "component": "Performance Base" if kpi_id < "2" else "Potential Base",
             "component_th": "องค์ประกอบที่ 1" if kpi_id < "2" else "องค์ประกอบที่ 2",
             "component_weight": "60" if kpi_id < "2" else "40", "weight": str(weight),
             "criteria_level_5": "● รายงานผลต่อหัวหน้าส่วนราชการ ● ความพึงพอใจร้อยละ 80"}
            for kpi_id, weight in WEIGHTS.items()]


def progress(kpi_id: str, *, pct: float | None = 100, higher: int = 0, plan: bool = True,
             round_months: int = 6, evidence: str = "", reported_on: str = "2024-04-30"
             ) -> dict[str, str]:
    return {"kpi_id": kpi_id, "fiscal_year_be": "2567", "round_months": str(round_months),
            "plan_exists": "true" if plan else "false",
            "plan_done_pct": "" if pct is None else str(pct),
            "higher_conditions_met": str(higher), "evidence_url": evidence,
            "reported_by_unit_code": "ICT", "reported_on": reported_on, "note_th": PILOT_NOTE}


def all_at(level_pct: float, higher: int = 0) -> list[dict[str, str]]:
    return [progress(kpi_id, pct=level_pct, higher=higher) for kpi_id in WEIGHTS]


# --- the level rule ------------------------------------------------------------------------

@pytest.mark.parametrize("plan, pct, higher, level", [
    (False, None, 0, 0), (False, 100, 2, 0),         # no plan: 0 whatever else is written
    (True, None, 0, 1), (True, 0, 0, 1), (True, 79, 0, 1), (True, 79.99, 0, 1),
    (True, 80, 0, 2), (True, 99, 0, 2),
    (True, 99, 2, 2),                                # higher conditions need 100 % first
    (True, 100, 0, 3), (True, 100, 1, 4), (True, 100, 2, 5),
])
def test_achieved_level_follows_the_framework_rule(plan, pct, higher, level):
    assert achieved_level(plan_exists=plan, plan_done_pct=pct,
                          higher_conditions_met=higher) == level


@pytest.mark.parametrize("pct, higher", [(101, 0), (-1, 0), (100, 3), (100, -1)])
def test_achieved_level_refuses_values_outside_the_ranges(pct, higher):
    with pytest.raises(ScorecardError):
        achieved_level(plan_exists=True, plan_done_pct=pct, higher_conditions_met=higher)


@pytest.mark.parametrize("criteria, met, level", [
    ("รายงานผลพร้อมปัญหา อุปสรรค และข้อเสนอแนะ", 1, 5),   # one condition (KPIs 1.1, 1.3, 2.1)
    ("● ความพึงพอใจร้อยละ 80 ● รายงานผล", 1, 4),            # two conditions, one met
    ("● ความพึงพอใจร้อยละ 80 ● รายงานผล", 2, 5),
])
def test_level_5_means_all_of_the_kpis_own_conditions(criteria, met, level):
    register = [{**register_fixture()[0], "criteria_level_5": criteria}]
    [row] = build_scorecard(register, [progress("1.1", pct=100, higher=met)])
    assert row["level"] == level


def test_the_real_register_counts_one_or_two_level_5_conditions():
    counts = {row["kpi_id"]: higher_conditions_of(row["criteria_level_5"])
              for row in read_csv_rows(REGISTER_CSV)}
    assert counts == {"1.1": 1, "1.2": 2, "1.3": 1, "1.4": 2, "2.1": 1, "2.2": 2, "2.3": 2,
                      "2.4": 2}


def test_weighted_score_is_weight_times_level_over_five():
    assert weighted_score(15, 3) == 9.0
    assert weighted_score(10, 4) == 8.0
    assert weighted_score(15, 0) == 0.0
    assert weighted_score(12.5, 1) == 2.5


# --- the total -----------------------------------------------------------------------------

@pytest.mark.parametrize("pct, higher, total", [
    (100, 0, 60.0),    # all level 3
    (100, 2, 100.0),   # all level 5
    (80, 0, 40.0),     # all level 2
    (10, 0, 20.0),     # all level 1
])
def test_weighted_total_for_uniform_levels(pct, higher, total):
    rows = build_scorecard(register_fixture(), all_at(pct, higher))
    result = scorecard_total(rows)
    assert result.weighted_total == total
    assert result.weight_sum == 100.0
    assert result.five_point == total / 20


def test_weighted_total_for_mixed_levels():
    levels = {"1.1": (50, 0), "1.2": (85, 0), "1.3": (100, 0), "1.4": (100, 1),
              "2.1": (100, 2), "2.3": (100, 0), "2.4": (100, 0)}   # 2.2 has no report: 0
    rows = build_scorecard(register_fixture(), [progress(k, pct=p, higher=h)
                                                for k, (p, h) in levels.items()])
    assert [row["level"] for row in rows] == [1, 2, 3, 4, 5, 0, 3, 3]
    # 15 × (1+2+3+4) / 5 + 10 × (5+0+3+3) / 5 = 30 + 22
    assert scorecard_total(rows).weighted_total == 52.0
    assert sum(row["weighted_score"] for row in rows) == 52.0


def test_the_latest_round_counts_whatever_the_row_order():
    rows = [progress("2.3", pct=80, round_months=9), progress("2.3", pct=50, round_months=6)]
    [scored] = [row for row in build_scorecard(register_fixture(), rows)
                if row["kpi_id"] == "2.3"]
    assert (scored["round_months"], scored["plan_done_pct"], scored["level"]) == (9, 80.0, 2)
    assert scored["weighted_score"] == 4.0


def test_a_kpi_without_a_report_scores_zero_and_says_why():
    rows = build_scorecard(register_fixture(), [progress("1.1")])
    missing = rows[1]
    assert missing["kpi_id"] == "1.2" and missing["level"] == 0
    assert missing["round_months"] is None and missing["weighted_score"] == 0.0
    assert "kpi-progress" in missing["note_th"]
    total = scorecard_total(rows)
    assert (total.kpis, total.kpis_reported, total.weighted_total) == (8, 1, 9.0)


def test_rows_come_in_kpi_order_with_register_fields():
    rows = build_scorecard(list(reversed(register_fixture())), all_at(100))
    assert [row["kpi_id"] for row in rows] == list(WEIGHTS)
    assert rows[0]["name_th"] == "ตัวชี้วัดที่ 1.1" and rows[0]["weight"] == 15.0
    assert rows[4]["component"] == "Potential Base"


def test_a_progress_row_for_an_unknown_kpi_is_refused():
    with pytest.raises(ScorecardError, match="3.1"):
        build_scorecard(register_fixture(), [progress("3.1")])


def test_two_rows_for_one_kpi_and_round_are_refused():
    with pytest.raises(ScorecardError, match="two rows"):
        build_scorecard(register_fixture(), [progress("1.1"), progress("1.1", pct=50)])


def test_bad_text_in_a_progress_row_names_the_kpi_and_column():
    with pytest.raises(ScorecardError, match="KPI 1.1: plan_exists"):
        build_scorecard(register_fixture(), [{**progress("1.1"), "plan_exists": "yes"}])


# --- the CSV -------------------------------------------------------------------------------

def test_scorecard_csv_is_deterministic(tmp_path: Path):
    rows = build_scorecard(register_fixture(), [progress("2.3", pct=80, evidence=EVIDENCE)])
    first = write_scorecard_csv(rows, tmp_path / "a.csv").read_bytes()
    again = build_scorecard(list(reversed(register_fixture())),
                            [progress("2.3", pct=80, evidence=EVIDENCE)])
    assert write_scorecard_csv(again, tmp_path / "b.csv").read_bytes() == first
    assert not first.startswith(b"\xef\xbb\xbf") and b"\r" not in first
    parsed = list(csv.DictReader(io.StringIO(first.decode("utf-8"))))
    assert tuple(parsed[0]) == SCORECARD_FIELDS
    row = next(r for r in parsed if r["kpi_id"] == "2.3")
    assert (row["weight"], row["level"], row["weighted_score"], row["plan_exists"]) == \
        ("10", "2", "4", "true")
    empty = next(r for r in parsed if r["kpi_id"] == "1.1")
    assert (empty["round_months"], empty["plan_exists"], empty["level"]) == ("", "", "0")


def test_scorecard_csv_text_formats_decimals_without_trailing_zeros():
    register = [{**register_fixture()[0], "weight": "12.5"}]
    text = scorecard_csv_text(build_scorecard(register, [progress("1.1", pct=82.5)]))
    assert ",12.5,2567,6,2024-04-30,true,82.5,0,2,5,kpi-progress,2,,,first,," in text


# --- the HTML page -------------------------------------------------------------------------

def _page(rows=None) -> str:
    rows = rows or build_scorecard(register_fixture(), [
        progress("2.3", pct=80, evidence=f"{EVIDENCE}|https://www.senate.go.th/b"),
        *[progress(k) for k in WEIGHTS if k != "2.3"]])
    return render_scorecard_html(rows, scorecard_total(rows))


def test_html_loads_nothing_from_anywhere():
    page = _page()
    links = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', page, flags=re.IGNORECASE)
    assert sorted(link for link in links if "http" in link) == sorted(
        [EVIDENCE, "https://www.senate.go.th/b"])          # only the evidence links
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "url(" not in page and "@import" not in page
    assert "default-src 'none'" in page


def test_html_is_thai_first_with_the_total_and_the_rule():
    page = _page()
    assert '<html lang="th">' in page
    assert "ผลการประเมินตัวชี้วัดแบบถ่วงน้ำหนัก" in page and "ตัวชี้วัดที่ 2.3" in page
    assert "องค์ประกอบที่ 1" in page
    assert "58 / 100" in page            # 7 KPIs at level 3 (15×4×3/5 + 10×3×3/5) + 2.3 at 2
    assert "น้ำหนัก × ระดับ ÷ 5" in page and "ร้อยละ 80" in page
    assert "ระดับของตัวชี้วัด 8 จาก 8 ตัวคิดจากค่าทดลองระบบ" in page   # the pilot banner


def test_html_has_no_pilot_banner_for_real_reports():
    rows = build_scorecard(register_fixture(), [{**progress("1.1"), "note_th": "รายงานจริง"}])
    total = scorecard_total(rows)
    assert total.pilot_kpis == 0
    assert "ค่าทดลองระบบ" not in render_scorecard_html(rows, total).split("<tbody>")[0]


def test_html_escapes_text_from_the_data():
    register = [{**register_fixture()[0], "name_th": "<script>alert(1)</script>"}]
    page = _page(build_scorecard(register, [progress("1.1")]))
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_html_is_the_same_bytes_for_the_same_rows(tmp_path: Path):
    rows = build_scorecard(register_fixture(), all_at(100))
    total = scorecard_total(rows)
    first = write_scorecard_html(rows, total, tmp_path / "a.html").read_bytes()
    assert write_scorecard_html(rows, total, tmp_path / "b.html").read_bytes() == first


# --- the real files ------------------------------------------------------------------------

def _real_register() -> list[dict[str, str]]:
    if not REGISTER_CSV.exists():
        pytest.skip(f"{REGISTER_CSV.relative_to(ROOT)} does not exist yet (the kpi-register "
                    "dataset is written by its own work item); the fixture tests cover the rest")
    return read_csv_rows(REGISTER_CSV)


def test_the_real_register_weights_make_a_100_point_scale():
    register = _real_register()
    assert {row["kpi_id"]: float(row["weight"]) for row in register} == WEIGHTS
    rows = build_scorecard(register, [progress(row["kpi_id"]) for row in register])
    assert scorecard_total(rows).weighted_total == 60.0


def test_the_real_progress_file_scores_every_kpi_of_the_real_register():
    rows = build_scorecard(_real_register(), read_csv_rows(PROGRESS_CSV))
    assert [row["kpi_id"] for row in rows] == list(WEIGHTS)
    assert all(row["round_months"] is not None for row in rows)  # every KPI has a report
    assert scorecard_total(rows).weight_sum == 100.0


def test_the_real_progress_rows_are_marked_as_pilot_values():
    rows = read_csv_rows(PROGRESS_CSV)
    assert {row["kpi_id"] for row in rows if row["round_months"] == "6"} == set(WEIGHTS)
    assert all(PILOT_NOTE in row["note_th"] for row in rows if row["kpi_id"] != "1.3")


def test_kpi_progress_validates_without_errors(tmp_path: Path):
    [report] = run_validation(ROOT, out_dir=tmp_path, today=TODAY, dataset_ids=["kpi-progress"])
    errors = [f for f in report.result.findings if f.severity is Severity.ERROR]
    assert errors == [], [(f.rule, f.row, f.field, f.value) for f in errors]
    assert report.result.rows == len(read_csv_rows(PROGRESS_CSV))


def test_the_generated_scorecard_validates_without_errors(tmp_path: Path):
    _real_register()
    root = _project_copy(tmp_path / "root", ["kpi-register", "kpi-progress", "kpi-scorecard",
                                             "senate-units"])
    rows = build_scorecard(read_csv_rows(REGISTER_CSV), read_csv_rows(PROGRESS_CSV))
    write_scorecard_csv(rows, root / "datasets" / "kpi-scorecard" / "kpi-scorecard.csv")
    [report] = run_validation(root, out_dir=tmp_path / "out", today=TODAY,
                              dataset_ids=["kpi-scorecard"])
    errors = [f for f in report.result.findings if f.severity is Severity.ERROR]
    assert errors == [], [(f.rule, f.row, f.field, f.value) for f in errors]
    assert report.result.rows == 8


def _project_copy(root: Path, dataset_ids: list[str]) -> Path:
    """The declarations and CSVs of ``dataset_ids`` (those that exist) under a new root."""
    for dataset_id in dataset_ids:
        for relative in (f"metadata/{dataset_id}.yaml", f"schemas/{dataset_id}.schema.json",
                         f"schemas/{dataset_id}.expectations.json",
                         f"datasets/{dataset_id}/{dataset_id}.csv"):
            if (ROOT / relative).exists():
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / relative, root / relative)
    return root


# --- the quality rules fire ----------------------------------------------------------------

def _validate(tmp_path: Path, dataset_id: str, text: str):
    path = tmp_path / f"{dataset_id}.csv"
    path.write_text(text, encoding="utf-8")
    result = validate_table(path, schema_path=ROOT / "schemas" / f"{dataset_id}.schema.json",
                            suite_path=ROOT / "schemas" / f"{dataset_id}.expectations.json",
                            dataset=dataset_id, today=TODAY)
    return {(f.rule, f.row) for f in result.findings if f.severity is Severity.ERROR}


def _scorecard_text(**changes: dict[str, str]) -> str:
    rows = build_scorecard(register_fixture(), all_at(100))
    parsed = list(csv.DictReader(io.StringIO(scorecard_csv_text(rows))))
    for kpi_id, values in changes.items():
        next(row for row in parsed if row["kpi_id"] == kpi_id.replace("_", ".")).update(values)
    return _csv_text(parsed)


def _csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def test_a_generated_scorecard_passes_its_rules(tmp_path: Path):
    rows = build_scorecard(register_fixture(), [progress("1.1", pct=85)])  # 7 KPIs unreported
    assert _validate(tmp_path, "kpi-scorecard", scorecard_csv_text(rows)) == set()


@pytest.mark.parametrize("changes, rule, row", [
    ({"1_2": {"weighted_score": "8"}}, "expectations/weighted-score-consistent", 3),
    ({"2_4": {"weight": "15", "weighted_score": "9"}}, "expectations/weights-sum-100", None),
    ({"1_1": {"level": "6", "weighted_score": "18"}}, "expectations/level-range", 2),
    ({"2_1": {"reported_on": "2027-01-01"}}, "expectations/no-future-dates", 6),
    ({"1_3": {"level": "0", "weighted_score": "0"}}, "expectations/level-zero-with-plan", 4),
])
def test_scorecard_rules_fire(tmp_path: Path, changes, rule, row):
    assert (rule, row) in _validate(tmp_path, "kpi-scorecard", _scorecard_text(**changes))


def test_the_committed_progress_file_passes_its_own_rules(tmp_path: Path):
    assert _validate(tmp_path, "kpi-progress", PROGRESS_CSV.read_text(encoding="utf-8")) == set()


@pytest.mark.parametrize("row, rule", [
    (progress("1.1", pct=120), "expectations/plan-done-pct-range"),
    (progress("1.1", round_months=7), "expectations/round-months-allowed"),
    (progress("1.1", reported_on="2027-01-01"), "expectations/no-future-dates"),
    (progress("1.1", reported_on="2567-04-30"), "thai/buddhist-era-year"),  # caught first
    (progress("1.1", evidence="www.senate.go.th"), "schema/constraint-error"),
])
def test_progress_rules_fire(tmp_path: Path, row, rule):
    found = _validate(tmp_path, "kpi-progress", _csv_text([progress("1.2"), row]))
    assert (rule, 3) in found


def test_progress_rule_one_row_per_kpi_and_round(tmp_path: Path):
    found = _validate(tmp_path, "kpi-progress",
                      _csv_text([progress("1.1"), progress("1.1", pct=50)]))
    assert ("expectations/one-row-per-kpi-round", 2) in found
    assert ("expectations/one-row-per-kpi-round", 3) in found
    assert ("schema/primary-key", 3) in found   # the Table Schema's key says so too


# --- values and claims checked against the framework document ------------------------------

DOCUMENT = ROOT / "datasets" / "kpi-register" / "raw" / "kpi-framework-fy2567.txt"
UNITS_CSV = ROOT / "datasets" / "senate-units" / "senate-units.csv"
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
#: Where each KPI's เจ้าภาพหลัก block names its reporting unit "(ผู้รายงาน)".
REPORTER_LINES = {"1.1": (86, 90), "1.2": (164, 168), "1.3": (219, 225), "1.4": (442, 446),
                  "2.1": (586, 588), "2.2": (639, 643), "2.3": (732, 734), "2.4": (791, 795)}
#: Each KPI's scoring table (ระดับคะแนน / เกณฑ์การให้คะแนน): header line, then levels.
SCORING_TABLES = {"1.1": 136, "1.2": 208, "1.3": 412, "1.4": 571, "2.1": 609, "2.2": 696,
                  "2.3": 775, "2.4": 928}


def _lines(first: int, last: int) -> str:
    """Lines first..last of the document (1-based), joined without breaks, Arabic digits."""
    lines = DOCUMENT.read_text(encoding="utf-8").split("\n")
    return "".join(lines[first - 1:last]).translate(THAI_DIGITS)


def test_each_reporting_unit_is_the_documents_reporter():
    units = {row["unit_code"]: [row["name_th"], *filter(None, row["aliases"].split("|"))]
             for row in read_csv_rows(UNITS_CSV)}
    for row in read_csv_rows(PROGRESS_CSV):
        text = _lines(*REPORTER_LINES[row["kpi_id"]])
        names = units[row["reported_by_unit_code"]]
        assert any(f"{name} (ผู้รายงาน)" in text for name in names), row["kpi_id"]


def test_the_reporting_rounds_are_the_documents():
    for line in (784, 935):
        assert "รอบ 6, 9, 12 เดือน" in _lines(line, line)


@pytest.mark.parametrize("kpi_id", sorted(SCORING_TABLES))
def test_the_scoring_tables_show_levels_1_3_5_with_80_and_100_under_3(kpi_id):
    first = SCORING_TABLES[kpi_id]
    assert _lines(first, first).startswith("ระดับคะแนน")
    rows = [_lines(n, n) for n in range(first + 1, first + 4)]
    assert [row.split("\t")[0] for row in rows] == ["1", "3", "5"]
    assert "ร้อยละ 80" in rows[1] and "ร้อยละ 100" in rows[1]
