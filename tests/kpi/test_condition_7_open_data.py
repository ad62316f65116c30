"""KPI 1.3 condition 7 from the open-data scores of the registered public datasets (issue 13).

"นำชุดข้อมูล ... ลงทะเบียน ... โดยคุณภาพของข้อมูลต้องเป็นไปตามมาตรฐานคุณลักษณะแบบเปิดที่ สพร. กำหนด":
the pipeline's part is done when at least two public datasets score the rule's threshold
(catalog_config/open_data_score.yaml, condition_7.min_score) or more; the run records carry
each dataset's score.
"""
from __future__ import annotations

import pytest

from flows.describe.open_data_rules import load_open_data_rules
from flows.kpi import conditions as kc
from tests.kpi.test_conditions_and_report import CATALOG, DOCUMENT_TEXT, TODAY, make_record


@pytest.fixture(scope="module")
def document():
    return kc.read_document_conditions(DOCUMENT_TEXT)


@pytest.fixture
def steward():
    done = kc.StewardStatus("done", "ลงทะเบียนแล้ว / registered", ("https://gdcatalog.go.th/x",))
    return {**{n: kc.StewardStatus("not-started", "ยัง / not yet") for n in (1, 2, 3, 4, 5)},
            7: done}


def _seven(document, steward, records, **options):
    rows = kc.build_conditions(document, records, catalog_url=CATALOG, today=TODAY,
                               steward_status=steward, **options)
    return next(row for row in rows if row["condition_no"] == 7)


def test_two_public_datasets_at_the_threshold_make_condition_7_done(document, steward):
    records = [make_record("alpha", open_data_score="8/10"),
               make_record("beta", open_data_score="9.5/10")]
    row = _seven(document, steward, records, open_data_min_score=8)
    assert row["status"] == "done" and row["filled_by"] == "pipeline"
    assert "2 จาก 2 ชุด" in row["evidence"] and "2 of 2 open dataset(s)" in row["evidence"]
    links = row["evidence_url"].split("|")
    assert f"{CATALOG}/dataset/alpha" in links and f"{CATALOG}/dataset/beta" in links


def test_a_dataset_below_the_threshold_or_unscored_does_not_count_and_is_named(document,
                                                                                 steward):
    records = [make_record("alpha", open_data_score="9/10"),
               make_record("beta", open_data_score="7.5/10"),
               make_record("gamma", open_data_score=None)]
    row = _seven(document, steward, records, open_data_min_score=8)
    assert row["status"] == "in-progress"
    assert "1 จาก 3 ชุด" in row["evidence"]
    assert "beta 7.5/10" in row["evidence"] and "gamma ไม่มีคะแนน" in row["evidence"]
    assert f"{CATALOG}/dataset/beta" not in row["evidence_url"].split("|")


def test_validation_alone_no_longer_counts(document, steward):
    """Condition 7 used "passed validation" as a stand-in; clean but unscored is not enough."""
    records = [make_record("alpha", open_data_score=None, verdict="pass"),
               make_record("beta", open_data_score=None, verdict="pass")]
    row = _seven(document, steward, records)
    assert row["status"] == "in-progress" and "0 จาก 2 ชุด" in row["evidence"]


def test_private_and_held_datasets_do_not_count(document, steward):
    records = [make_record("alpha", open_data_score="10/10", private=True),
               make_record("beta", open_data_score="10/10", status="held", verdict="fail"),
               make_record("gamma", open_data_score="10/10")]
    row = _seven(document, steward, records, open_data_min_score=8)
    assert row["status"] == "in-progress" and "1 จาก 1 ชุด" in row["evidence"]


def test_the_threshold_is_the_rule_files(document, steward):
    threshold = load_open_data_rules().min_score
    just = f"{threshold:g}/10"
    below = f"{threshold - 0.5:g}/10"
    records = [make_record("alpha", open_data_score=just), make_record("beta",
                                                                        open_data_score=just)]
    assert _seven(document, steward, records)["status"] == "done"
    records[1] = make_record("beta", open_data_score=below)
    assert _seven(document, steward, records)["status"] == "in-progress"
