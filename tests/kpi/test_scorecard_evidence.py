"""KPI 1.3 scored from its own evidence: its completion is the share of its
checklist's conditions met with an evidence link, its level follows the criteria declared in
catalog_config/kpi_evidence_scoring.yaml; every reporting round is shown with its trend; the
scorecard is derived after the checklist, and a second derivation with nothing changed writes
the same bytes."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.datasets import load_dataset
from flows.errors import ConfigError
from flows.kpi.evidence_scoring import (RULE_FILE, EvidenceRule, evidence_level, evidence_score,
                                        load_evidence_rules)
from flows.kpi.scorecard import (ROUND_COLUMNS, TRENDS, build_scorecard, read_csv_rows,
                                 scorecard_total)
from flows.kpi.scorecard_html import render_scorecard_html
from flows.orchestrate import derive as derive_module
from flows.datasets import DeriveContext, derived_after, run_order
from flows.orchestrate.derive import derive
from flows.validation.thai_forms import thai_digits_to_arabic
from tests.integration.publish_helpers import copy_project
from tests.kpi.test_scorecard import progress, register_fixture

ROOT = Path(__file__).resolve().parents[2]
RULE = load_evidence_rules(ROOT)["1.3"]
LINK = "https://www.senate.go.th/evidence/kpi-1-3/condition.pdf"
PRESENTED_LINK = "https://www.senate.go.th/evidence/kpi-1-3/memo-to-the-head.pdf"
PAGE = "http://catalog.test/dataset/kpi-1-3-conditions"


def checklist(met: int, *, total: int | None = None, unlinked: int = 0) -> list[dict[str, str]]:
    """A checklist of ``total`` conditions: the first ``met`` done with a link, the next
    ``unlinked`` marked done without one, the rest in progress."""
    total = RULE.conditions_total if total is None else total
    rows = []
    for number in range(1, total + 1):
        done = number <= met + unlinked
        rows.append({"condition_no": str(number),
                     "status": RULE.met_status if done else "in-progress",
                     "evidence_url": LINK if number <= met else ""})
    return rows


def expected_level(rule: EvidenceRule, met: int, presented: bool) -> int:
    """The framework's table as the rule file declares it: 1 plan, 2 at level_2_pct, 3 at
    level_3_pct, 5 at level 3 when presented (4 unreachable: one level-5 condition)."""
    pct = met * 100 / rule.conditions_total
    if pct >= rule.level_3_pct:
        return 5 if presented else 3
    return 2 if pct >= rule.level_2_pct else 1


# --- the declared criteria -----------------------------------------------------------------

def test_the_rule_file_declares_the_frameworks_kpi_1_3_criteria():
    """80 % and 100 % as the framework's KPI 1.3 table writes them (Thai digits), 7 conditions
    as its เงื่อนไข list numbers them."""
    text = thai_digits_to_arabic(
        (ROOT / "datasets" / "kpi-register" / "raw" / "kpi-framework-fy2567.txt")
        .read_text(encoding="utf-8"))
    end = text.index("\nตัวชี้วัดที่ 1.4 ระดับความสำเร็จของการขับเคลื่อนสู่การเป็น Green "
                     "Parliament\n\nน้ำหนัก")
    section = text[text.rindex("เกณฑ์การให้คะแนน", 0, end):end]       # KPI 1.3's table on
    assert f"ได้ร้อยละ {RULE.level_2_pct:g}" in section
    assert f"ได้ร้อยละ {RULE.level_3_pct:g}" in section
    assert "เสนอต่อหัวหน้าส่วนราชการ" in section                 # what level 5 asks
    numbered = re.findall(r"^(\d)\. ", section.split("เงื่อนไข", 1)[1], flags=re.M)
    assert [int(n) for n in numbered] == list(range(1, RULE.conditions_total + 1))
    assert RULE.conditions_dataset == "kpi-1-3-conditions"


@pytest.mark.parametrize("presented", [False, True], ids=["not-presented", "presented"])
@pytest.mark.parametrize("met", range(0, 8))
def test_completion_and_level_at_every_boundary(met: int, presented: bool):
    score = evidence_score(RULE, checklist(met), page_url=PAGE)
    assert score.met == tuple(range(1, met + 1))
    assert score.done_pct == round(met * 100 / RULE.conditions_total, 2)
    level = evidence_level(RULE, plan_exists=True, done_pct=score.done_pct, presented=presented)
    assert level == expected_level(RULE, met, presented)
    assert level != 4                                           # one level-5 condition only
    assert evidence_level(RULE, plan_exists=False, done_pct=score.done_pct,
                          presented=presented) == 0


def test_the_boundaries_fall_where_the_framework_puts_them():
    """With 7 conditions: 5/7 = 71 % is below 80 % (level 1), 6/7 = 86 % is level 2, 7/7 is
    level 3, and 5 only once presented on top of 7/7."""
    levels = {(met, presented): evidence_level(
        RULE, plan_exists=True, done_pct=evidence_score(RULE, checklist(met)).done_pct,
        presented=presented) for met in (5, 6, 7) for presented in (False, True)}
    assert levels == {(5, False): 1, (5, True): 1, (6, False): 2, (6, True): 2,
                      (7, False): 3, (7, True): 5}


def test_a_condition_marked_done_without_a_link_does_not_count():
    score = evidence_score(RULE, checklist(2, unlinked=3))
    assert score.met == (1, 2)
    assert score.claimed_without_link == (3, 4, 5)
    assert score.done_pct == round(2 * 100 / RULE.conditions_total, 2)


def test_a_checklist_without_all_its_conditions_is_refused():
    with pytest.raises(ConfigError, match="regenerate"):
        evidence_score(RULE, checklist(1, total=RULE.conditions_total - 1))


def test_a_rule_file_with_an_unknown_key_is_refused(tmp_path: Path):
    (tmp_path / RULE_FILE).parent.mkdir(parents=True)
    document = yaml.safe_load((ROOT / RULE_FILE).read_text(encoding="utf-8"))
    document["kpis"]["1.3"]["level_4_pct"] = 90
    (tmp_path / RULE_FILE).write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(ConfigError, match="level_4_pct"):
        load_evidence_rules(tmp_path)


# --- the scorecard row ---------------------------------------------------------------------

def _kpi_1_3(rows: list[dict[str, Any]]) -> dict[str, Any]:
    [row] = [row for row in rows if row["kpi_id"] == "1.3"]
    return row


@pytest.mark.parametrize("met", [1, 6, 7])
def test_kpi_1_3_ignores_the_stewards_percentage(met: int):
    reported = 60
    rows = build_scorecard(register_fixture(), [progress("1.3", pct=reported)],
                           {"1.3": evidence_score(RULE, checklist(met), page_url=PAGE)})
    row = _kpi_1_3(rows)
    assert row["scored_from"] == RULE.conditions_dataset
    assert row["plan_done_pct"] == round(met * 100 / RULE.conditions_total, 2)
    assert row["level"] == expected_level(RULE, met, presented=False)
    assert row["weighted_score"] == row["weight"] * row["level"] / 5
    assert f"{met} จาก {RULE.conditions_total} เงื่อนไข" in row["note_th"]
    assert f"ร้อยละ {reported}" in row["note_th"]               # the disagreement stays visible
    assert row["evidence_url"] == PAGE
    others = [r for r in rows if r["kpi_id"] != "1.3" and r["round_months"] is not None]
    assert all(r["scored_from"] == "kpi-progress" for r in others)


def test_presentation_counts_only_with_its_link():
    full = {"1.3": evidence_score(RULE, checklist(RULE.conditions_total), page_url=PAGE)}
    linked = _kpi_1_3(build_scorecard(register_fixture(), [
        progress("1.3", higher=1, evidence=PRESENTED_LINK)], full))
    assert (linked["level"], linked["higher_conditions_met"]) == (5, 1)
    assert linked["evidence_url"].split("|") == [PAGE, PRESENTED_LINK]
    unlinked = _kpi_1_3(build_scorecard(register_fixture(), [progress("1.3", higher=1)], full))
    assert (unlinked["level"], unlinked["higher_conditions_met"]) == (3, 0)
    assert "ไม่มีลิงก์หลักฐาน" in unlinked["note_th"]


def test_without_a_progress_report_kpi_1_3_has_no_plan_and_scores_zero():
    rows = build_scorecard(register_fixture(), [],
                           {"1.3": evidence_score(RULE, checklist(7), page_url=PAGE)})
    assert _kpi_1_3(rows)["level"] == 0


# --- every reporting round, with its trend -------------------------------------------------

@pytest.mark.parametrize("pcts, trend", [
    ((50,), "first"), ((50, 85), "up"), ((85, 50), "down"), ((85, 90), "same"),
    ((50, 85, 100), "up"), ((100, 100, 85), "down")])
def test_every_round_has_its_level_and_the_trend(pcts: tuple[int, ...], trend: str):
    rounds = list(ROUND_COLUMNS)[:len(pcts)]
    rows = build_scorecard(register_fixture(), [
        progress("2.3", pct=pct, round_months=months) for pct, months in zip(pcts, rounds)])
    [row] = [row for row in rows if row["kpi_id"] == "2.3"]
    levels = [1 if pct < 80 else 2 if pct < 100 else 3 for pct in pcts]
    assert [row[ROUND_COLUMNS[m]] for m in rounds] == levels
    assert [row[ROUND_COLUMNS[m]] for m in list(ROUND_COLUMNS)[len(pcts):]] == \
        [None] * (len(ROUND_COLUMNS) - len(pcts))
    assert row["level"] == levels[-1] and row["round_months"] == rounds[-1]
    assert row["trend"] == trend


def test_rounds_of_an_earlier_fiscal_year_are_not_mixed_in():
    old = {**progress("2.3", pct=100, round_months=12), "fiscal_year_be": "2566"}
    rows = build_scorecard(register_fixture(), [old, progress("2.3", pct=50, round_months=6)])
    [row] = [row for row in rows if row["kpi_id"] == "2.3"]
    assert (row["level_6m"], row["level_12m"], row["trend"]) == (1, None, "first")


def test_the_evidence_scores_kpi_1_3s_latest_round_and_earlier_rounds_keep_theirs():
    rows = build_scorecard(register_fixture(), [
        progress("1.3", pct=85, round_months=6), progress("1.3", pct=60, round_months=9)],
        {"1.3": evidence_score(RULE, checklist(1), page_url=PAGE)})
    row = _kpi_1_3(rows)
    assert (row["level_6m"], row["level_9m"], row["level"]) == (2, 1, 1)
    assert row["trend"] == "down"


def test_the_page_shows_every_round_the_trend_arrow_and_how_kpi_1_3_was_counted():
    evidence = {"1.3": evidence_score(RULE, checklist(1), page_url=PAGE)}
    rows = build_scorecard(register_fixture(), [
        progress("2.3", pct=50, round_months=6), progress("2.3", pct=85, round_months=9),
        progress("1.3", pct=60)], evidence)
    page = render_scorecard_html(rows, scorecard_total(rows), evidence=evidence)
    for months in ROUND_COLUMNS:
        assert f"รอบ {months} เดือน" in page
    assert TRENDS["up"][0] in page and TRENDS["first"][0] in page
    assert "kpi-1-3-conditions" in page and f"1 / {RULE.conditions_total}" in page
    assert "<script" not in page and "http://cdn" not in page and "https://cdn" not in page


# --- derive order --------------------------------------------------------------------------

DATASETS = ["kpi-register", "kpi-progress", "kpi-scorecard", "kpi-1-3-conditions",
            "senate-units"]


def _record(dataset: str, run: str) -> dict[str, Any]:
    """A run record of a published dataset, as flows.records writes it (the parts read)."""
    return {"dataset": dataset, "status": "published", "run_id": run, "today": "2026-11-28",
            "finished_at": f"2026-11-28T0{run[-1]}:00:00+00:00",
            "inputs": {"metadata_sha256": "0" * 64, "source_sha256": "1" * 64},
            "validation": {"verdict": "pass"}, "open_data_score": "9/10",
            "catalog": {"write_calls": 1,
                        "datasets": [{"name": dataset, "private": False, "resources": {}}]}}


def test_the_scorecard_is_derived_after_the_conditions_it_reads():
    order = list(derive_module.DERIVERS)
    assert order.index("kpi/conditions") < order.index("kpi/scorecard")


def test_a_second_derivation_with_nothing_changed_gives_the_same_bytes(tmp_path: Path):
    """The conditions never see the scorecard's records (derived after them), so the
    scorecard's publication between two runs changes neither file."""
    root = copy_project(tmp_path / "root", DATASETS)
    sources = [_record(d, "r1") for d in ("kpi-register", "kpi-progress", "senate-units")]
    specs = [load_dataset(root, d) for d in ("kpi-1-3-conditions", "kpi-scorecard")]

    def run(history: list[dict[str, Any]]) -> dict[str, bytes]:
        context = DeriveContext(root=root, out_dir=root / "out", today=date(2026, 11, 28),
                                catalog_url="http://catalog.test", history=history)
        for spec in run_order(specs):
            derive(spec, context)
        return {p.relative_to(root).as_posix(): p.read_bytes()
                for p in [*(s.csv_path for s in specs), *(root / "out").rglob("*")]
                if p.is_file()}

    first = run(sources)
    second = run([*sources, _record("kpi-scorecard", "r2"), _record("kpi-1-3-conditions", "r2")])
    assert first == second
    conditions = list(csv.DictReader(io.StringIO(
        first["datasets/kpi-1-3-conditions/kpi-1-3-conditions.csv"].decode("utf-8"))))
    scorecard = list(csv.DictReader(io.StringIO(
        first["datasets/kpi-scorecard/kpi-scorecard.csv"].decode("utf-8"))))
    met = evidence_score(RULE, conditions).met
    [kpi_1_3] = [row for row in scorecard if row["kpi_id"] == "1.3"]
    assert float(kpi_1_3["plan_done_pct"]) == round(len(met) * 100 / RULE.conditions_total, 2)
    assert kpi_1_3["scored_from"] == RULE.conditions_dataset
    # the real progress file's steward percentage for KPI 1.3 is not what scores it
    [reported] = [r for r in read_csv_rows(root / "datasets" / "kpi-progress" /
                                            "kpi-progress.csv")
                  if r["kpi_id"] == "1.3" and r["round_months"] == kpi_1_3["round_months"]]
    assert f"ร้อยละ {reported['plan_done_pct']}" in kpi_1_3["note_th"]


def test_the_kpi_1_3_report_does_not_call_datasets_derived_after_it_unregistered():
    """The scorecard and the data dictionary are published after the report in the same run."""
    from flows.kpi.outcome_report import build_outcome_report

    later = derived_after("kpi-1-3-conditions", ROOT)
    assert {"kpi-scorecard", "data-dictionary"} <= later
    assert derived_after("kpi-register", ROOT) == set()
    report = build_outcome_report(root=ROOT, records=[], catalog_url="http://catalog.test",
                                  today=date(2026, 11, 28), own_dataset="kpi-1-3-conditions")
    assert "kpi-register" in report.not_registered
    assert not later & set(report.not_registered)
