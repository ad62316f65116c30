"""KPI 1.3 condition 7: registered in the national catalog AND scoring enough (open-data score).

"นำชุดข้อมูล (Metadata) จำนวน ๒ ชุด ลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ โดยคุณภาพของข้อมูลต้อง
เป็นไปตามมาตรฐานคุณลักษณะแบบเปิดที่ สพร. กำหนด": a public dataset counts when the national
catalog's answer (`senate-catalog national status`) has it registered and its open-data score
(in the run records) is at least the rule's threshold (catalog_config/open_data_score.yaml,
condition_7.min_score). Two such datasets make the condition done; without a usable answer
nothing counts and the evidence says why.
"""
from __future__ import annotations

import pytest

from flows.describe.open_data_rules import load_open_data_rules
from flows.kpi import conditions as kc
from flows.kpi import outcome_report as orp
from flows.national.status import DatasetStatus, NationalStatus
from tests.kpi.test_conditions_and_report import CATALOG, DOCUMENT_TEXT, TODAY, make_record

NATIONAL = "https://gdcatalog.example.go.th"


def answer(*registered: str, missing: tuple[str, ...] = (), error: str | None = None,
           agency_url: str = CATALOG) -> NationalStatus:
    """The national catalog's answer: ``registered`` there (as ``gd-<name>``), ``missing`` not."""
    def one(name: str, there: bool) -> DatasetStatus:
        return DatasetStatus(name=name, title=name, pipeline_id=name, required=True,
                             not_required_because=None, registered=there,
                             national_name=f"gd-{name}" if there else None,
                             national_url=f"{NATIONAL}/dataset/gd-{name}" if there else None)
    datasets = () if error else tuple([one(n, True) for n in registered]
                                      + [one(n, False) for n in missing])
    return NationalStatus(national_url=NATIONAL, agency_url=agency_url, checked_at="t",
                          datasets=datasets, error=error)


@pytest.fixture(scope="module")
def document():
    return kc.read_document_conditions(DOCUMENT_TEXT)


@pytest.fixture
def steward():
    return {n: kc.StewardStatus("not-started", "ยัง / not yet") for n in (1, 2, 3, 4, 5)}


def _seven(document, steward, records, **options):
    rows = kc.build_conditions(document, records, catalog_url=CATALOG, today=TODAY,
                               steward_status=steward, **options)
    return next(row for row in rows if row["condition_no"] == 7)


def test_two_registered_datasets_at_the_threshold_make_condition_7_done(document, steward):
    records = [make_record("alpha", open_data_score="8/10"),
               make_record("beta", open_data_score="9.5/10")]
    row = _seven(document, steward, records, open_data_min_score=8,
                 national=answer("alpha", "beta"))
    assert row["status"] == "done" and row["filled_by"] == "pipeline"
    assert "2 จาก 2 ชุด" in row["evidence"] and "2 of 2 open dataset(s)" in row["evidence"]
    assert row["evidence_url"].split("|") == [f"{NATIONAL}/dataset/gd-alpha",
                                              f"{NATIONAL}/dataset/gd-beta"]


def test_scoring_without_registration_does_not_count_and_is_named(document, steward):
    records = [make_record("alpha", open_data_score="9/10"),
               make_record("beta", open_data_score="9/10")]
    row = _seven(document, steward, records, open_data_min_score=8,
                 national=answer("alpha", missing=("beta",)))
    assert row["status"] == "in-progress" and "1 จาก 2 ชุด" in row["evidence"]
    assert "ยังไม่มี: beta" in row["evidence"] and "does not hold: beta" in row["evidence"]
    assert row["evidence_url"] == f"{NATIONAL}/dataset/gd-alpha"


def test_registration_without_the_score_does_not_count_and_is_named(document, steward):
    records = [make_record("alpha", open_data_score="9/10"),
               make_record("beta", open_data_score="7.5/10"),
               make_record("gamma", open_data_score=None)]
    row = _seven(document, steward, records, open_data_min_score=8,
                 national=answer("alpha", "beta", "gamma"))
    assert row["status"] == "in-progress"
    assert "1 จาก 3 ชุด" in row["evidence"]
    assert "beta 7.5/10" in row["evidence"] and "gamma ไม่มีคะแนน" in row["evidence"]
    assert f"{NATIONAL}/dataset/gd-beta" not in row["evidence_url"].split("|")


@pytest.mark.parametrize("national, why", [
    (None, "was not checked"),
    (answer(error="cannot reach CKAN at https://gdcatalog.example.go.th (ConnectionError)"),
     "could not be checked: cannot reach CKAN"),
    (answer("alpha", "beta", agency_url="http://127.0.0.1:20500"), "another agency catalog"),
])
def test_without_a_usable_national_answer_nothing_counts_and_the_evidence_says_why(
        document, steward, national, why):
    records = [make_record("alpha", open_data_score="10/10"),
               make_record("beta", open_data_score="10/10")]
    row = _seven(document, steward, records, open_data_min_score=8, national=national)
    assert row["status"] == "not-started" and row["evidence_url"] == ""
    assert why in row["evidence"]
    assert "2 reach the score, 0 are registered" in row["evidence"]


def test_private_and_held_datasets_do_not_count(document, steward):
    records = [make_record("alpha", open_data_score="10/10", private=True),
               make_record("beta", open_data_score="10/10", status="held", verdict="fail"),
               make_record("gamma", open_data_score="10/10")]
    row = _seven(document, steward, records, open_data_min_score=8,
                 national=answer("alpha", "beta", "gamma"))
    assert row["status"] == "in-progress" and "1 จาก 1 ชุด" in row["evidence"]


def test_the_threshold_is_the_rule_files(document, steward):
    threshold = load_open_data_rules().min_score
    just = f"{threshold:g}/10"
    below = f"{threshold - 0.5:g}/10"
    national = answer("alpha", "beta")
    records = [make_record("alpha", open_data_score=just), make_record("beta",
                                                                        open_data_score=just)]
    assert _seven(document, steward, records, national=national)["status"] == "done"
    records[1] = make_record("beta", open_data_score=below)
    assert _seven(document, steward, records, national=national)["status"] == "in-progress"


def test_the_steward_no_longer_fills_condition_7(document, steward):
    extra = {**steward, 7: kc.StewardStatus("done", "x", ("https://gdcatalog.go.th/x",))}
    with pytest.raises(Exception, match=r"remove condition\(s\) \[7\]"):
        kc.build_conditions(document, [], catalog_url=CATALOG, today=TODAY, steward_status=extra)


def test_the_outcome_report_shows_the_national_links(tmp_path):
    from tests.integration.publish_helpers import copy_project

    root = copy_project(tmp_path / "project")
    records = [make_record("senators"), make_record("senate-votes")]
    written = orp.write_outcome_report(root=root, records=records, catalog_url=CATALOG,
                                       today=TODAY, out_dir=tmp_path / "report",
                                       national=answer("senators", missing=("senate-votes",)))
    markdown = written["md"].read_text(encoding="utf-8")
    section = markdown.split("## การลงทะเบียนในระบบบัญชีข้อมูลภาครัฐ")[1].split("\n## ")[0]
    assert f"{NATIONAL}/dataset" in section
    assert f"| senators | <{NATIONAL}/dataset/gd-senators> |" in section
    assert "| senate-votes | ยังไม่ลงทะเบียน / not registered |" in section
    html = written["html"].read_text(encoding="utf-8")
    assert f'href="{NATIONAL}/dataset/gd-senators"' in html
    never = orp.build_outcome_report(root=root, records=records, catalog_url=CATALOG,
                                     today=TODAY)
    assert "not checked" in never.national_note[1]


def test_the_deriver_reads_the_answer_from_the_run_output_folder(tmp_path):
    """The pipeline passes the answer as data: the file `national status` keeps in <out>."""
    import csv

    from flows.datasets import load_dataset
    from flows.kpi.derived import derive_conditions
    from flows.national.answer import write_answer
    from flows.datasets import DeriveContext
    from tests.integration.publish_helpers import copy_project

    root, out = copy_project(tmp_path / "project"), tmp_path / "out"
    spec = load_dataset(root, kc.DATASET_ID)
    context = DeriveContext(root=root, out_dir=out, today=TODAY, catalog_url=CATALOG,
                            history=[make_record("senators", open_data_score="10/10"),
                                     make_record("senate-votes", open_data_score="10/10")])

    def seven() -> dict:
        derive_conditions(spec, context)
        with spec.csv_path.open(encoding="utf-8", newline="") as handle:
            return next(r for r in csv.DictReader(handle) if r["condition_no"] == "7")

    assert seven()["status"] == "not-started"          # never asked
    write_answer(out, answer("senators", "senate-votes"))
    row = seven()
    assert row["status"] == "done" and f"{NATIONAL}/dataset/gd-senators" in row["evidence_url"]
    report = (out / kc.DATASET_ID / f"{orp.REPORT_STEM}.md").read_text(encoding="utf-8")
    assert f"<{NATIONAL}/dataset/gd-senate-votes>" in report
