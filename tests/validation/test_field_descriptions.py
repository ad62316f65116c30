"""The schema check refuses a field without a Thai description."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from flows.datasets import discover_datasets
from flows.validation.field_descriptions import RULE, is_thai_text, thai_description_findings
from flows.validation.findings import Severity
from flows.validation.validate import validate_datasets

TODAY = date(2026, 11, 28)
NAME = "schemas/units.schema.json"


def _schema(*fields: dict) -> dict:
    return {"fields": list(fields), "primaryKey": [fields[0]["name"]], "missingValues": [""]}


def test_a_field_with_a_thai_description_passes() -> None:
    schema = _schema({"name": "unit_code", "type": "string", "title": "รหัสหน่วยงาน",
                      "description": "Code of the unit.",
                      "description_th": "รหัสหน่วยงานแบบตัวอักษร (เช่น ICT, COM1) ตามชุดข้อมูล "
                                        "senate-units"})
    assert thai_description_findings(schema, schema_name=NAME) == []


def test_a_missing_thai_description_names_the_field_and_what_to_add() -> None:
    schema = _schema({"name": "unit_code", "type": "string", "description": "Code."},
                     {"name": "name_th", "type": "string", "description_th": "ชื่อหน่วยงานภาษาไทย"})
    [finding] = thai_description_findings(schema, schema_name=NAME)
    assert finding.rule == RULE and finding.severity is Severity.ERROR and finding.blocking
    assert finding.field == "unit_code" and finding.row is None
    assert finding.message_en == ('Field "unit_code" of the Table Schema schemas/units.schema.json '
                                  'has no Thai description ("description_th")')
    assert finding.message_th == 'ฟิลด์ "unit_code" ใน Table Schema schemas/units.schema.json ไม่มีคำอธิบายภาษาไทย'
    assert finding.hint_en.startswith('Add "description_th": "<Thai description>" to the field '
                                      '"unit_code" in schemas/units.schema.json')
    assert 'เพิ่ม "description_th"' in finding.hint_th and "unit_code" in finding.hint_th


def test_empty_english_or_mostly_english_thai_descriptions_are_refused() -> None:
    english = "Code of the unit, e.g. ICT."
    schema = _schema({"name": "a", "description_th": "   "},
                     {"name": "b", "description_th": english},
                     {"name": "c", "description_th": "Code of the unit (รหัส) as the source writes it"},
                     {"name": "d", "description_th": 42})
    findings = thai_description_findings(schema, schema_name=NAME)
    assert [f.field for f in findings] == ["a", "b", "c", "d"]
    assert "has no Thai description" in findings[0].message_en
    assert all("not written in Thai" in f.message_en for f in findings[1:])
    assert findings[1].value == english   # what was written, so the steward finds it


def test_the_old_camel_case_property_is_asked_to_be_renamed() -> None:
    schema = _schema({"name": "a", "descriptionTh": "รหัสตัวชี้วัดตามกรอบตัวชี้วัด"})
    [finding] = thai_description_findings(schema, schema_name=NAME)
    assert 'old property name "descriptionTh"' in finding.message_en


def test_thai_text_is_told_from_english() -> None:
    assert is_thai_text("จำนวนเสียงเห็นด้วย (คน)")
    assert is_thai_text("รหัสหน่วยงาน SEC หรือ HOR ตามชุดข้อมูล senate-units")
    assert not is_thai_text("Number of votes in favour")
    assert not is_thai_text("ชื่อ")                       # too short to explain anything
    assert not is_thai_text("The number of votes in favour (เห็นด้วย)")


def test_a_malformed_field_list_is_left_to_frictionless() -> None:
    assert thai_description_findings({"fields": "nope"}, schema_name=NAME) == []
    assert thai_description_findings({}, schema_name=NAME) == []


def _dataset(root: Path, dataset_id: str, schema: dict) -> None:
    for folder in ("metadata", "schemas", f"datasets/{dataset_id}"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "metadata" / f"{dataset_id}.yaml").write_text(
        f"id: {dataset_id}\nsource: {{encoding: utf-8}}\n", encoding="utf-8")
    (root / "datasets" / dataset_id / f"{dataset_id}.csv").write_text(
        "code,name\nA,ก\nB,ข\n", encoding="utf-8")
    (root / "schemas" / f"{dataset_id}.schema.json").write_text(
        json.dumps(schema, ensure_ascii=False), encoding="utf-8")


def _fields(thai_for_name: str | None) -> dict:
    name = {"name": "name", "type": "string", "title": "ชื่อ"}
    if thai_for_name is not None:
        name["description_th"] = thai_for_name
    return _schema({"name": "code", "type": "string", "title": "รหัส",
                    "description_th": "รหัสของรายการ ไม่ซ้ำกัน"}, name)


def test_one_schema_without_thai_holds_that_dataset_only(tmp_path: Path) -> None:
    _dataset(tmp_path, "good", _fields("ชื่อของรายการเป็นภาษาไทย"))
    _dataset(tmp_path, "bad", _fields(None))
    results = validate_datasets(discover_datasets(tmp_path), today=TODAY)
    assert not results["good"].blocking
    assert [f for f in results["good"].findings if f.rule == RULE] == []
    [finding] = [f for f in results["bad"].findings if f.blocking]
    assert (finding.rule, finding.field) == (RULE, "name")
    assert "schemas/bad.schema.json" in finding.message_en
    assert results["bad"].rows == 2   # the data were still checked


def test_validate_and_report_show_the_steward_the_field_and_what_to_add(
        tmp_path: Path, monkeypatch) -> None:
    import flows.cli

    _dataset(tmp_path, "good", _fields("ชื่อของรายการเป็นภาษาไทย"))
    _dataset(tmp_path, "bad", _fields(None))
    out = str(tmp_path / "out")
    validated = CliRunner().invoke(flows.cli.cli, ["validate", "--project", str(tmp_path),
                                                   "--out", out,
                                                   "--today", TODAY.isoformat()])
    assert validated.exit_code == 1, validated.output
    verdicts = {line.split()[0]: line.split()[1:3] for line in validated.output.splitlines()[1:]}
    assert verdicts == {"bad": ["fail", "1"], "good": ["pass-with-notes", "0"]}
    shown = CliRunner().invoke(flows.cli.cli, ["report", "bad", "--out", out])
    assert shown.exit_code == 0, shown.output
    assert RULE in shown.output
    assert 'ฟิลด์ "name" ใน Table Schema schemas/bad.schema.json ไม่มีคำอธิบายภาษาไทย' in shown.output
    document = json.loads(CliRunner().invoke(flows.cli.cli, ["report", "bad", "--out", out,
                                                             "--format", "json"]).output)
    [finding] = [f for f in document["findings"] if f["rule"] == RULE]
    assert finding["hint_en"].startswith('Add "description_th": "<Thai description>" to the '
                                         'field "name"')
