"""The open-data score: every characteristic's cases on constructed facts, the total, the fields.

The facts are built here (``_facts``), never read from a dataset, so each branch is reached on
purpose; the marks and reasons come from the real rule file (catalog_config/open_data_score.yaml).
"""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from flows.describe.open_data import (BREAKDOWN_FIELD, SCORE_FIELD, OpenDataFacts,
                                      open_data_fields, score_open_data, score_points)
from flows.describe.open_data_rules import load_open_data_rules
from flows.validation.findings import Finding, Severity

RULES = load_open_data_rules()


def _facts(**changes) -> OpenDataFacts:
    """A public, clean, declared, openly licensed dataset: every characteristic passes."""
    facts = OpenDataFacts(
        dataset="zz-open", name="zz-open", public=True, scope="เปิดเผยต่อสาธารณะ",
        findings=(), formats=("CSV", "CSV", "HTML", "JSON", "HTML"), schema_fields=4,
        primary="originating", free_of_charge=True, source="สำนักงานเลขาธิการวุฒิสภา",
        update_status="ตรงตามรอบ", frequency="ปี", last_updated="2026-11-01",
        licence="Open Data Common", od_conformance="approved")
    return replace(facts, **changes)


def _finding(rule: str, *, severity: Severity = Severity.ERROR, message_en: str = "x",
             waived: bool = False) -> Finding:
    found = Finding(rule=rule, severity=severity, message_th="x", message_en=message_en, row=3)
    return found.waive("steward: known (until 2027-01-01)") if waived else found


def _mark(facts: OpenDataFacts, key: str) -> tuple[str, str]:
    mark = next(m for m in score_open_data(facts, RULES).marks if m.key == key)
    return mark.mark, mark.reason_th


def test_a_fully_open_dataset_scores_10_of_10_in_the_dgas_order():
    score = score_open_data(_facts(), RULES)
    assert [m.key for m in score.marks] == [
        "complete", "primary", "timely", "accessible", "machine_readable",
        "non_discriminatory", "non_proprietary", "licence_free", "permanent", "free_of_charge"]
    assert [m.th for m in score.marks][:3] == ["สมบูรณ์", "ปฐมภูมิ", "เป็นปัจจุบัน"]
    assert {m.mark for m in score.marks} == {"pass"} and score.text == "10/10"


REQUIRED_MISSING = 'Constraint Error (row 3, field "title"): constraint "required" is "True"'


@pytest.mark.parametrize("findings, expected", [
    ((), "pass"),
    ((_finding("structure/missing-cell"),), "fail"),
    ((_finding("structure/line-too-long"),), "fail"),
    ((_finding("schema/constraint-error", message_en=REQUIRED_MISSING),), "fail"),
    ((_finding("schema/constraint-error", message_en=REQUIRED_MISSING, waived=True),),
     "partial"),
    ((_finding("structure/cell-too-long", severity=Severity.WARNING),), "partial"),
    # other findings say nothing about completeness
    ((_finding("schema/constraint-error", message_en='constraint "enum" is "[a, b]"'),),
     "pass"),
    ((_finding("expectations/pilot-values", severity=Severity.WARNING),), "pass"),
])
def test_complete_from_the_findings_of_missing_or_truncated_data(findings, expected):
    mark, reason = _mark(_facts(findings=findings), "complete")
    assert mark == expected
    if findings and expected != "pass":
        assert "1 รายการ" in reason and findings[0].rule in reason


def test_a_dataset_that_is_not_public_is_not_complete_open_data():
    mark, reason = _mark(_facts(public=False, scope="ใช้ภายในหน่วยงาน"), "complete")
    assert mark == "fail" and "ใช้ภายในหน่วยงาน" in reason


@pytest.mark.parametrize("primary, expected, words", [
    ("originating", "pass", "ผู้จัดทำข้อมูลต้นทางเอง"),
    ("derived", "partial", "คำนวณหรือสรุป"),
    ("secondary", "fail", "สำนักงานเลขาธิการวุฒิสภา"),      # the source is named
    (None, "fail", "open_data.primary ใน metadata/zz-open.yaml"),
])
def test_primary_from_the_declared_origin(primary, expected, words):
    mark, reason = _mark(_facts(primary=primary), "primary")
    assert mark == expected and words in reason


@pytest.mark.parametrize("status, expected", [
    ("ตรงตามรอบ", "pass"), ("ใกล้ครบกำหนด", "pass"), ("ไม่กำหนดรอบ", "partial"),
    ("เกินกำหนด", "fail"),
    (None, "partial"),            # not computed (yet): no schedule
    ("สถานะใหม่", "partial"),      # a status the rule does not know yet: no schedule
])
def test_timely_from_the_update_status(status, expected):
    mark, reason = _mark(_facts(update_status=status, frequency="เดือน"), "timely")
    assert mark == expected and "เดือน" in reason and "2026-11-01" in reason


@pytest.mark.parametrize("changes, expected", [
    ({}, "pass"),
    ({"formats": ("JSON", "HTML")}, "partial"),          # no CSV: nothing in the Data API
    ({"formats": ()}, "partial"),                         # metadata only, yet public
    ({"public": False}, "fail"),
])
def test_accessible_needs_a_public_page_and_the_data_api(changes, expected):
    mark, reason = _mark(_facts(**changes), "accessible")
    assert mark == expected
    assert ("/dataset/zz-open" in reason) == changes.get("public", True)


@pytest.mark.parametrize("changes, expected", [
    ({}, "pass"),
    ({"schema_fields": 0}, "partial"),
    ({"formats": ("JSON",)}, "pass"),
    ({"formats": ("PDF", "XLSX")}, "fail"),
    ({"formats": ()}, "fail"),
])
def test_machine_readable_needs_csv_or_json_and_a_table_schema(changes, expected):
    mark, reason = _mark(_facts(**changes), "machine_readable")
    assert mark == expected
    if expected == "pass":
        assert "Table Schema" in reason


@pytest.mark.parametrize("public, expected", [(True, "pass"), (False, "fail")])
def test_non_discriminatory_only_when_anyone_may_read_it(public, expected):
    assert _mark(_facts(public=public), "non_discriminatory")[0] == expected


@pytest.mark.parametrize("formats, expected, closed", [
    (("CSV", "JSON", "HTML"), "pass", ""),
    (("CSV", "XLSX"), "partial", "XLSX"),
    (("XLSX", "DOCX"), "fail", "DOCX, XLSX"),
    ((), "fail", "ไม่มีไฟล์"),
])
def test_non_proprietary_from_every_file_format(formats, expected, closed):
    mark, reason = _mark(_facts(formats=formats), "non_proprietary")
    assert mark == expected and closed in reason


@pytest.mark.parametrize("conformance, licence, expected", [
    ("approved", "MIT License", "pass"),
    ("rejected", "CC BY-NC 4.0", "fail"),
    ("not reviewed", "อื่นๆ", "fail"),
    (None, "", "fail"),
])
def test_licence_free_from_the_registers_open_definition_conformance(conformance, licence,
                                                                     expected):
    mark, reason = _mark(_facts(od_conformance=conformance, licence=licence), "licence_free")
    assert mark == expected and licence in reason


@pytest.mark.parametrize("changes, expected", [
    ({}, "pass"), ({"public": False}, "partial"), ({"name": "zz-open-2026"}, "fail"),
])
def test_permanent_needs_the_id_as_name_and_a_public_history(changes, expected):
    assert _mark(_facts(**changes), "permanent")[0] == expected


@pytest.mark.parametrize("free, expected", [(True, "pass"), (False, "fail"), (None, "fail")])
def test_free_of_charge_as_declared(free, expected):
    mark, reason = _mark(_facts(free_of_charge=free), "free_of_charge")
    assert mark == expected
    assert ("open_data.free_of_charge" in reason) == (free is None)


def test_the_total_counts_a_partial_as_half():
    score = score_open_data(_facts(primary="derived", update_status=None), RULES)
    assert (score.points, score.text) == (9.0, "9/10")
    score = score_open_data(_facts(primary="derived"), RULES)
    assert score.text == "9.5/10"


def test_a_dataset_that_is_not_public_says_so_in_its_score():
    score = score_open_data(_facts(public=False, scope="ใช้ภายในหน่วยงาน"), RULES)
    marks = {m.key: m.mark for m in score.marks}
    assert marks["complete"] == marks["accessible"] == marks["non_discriminatory"] == "fail"
    assert marks["permanent"] == "partial"
    assert score.text == "6.5/10"
    assert score_points(score.text) == 6.5


def test_the_fields_are_the_total_and_a_stable_json_breakdown():
    facts = _facts(primary="secondary")
    fields = open_data_fields(score_open_data(facts, RULES))
    assert fields[SCORE_FIELD] == "9/10"
    rows = json.loads(fields[BREAKDOWN_FIELD])
    assert len(rows) == 10 and rows[1] == {
        "key": "primary", "th": "ปฐมภูมิ", "en": "Primary", "mark": "fail", "mark_th": "ไม่ผ่าน",
        "points": "0", "reason": rows[1]["reason"]}
    assert rows[0]["points"] == "1" and "ไม่ใช่ข้อมูลจากแหล่งต้นทางโดยตรง" in rows[1]["reason"]
    assert open_data_fields(score_open_data(facts, RULES)) == fields   # same facts, same text


@pytest.mark.parametrize("text, points", [("9/10", 9.0), ("8.5/10", 8.5), ("", None),
                                          (None, None), ("nine/10", None), ("9", None)])
def test_score_points_reads_the_field_back(text, points):
    assert score_points(text) == points
