import json

from flows.validation.findings import Finding, Severity
from flows.validation.reports import render_json
from flows.validation.reports.json_report import FORMAT_VERSION
from tests.validation.report_samples import result_with, steward_result, type_errors

TOP_LEVEL_KEYS = ["format_version", "dataset", "source", "source_sha256", "encoding",
                  "schema_version", "suite_version", "rows", "generated_at", "verdict", "blocking",
                  "counts", "findings_cap_per_rule", "rules", "findings"]
FINDING_KEYS = ["rule", "severity", "row", "key", "field", "value", "message_th", "message_en",
                "hint_th", "hint_en", "waived_by", "omitted"]


def test_same_result_gives_byte_identical_json() -> None:
    assert render_json(steward_result()).encode() == render_json(steward_result()).encode()


def test_document_has_a_fixed_key_order_and_keeps_thai_readable() -> None:
    text = render_json(steward_result())
    document = json.loads(text)
    assert list(document) == TOP_LEVEL_KEYS
    assert document["format_version"] == FORMAT_VERSION
    assert list(document["findings"][0]) == FINDING_KEYS
    assert "ไม่ใช่จำนวนเต็ม" in text and "\\u0e" not in text
    assert text.startswith('{\n  "format_version"') and text.endswith("}\n")


def test_identity_counts_and_verdict_come_from_the_result() -> None:
    document = json.loads(render_json(steward_result()))
    assert document["dataset"] == "senate-votes"
    assert document["rows"] == 6_000
    assert document["blocking"] is True and document["verdict"] == "fail"
    assert document["counts"] == {"errors": 5_124, "warnings": 3, "waived": 2}


def test_findings_are_capped_per_rule_with_exact_totals() -> None:
    document = json.loads(render_json(steward_result()))
    rules = {entry["rule"]: entry for entry in document["rules"]}
    type_error = rules["schema/type-error"]
    assert (type_error["total"], type_error["findings_listed"], type_error["findings_truncated"]) \
        == (5_123, 1_000, True)
    assert rules["expectations/no-future-dates"]["findings_truncated"] is False
    listed = [f for f in document["findings"] if f["rule"] == "schema/type-error"]
    assert len(listed) == 1_000
    assert [f["row"] for f in listed[:3]] == [2, 3, 4]  # the first rows, in row order
    assert len(document["findings"]) == 1_000 + 3 + 1 + 1 + 1


def test_rules_and_findings_follow_report_order_errors_first() -> None:
    document = json.loads(render_json(steward_result()))
    severities = [entry["severity"] for entry in document["rules"]]
    assert severities == sorted(severities, key=["error", "warning"].index)
    assert [entry["rule"] for entry in document["rules"]][:3] == [
        "expectations/title-not-empty", "personal-data/thai-national-id", "schema/type-error"]


def test_rule_entry_carries_messages_hints_and_waived_count() -> None:
    document = json.loads(render_json(steward_result()))
    waived = next(e for e in document["rules"] if e["rule"] == "schema/blank-header")
    assert waived == {"rule": "schema/blank-header", "check": "schema", "severity": "warning",
                      "total": 1, "waived": 1, "findings_listed": 1, "findings_truncated": False,
                      "message_th": "มีคอลัมน์ที่ไม่มีชื่อหัวตาราง",
                      "message_en": "A column has no header",
                      "hint_th": "ตั้งชื่อคอลัมน์ตาม Table Schema",
                      "hint_en": "Name the column as in the schema"}
    finding = next(f for f in document["findings"] if f["rule"] == "schema/blank-header")
    assert finding["row"] is None and finding["waived_by"].startswith("สมชาย")


def test_same_rule_at_two_severities_is_two_entries() -> None:
    findings = type_errors(2) + [Finding(rule="schema/type-error", severity=Severity.WARNING,
                                         message_th="ค่าน่าสงสัย", message_en="Suspicious", row=9)]
    document = json.loads(render_json(result_with(findings)))
    assert [(e["rule"], e["severity"], e["total"]) for e in document["rules"]] == [
        ("schema/type-error", "error", 2), ("schema/type-error", "warning", 1)]


def test_a_clean_result_passes_with_empty_lists() -> None:
    document = json.loads(render_json(result_with([])))
    assert (document["verdict"], document["blocking"]) == ("pass", False)
    assert document["rules"] == [] and document["findings"] == []
