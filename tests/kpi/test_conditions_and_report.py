"""KPI 1.3: the conditions checklist (kpi-1-3-conditions) and the outcome report.

The checklist's texts are checked against the framework document; its statuses are built from
synthetic run records (the documented record format, as tests/test_records.py makes them) and
a steward file; the report is written into a small project folder made per test.
"""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flows.datasets import load_dataset
from flows.describe.describe import describe_dataset
from flows.describe.scheming import load_schema_rules
from flows.describe.stakeholders import load_organization_profile
from flows.errors import ConfigError
from flows.kpi import conditions as kc
from flows.kpi import outcome_problems as opr
from flows.kpi import outcome_report as orp
from flows.records import last_runs
from flows.settings import PROJECT_ROOT
from flows.validation.findings import Severity
from flows.validation.validate_and_report import run_validation
from flows.validation.thai_forms import THAI_DIGITS, thai_digits_to_arabic
from flows.validation.waivers import Waiver
from tests.integration.publish_helpers import copy_project

TODAY = date(2026, 11, 28)
CATALOG = "https://catalog.example.go.th"
DOCUMENT_TEXT = (PROJECT_ROOT / kc.DOCUMENT).read_text(encoding="utf-8")
LINES = ["", *thai_digits_to_arabic(DOCUMENT_TEXT).split("\n")]   # 1-based


def make_record(dataset: str, *, finished: str = "2026-11-28T01:10:07+00:00",
                status: str = "published", private: bool = False, source: str = "s1",
                run_id: str = "run-1", verdict: str = "pass", errors: int = 0,
                reason: str | None = None, companion: bool = False,
                open_data_score: str | None = "9/10") -> dict[str, Any]:
    """A run record in the documented format (flows/records.py), like tests/test_records.py."""
    datasets = [{"name": dataset, "id": f"id-{dataset}", "private": private,
                 "metadata_modified": "2026-11-28T01:10:06.123456",
                 "resources": {"data": f"data-{dataset}", "dictionary": f"dict-{dataset}",
                               "report": f"report-{dataset}"}}]
    if companion:
        datasets.append({"name": f"{dataset}-internal", "id": "id-int", "private": True,
                         "resources": {"internal-data": "int-data"}})
    published = status in ("published", "unchanged")
    return {
        "record_version": 1, "run_id": run_id, "run_name": "blue-echidna", "dataset": dataset,
        "started_at": finished, "finished_at": finished, "today": finished[:10],
        "inputs": {"source_sha256": source, "schema_sha256": "sc", "suite_sha256": "su",
                   "metadata_sha256": "m", "waivers_sha256": None, "input_hash": "h" + source},
        "validation": {"cached": False, "rows": 10, "errors": errors, "warnings": 1,
                       "waived": 0, "verdict": verdict},
        "catalog": {"url": "http://127.0.0.1:20500", "write_calls": 6 if published else 0,
                    "decision": ("private" if private else "public") if published else "hold",
                    "datasets": datasets if published else []},
        "status": status, "reason": reason, "open_data_score": open_data_score,
        "reports": {"html": f"out/{dataset}/report.html"}, "duration_seconds": 6.9,
    }


def _at(day: date, hour: int = 3) -> str:
    """A UTC time on ``day`` (10:00 in Bangkok at hour 3)."""
    return f"{day.isoformat()}T{hour:02d}:00:00+00:00"


@pytest.fixture(scope="module")
def document() -> list[kc.DocumentCondition]:
    return kc.read_document_conditions(DOCUMENT_TEXT)


@pytest.fixture
def steward() -> dict[int, kc.StewardStatus]:
    return {n: kc.StewardStatus("not-started", f"หมายเหตุ {n} / note {n}")
            for n in (1, 2, 3, 4, 5)}


def _by_no(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {row["condition_no"]: row for row in rows}


# --- the document ------------------------------------------------------------------------


def test_seven_conditions_from_kpi_1_3_section_with_their_lines(document):
    assert [(c.number, c.line) for c in document] == [
        (1, 421), (2, 422), (3, 424), (4, 425), (5, 426), (6, 430), (7, 436)]
    assert all(c.level is None for c in document)   # the document ties no condition to a level


def test_every_condition_text_is_the_documents(document):
    for condition in document:
        assert not any(digit in condition.text_th for digit in THAI_DIGITS)
        # Split off the sub-items ("5.1 ..."); each part is on one line of the section.
        parts = re.split(rf" (?={condition.number}\.\d )", condition.text_th)
        section = LINES[condition.line:437]
        for part in parts:
            body = re.sub(rf"^{condition.number}\.\d ", "", part)
            assert any(body in " ".join(line.split()) for line in section), body
    assert _by_no_doc(document)[1].text_th == (
        "แต่งตั้งคณะกรรมการธรรมาภิบาลข้อมูลของส่วนราชการสังกัดรัฐสภา และคณะทำงานธรรมาภิบาลข้อมูลภาครัฐ")
    assert "5.1 จัดทำระบบบัญชีข้อมูล (Data Catalog)" in _by_no_doc(document)[5].text_th
    assert "6.5 มีระบบบัญชีข้อมูลของหน่วยงาน (Agency Data Catalog)" in _by_no_doc(document)[6].text_th
    assert _by_no_doc(document)[7].text_th.endswith("(สพร.) กำหนด")   # stray ” dropped


def _by_no_doc(document: list[kc.DocumentCondition]) -> dict[int, kc.DocumentCondition]:
    return {c.number: c for c in document}


def test_a_document_without_the_section_is_refused():
    with pytest.raises(ConfigError, match="KPI 1.3"):
        kc.read_document_conditions("ตัวชี้วัดที่ ๑.๓ อื่น\nไม่มีเงื่อนไข\n")


# --- building the checklist ---------------------------------------------------------------


def test_published_datasets_fill_the_pipeline_conditions_with_links(document, steward):
    records = [make_record("alpha"), make_record("beta", companion=True),
               make_record("gamma", status="held", verdict="fail", errors=2)]
    rows = _by_no(kc.build_conditions(document, records, catalog_url=CATALOG + "/",
                                      today=TODAY, steward_status=steward))
    six = rows[6]
    assert (six["status"], six["status_th"], six["filled_by"]) == ("done", "ดำเนินการแล้ว",
                                                                   "pipeline")
    links = six["evidence_url"].split("|")
    assert f"{CATALOG}/dataset/alpha" in links and f"{CATALOG}/dataset/beta" in links
    assert f"{CATALOG}/dataset" in links
    assert not any("gamma" in link or "internal" in link for link in links)
    assert "เปิดเผย 2 ชุด" in six["evidence"] and "2 public" in six["evidence"]
    # 5: the pilot part is done (dictionaries linked) but the steward's criteria are not.
    assert rows[5]["status"] == "in-progress"
    assert f"{CATALOG}/dataset/alpha/resource/dict-alpha" in rows[5]["evidence_url"]
    assert "หมายเหตุ 5" in rows[5]["evidence"]
    # 7: open datasets scoring enough, but no national catalog was asked: nothing counted.
    assert rows[7]["status"] == "not-started" and rows[7]["evidence_url"] == ""
    assert "not checked" in rows[7]["evidence"]
    assert {r["as_of"] for r in rows.values()} == {"2026-11-28"}


def test_the_checklist_is_dated_by_the_last_catalog_change_not_by_the_run(document, steward):
    """Derived datasets settle: a later run that changed nothing derives the same file."""
    def record(day: date, writes: int, dataset: str = "alpha") -> dict[str, Any]:
        made = make_record(dataset, finished=_at(day), run_id=day.isoformat())
        made["catalog"]["write_calls"] = writes
        return made
    published = [record(date(2026, 11, 20), 6), record(date(2026, 11, 20), 7, "beta")]
    later = [*published, record(date(2026, 11, 27), 0), record(date(2026, 11, 27), 0, "beta")]
    assert kc.evidence_day(later, today=TODAY) == date(2026, 11, 20)
    first = kc.build_conditions(document, published, catalog_url=CATALOG, today=date(2026, 11, 20),
                                steward_status=steward)
    again = kc.build_conditions(document, later, catalog_url=CATALOG, today=TODAY,
                                steward_status=steward)
    assert again == first and {row["as_of"] for row in again} == {"2026-11-20"}
    assert kc.evidence_day([], today=TODAY) == TODAY                    # nothing written yet
    assert kc.evidence_day([record(TODAY + timedelta(days=3), 1)], today=TODAY) == TODAY


def test_steward_conditions_come_from_the_steward_file(document, steward):
    steward[1] = kc.StewardStatus("done", "คำสั่งที่ 1/2567 / order 1/2567",
                                  ("https://senate.go.th/order-1.pdf",))
    steward[4] = kc.StewardStatus("in-progress", "ร่างแล้ว / drafted")
    rows = _by_no(kc.build_conditions(document, [], catalog_url=CATALOG, today=TODAY,
                                      steward_status=steward))
    assert (rows[1]["status"], rows[1]["evidence"], rows[1]["evidence_url"],
            rows[1]["filled_by"]) == ("done", "คำสั่งที่ 1/2567 / order 1/2567",
                                      "https://senate.go.th/order-1.pdf", "steward")
    assert (rows[4]["status"], rows[4]["status_th"]) == ("in-progress", "อยู่ระหว่างดำเนินการ")
    assert rows[2]["status"] == "not-started"


def test_both_parts_done_make_a_mixed_condition_done(document, steward):
    steward[5] = kc.StewardStatus("done", "หลักเกณฑ์ / criteria", ("https://x.go.th/c.pdf",))
    records = [make_record("alpha"), make_record("beta")]
    rows = _by_no(kc.build_conditions(document, records, catalog_url=CATALOG, today=TODAY,
                                      steward_status=steward))
    assert rows[5]["status"] == "done"
    assert rows[5]["evidence_url"].split("|")[-1] == "https://x.go.th/c.pdf"


def test_one_dataset_is_in_progress_and_no_history_is_not_started(document, steward):
    one = _by_no(kc.build_conditions(document, [make_record("alpha")], catalog_url=CATALOG,
                                     today=TODAY, steward_status=steward))
    assert one[6]["status"] == "in-progress"
    none = _by_no(kc.build_conditions(document, [], catalog_url=CATALOG, today=TODAY,
                                      steward_status=steward))
    assert none[6]["status"] == "not-started" and none[6]["evidence_url"] == ""
    assert "ยังไม่มีประวัติการทำงาน" in none[6]["evidence"]


def test_a_dataset_held_after_publishing_stays_registered(document, steward):
    records = [make_record("alpha", finished=_at(TODAY - timedelta(days=2))),
               make_record("alpha", finished=_at(TODAY), status="held", verdict="fail"),
               make_record("beta", private=True)]
    registered = kc.registered_datasets(records, catalog_url=CATALOG)
    assert [r.dataset for r in registered] == ["alpha", "beta"]
    assert registered[0].verdict == "pass" and registered[1].public_pages == ()
    rows = _by_no(kc.build_conditions(document, records, catalog_url=CATALOG, today=TODAY,
                                      steward_status=steward))
    assert rows[6]["status"] == "in-progress"   # one open dataset; beta is internal
    assert "ใช้ภายใน 1 ชุด" in rows[6]["evidence"]


@pytest.mark.parametrize("entry, message", [
    ({"status": "done", "evidence": "x"}, "needs evidence_url"),
    ({"status": "finished", "evidence": "x"}, "status"),
    ({"status": "done", "evidence": "x", "evidence_url": ["not a link"]}, "http"),
    ({"status": "in-progress", "evidence": ""}, "evidence is empty"),
    ({"status": "in-progress", "evidence": "x", "by": "me"}, "unknown key"),
])
def test_steward_file_problems_are_refused(tmp_path, entry, message):
    path = tmp_path / "conditions.yaml"
    import yaml
    path.write_text(yaml.safe_dump({"conditions": {1: entry}}, allow_unicode=True),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        kc.read_steward_status(path)


def test_steward_file_must_cover_exactly_the_steward_conditions(document, steward):
    missing = {n: s for n, s in steward.items() if n != 3}
    with pytest.raises(ConfigError, match=r"add condition\(s\) \[3\]"):
        kc.build_conditions(document, [], catalog_url=CATALOG, today=TODAY,
                            steward_status=missing)
    extra = {**steward, 6: kc.StewardStatus("done", "x", ("https://x.go.th",))}
    with pytest.raises(ConfigError, match=r"remove condition\(s\) \[6\]"):
        kc.build_conditions(document, [], catalog_url=CATALOG, today=TODAY, steward_status=extra)


def test_csv_is_deterministic_and_untouched_when_unchanged(tmp_path, document, steward):
    rows = kc.build_conditions(document, [make_record("alpha")], catalog_url=CATALOG,
                               today=TODAY, steward_status=steward)
    path = kc.write_conditions_csv(rows, tmp_path / "c.csv")
    first, mtime = path.read_bytes(), path.stat().st_mtime_ns
    kc.write_conditions_csv(list(rows), path)
    assert path.read_bytes() == first and path.stat().st_mtime_ns == mtime
    assert first.decode("utf-8").splitlines()[0] == ",".join(kc.COLUMNS)
    assert b"\r" not in first


@pytest.fixture
def project(tmp_path):
    """A copy of the project whose conditions CSV is built from an empty run history (the CSV is
    generated on every run, not committed)."""
    root = copy_project(tmp_path / "project")
    kc.write_conditions_dataset(root, [], catalog_url="http://127.0.0.1:20500", today=TODAY)
    return root


def test_an_empty_history_claims_nothing(document, project):
    csv_path = project / "datasets" / kc.DATASET_ID / f"{kc.DATASET_ID}.csv"
    steward = kc.read_steward_status(PROJECT_ROOT / kc.STEWARD_FILE)
    rows = kc.build_conditions(document, [], catalog_url="http://127.0.0.1:20500",
                               today=TODAY, steward_status=steward)
    assert csv_path.read_bytes() == kc.conditions_csv(rows)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [row["condition_th"] for row in written] == [c.text_th for c in document]
    assert all(row["status"] != "done" for row in written)   # nothing claimed without evidence


def test_dataset_validates_and_describes_without_problems(project, tmp_path):
    report, = run_validation(project, out_dir=tmp_path / "out", today=TODAY,
                             dataset_ids=[kc.DATASET_ID])
    assert report.result.findings == [], [f.message_en for f in report.result.findings]
    profile = load_organization_profile(PROJECT_ROOT / "catalog_config" / "organization.yaml")
    described = describe_dataset(load_dataset(project, kc.DATASET_ID),
                                 result=report.result, out_dir=tmp_path / "out",
                                 organization=profile)
    assert described.groups == ["performance"]
    assert described.fields["data_category"] == "ข้อมูลสาธารณะ"


def test_quality_rules_catch_a_done_without_evidence(project):
    root = project
    path = root / "datasets" / kc.DATASET_ID / f"{kc.DATASET_ID}.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace(",not-started,ยังไม่ได้ดำเนินการ,", ",done,ดำเนินการแล้ว,", 1)
    text = text.replace(",steward,2026-11-28", ",pipeline,2026-11-27", 1)
    path.write_text(text, encoding="utf-8")
    report, = run_validation(root, out_dir=root / "out", today=TODAY,
                             dataset_ids=[kc.DATASET_ID])
    rules = {f.rule for f in report.result.findings if f.severity is Severity.ERROR}
    assert {"expectations/done-needs-evidence-link", "expectations/filled-by-matches-mapping",
            "expectations/one-as-of-date"} <= rules


# --- problems ------------------------------------------------------------------------------


def _dated(record: dict[str, Any], last_updated: date | None) -> dict[str, Any]:
    """A run record that sent the data's own last update to the catalog (freshness)."""
    return {**record, "freshness": {"last_updated_date": last_updated and last_updated.isoformat()}}


def test_overdue_counts_from_the_data_s_own_date_not_the_publication() -> None:
    # All three were published today; only their data's own dates differ.
    records = [_dated(make_record("monthly", finished=_at(TODAY)), TODAY - timedelta(days=40)),
               _dated(make_record("daily", finished=_at(TODAY)), TODAY),
               _dated(make_record("weekly", finished=_at(TODAY)), TODAY - timedelta(days=5))]
    problems = opr.overdue_datasets(
        records, {"monthly": ("เดือน", 1), "daily": ("วัน", 1), "weekly": ("สัปดาห์", 1)},
        today=TODAY)
    assert [(p.kind, p.subject) for p in problems] == [("overdue", "monthly")]
    assert "2026-10-19" in problems[0].problem[0]
    assert "ครบกำหนด 2026-11-19" in problems[0].problem[0]
    # The due date, not a count of days late: the next day reads the same (the report settles).
    assert opr.overdue_datasets(records, {"monthly": ("เดือน", 1)},
                                today=TODAY + timedelta(days=1)) == problems
    # Data published 40 days ago whose own date is today are not overdue.
    fresh = [_dated(make_record("monthly", finished=_at(TODAY - timedelta(days=40))), TODAY)]
    assert opr.overdue_datasets(fresh, {"monthly": ("เดือน", 1)}, today=TODAY) == []


def test_a_scheduled_dataset_whose_last_update_is_unknown_is_overdue() -> None:
    records = [_dated(make_record("undated", finished=_at(TODAY)), None)]
    [problem] = opr.overdue_datasets(records, {"undated": ("ปี", 1)}, today=TODAY)
    assert "unknown" in problem.problem[1]


def test_the_report_lists_each_dataset_s_update_status() -> None:
    records = [_dated(make_record("monthly", finished=_at(TODAY)), TODAY - timedelta(days=40))]
    metadata = {"dga": {"update_frequency_unit": "เดือน", "update_frequency_interval": "1"}}
    assert opr.update_status_text(records, "monthly", metadata, today=TODAY) == (
        "เกินกำหนด / Overdue (ปรับปรุงล่าสุด/last updated 2026-10-19; ครบกำหนด/due 2026-11-19)")
    assert opr.update_status_text(records, "monthly", {"dga": {}}, today=TODAY) == (
        "ไม่กำหนดรอบ / No schedule (ปรับปรุงล่าสุด/last updated 2026-10-19)")


def test_republishing_the_same_data_is_not_an_update():
    old = _at(TODAY - timedelta(days=40))
    records = [make_record("monthly", finished=old, source="a"),
               make_record("monthly", finished=_at(TODAY - timedelta(days=3)),
                           status="unchanged", source="a"),
               make_record("monthly", finished=_at(TODAY), source="a")]
    assert opr.data_changed_on(records, "monthly") == TODAY - timedelta(days=40)
    records.append(make_record("monthly", finished=_at(TODAY, 4), source="b"))
    assert opr.data_changed_on(records, "monthly") == TODAY


@pytest.mark.parametrize("unit, interval, changed, due", [
    ("เดือน", 1, date(2026, 1, 31), date(2026, 2, 28)),
    ("ไตรมาส", 1, date(2026, 11, 30), date(2027, 2, 28)),
    ("ปี", 2, date(2024, 2, 29), date(2026, 2, 28)),
    ("วันทำการ", 1, date(2026, 11, 27), date(2026, 11, 30)),   # Friday → Monday
    ("สัปดาห์", 2, date(2026, 11, 1), date(2026, 11, 15)),
])
def test_next_due_follows_the_declared_frequency(unit, interval, changed, due):
    assert opr.next_due(changed, unit, interval) == due


def test_frequency_without_a_period_is_not_checked():
    assert opr.update_frequency({"dga": {"update_frequency_unit":
                                         "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"}}) is None
    assert opr.update_frequency({"dga": {"update_frequency_unit": "เดือน",
                                         "update_frequency_interval": "3"}}) == ("เดือน", 3)
    assert opr.update_frequency({"dga": {"update_frequency_unit": "วัน"}}) == ("วัน", 1)


def test_recurring_failures_in_the_last_runs():
    def runs(dataset: str, statuses: list[str]) -> list[dict[str, Any]]:
        return [make_record(dataset, status=status, run_id=f"r{i}", reason="error 1",
                            finished=_at(TODAY - timedelta(days=len(statuses) - i)))
                for i, status in enumerate(statuses)]
    records = (runs("twice", ["published", "held", "published", "held", "unchanged"])
               + runs("once", ["published", "held", "published", "published"])
               + runs("long-ago", ["held", "failed", "published", "published", "published",
                                   "published", "published"])
               + runs("crashing", ["failed", "planned", "failed"]))
    problems = opr.recurring_failures(records)
    assert [p.subject for p in problems] == ["crashing", "twice"]
    assert "2 of its last 5 run days" in problems[1].problem[1]
    assert "run log" in problems[0].suggestion[1]   # failed: the log, not the data


def test_a_failure_repeated_the_same_day_is_not_recurring_and_repeats_change_nothing():
    """Runs repeated with nothing changed must not change the problems (the report settles):
    a day counts once, by its last run."""
    def held(day: date, hour: int, run: str) -> dict[str, Any]:
        return make_record("daily", status="held", reason="error 1", run_id=run,
                           finished=_at(day, hour))
    one_day = [held(TODAY, 3, "a"), held(TODAY, 4, "b"), held(TODAY, 5, "c")]
    assert opr.recurring_failures(one_day) == []
    two_days = [held(TODAY - timedelta(days=1), 3, "y"), *one_day]
    listed = opr.recurring_failures(two_days)
    assert [p.subject for p in listed] == ["daily"]
    assert opr.recurring_failures([*two_days, held(TODAY, 6, "d")]) == listed
    fixed = [*two_days, make_record("daily", run_id="e", finished=_at(TODAY, 7))]
    assert opr.recurring_failures(fixed) == []   # today's last run published: one bad day


def test_waivers_expiring_within_60_days_and_expired():
    def waiver(days: int) -> Waiver:
        return Waiver(rule="expectations/x", reason="r", by="steward",
                      expires=TODAY + timedelta(days=days))
    problems = opr.expiring_waivers({"a": [waiver(30), waiver(90)], "b": [waiver(-1)],
                                     "c": [waiver(60)]}, today=TODAY)
    assert [(p.kind, p.subject) for p in problems] == [
        ("waiver-expiring", "a"), ("waiver-expired", "b"), ("waiver-expiring", "c")]


def test_metadata_completeness_counts_declared_and_derived_fields():
    dga = load_dataset(PROJECT_ROOT, "senate-votes").metadata["dga"]
    rules = load_schema_rules()
    full = orp.metadata_completeness(dga, rules=rules, has_dates=True)
    assert full.required_filled == full.required_total > 0
    assert 0 < full.optional_filled <= full.optional_total
    bare = orp.metadata_completeness({**dga, "url": None}, rules=rules, has_dates=True)
    assert bare.optional_filled == full.optional_filled - 1
    assert bare.optional_total == full.optional_total
    assert f"{full.percent}%" in full.text
    # First/last year of data apply to statistics only, and are derived from a date column.
    stats = {**dga, "data_type": "ข้อมูลสถิติ"}
    with_dates = orp.metadata_completeness(stats, rules=rules, has_dates=True)
    without = orp.metadata_completeness(stats, rules=rules, has_dates=False)
    assert with_dates.optional_total > full.optional_total
    assert without.optional_filled == with_dates.optional_filled - 2


# --- the report ----------------------------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    """A project folder: the document, the steward file, two datasets' metadata, a waiver."""
    root = tmp_path / "project"
    for relative in (kc.DOCUMENT, kc.STEWARD_FILE):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / relative, root / relative)
    base = load_dataset(PROJECT_ROOT, "senate-votes").metadata["dga"]
    import yaml
    for dataset, title, unit in (("monthly-data", "ข้อมูลรายเดือนทดสอบ", "เดือน"),
                                 ("daily-data", "ข้อมูลรายวันทดสอบ", "วัน")):
        dga = {**base, "title": title, "update_frequency_unit": unit,
               "update_frequency_interval": "1"}
        path = root / "metadata" / f"{dataset}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump({"id": dataset, "dga": dga}, allow_unicode=True),
                        encoding="utf-8")
    waivers = root / "metadata" / "waivers"
    waivers.mkdir()
    (waivers / "daily-data.yaml").write_text(
        "waivers:\n  - rule: expectations/x\n    reason: รอแก้ / pending\n"
        "    by: บริกรข้อมูล\n    expires: 2027-01-10\n", encoding="utf-8")
    (root / "metadata" / "not-yet.yaml").write_text("id: not-yet\n", encoding="utf-8")
    return root


def _history() -> list[dict[str, Any]]:
    # The data's own last updates (freshness): monthly 40 days ago (overdue), daily yesterday.
    return [_dated(make_record("monthly-data", finished=_at(TODAY - timedelta(days=40))),
                   TODAY - timedelta(days=40)),
            _dated(make_record("daily-data", finished=_at(TODAY - timedelta(days=1)), run_id="a"),
                   TODAY - timedelta(days=1)),
            make_record("daily-data", finished=_at(TODAY - timedelta(days=1), 4),
                        status="held", verdict="fail", errors=3, run_id="b",
                        reason="พบข้อผิดพลาด 3 รายการ / 3 errors"),
            make_record("daily-data", finished=_at(TODAY, 4), status="held", verdict="fail",
                        errors=3, run_id="c", reason="พบข้อผิดพลาด 3 รายการ / 3 errors")]


def test_report_has_thai_headings_datasets_catalog_conditions_and_problems(tmp_path):
    root = _project(tmp_path)
    paths = orp.write_outcome_report(root=root, records=_history(), catalog_url=CATALOG,
                                     today=TODAY, out_dir=tmp_path / "out",
                                     dictionary_path="out/catalog/dictionary.html")
    assert set(paths) == {"html", "md"}
    for kind, path in paths.items():
        text = path.read_text(encoding="utf-8")
        for heading in ("รายงานผลผลิตและผลลัพธ์", "ชุดข้อมูลที่ลงทะเบียน", "พจนานุกรมข้อมูล",
                        "ระบบบัญชีข้อมูลของหน่วยงาน", "เงื่อนไขของตัวชี้วัดที่ 1.3",
                        "ปัญหา อุปสรรค และข้อเสนอแนะ"):
            assert heading in text, (kind, heading)
        assert text.index("ปัญหา อุปสรรค") < text.index("Problems, obstacles")   # Thai first
        for expected in ("monthly-data", "ข้อมูลรายเดือนทดสอบ", "daily-data", "ข้อมูลรายวันทดสอบ",
                         f"{CATALOG}/dataset", f"{CATALOG}/dataset/monthly-data",
                         f"{CATALOG}/dataset/daily-data/resource/dict-daily-data",
                         "out/catalog/dictionary.html", "not-yet"):
            assert expected in text, (kind, expected)
        assert text.count("ข้อมูลไม่เป็นปัจจุบัน") == 1          # monthly overdue; daily not
        assert "ตรวจสอบไม่ผ่านซ้ำ" in text                      # daily held on two days
        assert "การยกเว้นใกล้หมดอายุ" in text                   # expires in 43 days
        for number in range(1, 8):
            assert f"เงื่อนไข {number}" in text or f"| {number} |" in text or \
                f">{number}</td>" in text


def test_report_html_loads_nothing_and_holds_no_token(tmp_path):
    root = _project(tmp_path)
    html = orp.write_outcome_report(root=root, records=_history(), catalog_url=CATALOG,
                                    today=TODAY, out_dir=tmp_path / "out")["html"]
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and '<html lang="th">' in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    for asset in ("<script", "<link", "<img", "<iframe", " src=", "@import", "url("):
        assert asset not in text.lower(), asset
    markdown = html.with_suffix(".md").read_text(encoding="utf-8")
    for page in (text, markdown):
        assert not re.search(r"eyJ[\w-]{10,}|[0-9a-f]{32,}|[A-Za-z0-9_\-]{40,}", page)
        assert not re.search(r"(?i)api[_-]?key|authorization|bearer|token=", page)


def test_report_is_deterministic(tmp_path):
    root = _project(tmp_path)
    kwargs = {"root": root, "records": _history(), "catalog_url": CATALOG, "today": TODAY}
    first = orp.write_outcome_report(**kwargs, out_dir=tmp_path / "one")
    second = orp.write_outcome_report(**kwargs, out_dir=tmp_path / "two")
    for kind in ("html", "md"):
        assert first[kind].read_bytes() == second[kind].read_bytes()
    assert first["html"].name == "kpi-1-3-outcome-report.html"


def _repeated(records: list[dict[str, Any]], run_id: str, hours: int) -> list[dict[str, Any]]:
    """The last record of each dataset again, as a later run with nothing changed records it:
    another run id and time, "unchanged" where it was published, the validation cached."""
    again = []
    for dataset, record in sorted(last_runs(records).items()):
        moment = (datetime.fromisoformat(record["finished_at"]) + timedelta(hours=hours))
        status = "unchanged" if record["status"] == "published" else record["status"]
        again.append({**record, "run_id": run_id, "status": status,
                      "started_at": moment.isoformat(), "finished_at": moment.isoformat(),
                      "validation": {**record["validation"], "cached": True},
                      "catalog": {**record["catalog"], "write_calls": 0}})
    return again


def test_runs_repeated_with_nothing_changed_leave_the_report_as_it_was(tmp_path):
    """The report settles: it is a function of what happened, not of how many runs said
    so, and not of its own dataset's publication (the flow derives it before publishing)."""
    root = _project(tmp_path)
    first = _history()
    own = make_record("kpi-1-3-conditions", finished=_at(TODAY, 5), run_id="c")
    runs = [first, [*first, own], [*first, own, *_repeated([*first, own], "d", 1)],
            [*first, own, *_repeated([*first, own], "d", 1),
             *_repeated([*first, own], "e", 2)]]
    pages = {orp.render_markdown(orp.build_outcome_report(
        root=root, records=records, catalog_url=CATALOG, today=TODAY,
        own_dataset="kpi-1-3-conditions")) for records in runs}
    assert len(pages) == 1
    [page] = pages
    assert "/dataset/kpi-1-3-conditions" not in page      # not among the registered ones
    assert "unchanged" not in page


def test_report_with_no_history_says_so(tmp_path):
    root = _project(tmp_path)
    report = orp.build_outcome_report(root=root, records=[], catalog_url=CATALOG, today=TODAY)
    markdown = orp.render_markdown(report)
    assert report.datasets == [] and "ยังไม่มีชุดข้อมูลที่ลงทะเบียน" in markdown
    assert [p.subject for p in report.problems if p.kind == "condition"] == [
        f"เงื่อนไข {n}" for n in range(1, 8)]
    assert {p.kind for p in report.problems} == {"condition", "waiver-expiring"}


def test_markdown_escapes_pipes_in_cells(tmp_path):
    root = _project(tmp_path)
    history = [make_record("monthly-data"),
               make_record("monthly-data", status="held", reason="a | b", run_id="x",
                           finished=_at(TODAY - timedelta(days=1), 5)),
               make_record("monthly-data", status="held", reason="a | b", run_id="y",
                           finished=_at(TODAY, 6))]
    markdown = orp.render_markdown(orp.build_outcome_report(
        root=root, records=history, catalog_url=CATALOG, today=TODAY))
    assert "a \\| b" in markdown


def test_report_lists_what_the_last_runs_withdrew(tmp_path):
    root = _project(tmp_path)
    gone = make_record("old-data", finished=_at(TODAY), status="withdrawn")
    gone["catalog"]["withdrawals"] = [
        {"name": "old-data", "action": "withdraw",
         "reason": "ไฟล์ของชุดข้อมูลถูกนำออก / its files were removed from the repository"},
        {"name": "old-data-internal", "action": "delete", "reason": "companion no longer needed"}]
    back = make_record("daily-data", finished=_at(TODAY, 5), run_id="d")   # published again
    paths = orp.write_outcome_report(root=root, records=[*_history(), gone, back],
                                     catalog_url=CATALOG, today=TODAY, out_dir=tmp_path / "out")
    for path in paths.values():
        text = path.read_text(encoding="utf-8")
        section = text[text.index("Withdrawn datasets"):text.index("Data dictionary")]
        assert "old-data: ถอนออกจากการเผยแพร่สาธารณะ / withdrawn from public view" in section
        assert "old-data-internal: ลบออกจากบัญชีข้อมูล / deleted from the catalog" in section
        assert "its files were removed from the repository" in section
        assert "daily-data" not in section
