"""The code-list rule: name columns hold canonical names of senate-units, and a misspelt name
gets a finding that says which canonical name was meant."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from flows.datasets import discover_datasets
from flows.settings import PROJECT_ROOT
from flows.validation.code_lists import (RULE, RULE_INVALID, RULE_UNCHECKED, check_code_lists,
                                         load_code_list, normalise_value, referenced_code_lists)
from flows.validation.findings import Severity
from flows.validation.validate_and_report import run_validation
from flows.validation.validate import validate_datasets

TODAY = date(2026, 11, 28)
UNITS = "senate-units"

EVIDENCE_SCHEMA = {
    "fields": [
        {"name": "item", "type": "integer", "title": "ลำดับ",
         "description_th": "ลำดับรายการ"},
        {"name": "owner_unit_th", "type": "string", "title": "หน่วยงานเจ้าของ",
         "description_th": "ชื่อหน่วยงานเจ้าของ", "codeList": {"resource": UNITS, "field": "name_th"}},
    ],
    "primaryKey": ["item"],
    "missingValues": [""],
}
EVIDENCE_CSV = ("item,owner_unit_th\n"
                "1,สำนักกรรมการ 1\n"                     # alias (document misspelling)
                "2,สำนักรายงานการประชุมและตัวเลข\n"        # alias
                "3,สำนักกรรมาธิการ 1\n"                   # canonical: no finding
                "4,\n"                                    # empty: not checked
                "5,สำนักการประชม\n"                       # typo, close to สำนักการประชุม
                "6,กระทรวงการคลัง\n"                       # nothing close
                "7,สำนักกรรมาธิการ ๑\n")                  # Thai digit


def _dataset(root: Path, dataset_id: str, csv: str, schema: dict) -> None:
    (root / "metadata").mkdir(parents=True, exist_ok=True)
    (root / "schemas").mkdir(exist_ok=True)
    (root / "datasets" / dataset_id).mkdir(parents=True, exist_ok=True)
    (root / "metadata" / f"{dataset_id}.yaml").write_text(
        f"id: {dataset_id}\nsource: {{encoding: utf-8}}\n", encoding="utf-8")
    (root / "datasets" / dataset_id / f"{dataset_id}.csv").write_text(csv, encoding="utf-8")
    (root / "schemas" / f"{dataset_id}.schema.json").write_text(
        json.dumps(schema, ensure_ascii=False), encoding="utf-8")


def _with_units(root: Path) -> None:
    """The real code list (CSV + Table Schema) in the synthetic project."""
    _dataset(root, UNITS, "", {})
    shutil.copy(PROJECT_ROOT / "datasets" / UNITS / f"{UNITS}.csv", root / "datasets" / UNITS)
    shutil.copy(PROJECT_ROOT / "schemas" / f"{UNITS}.schema.json", root / "schemas")


def _findings(root: Path, dataset_id: str = "evidence"):
    results = validate_datasets(discover_datasets(root), today=TODAY)
    return [f for f in results[dataset_id].findings if f.rule.startswith("code-list/")]


def test_misspelt_unit_names_get_the_canonical_name(tmp_path: Path) -> None:
    _with_units(tmp_path)
    _dataset(tmp_path, "evidence", EVIDENCE_CSV, EVIDENCE_SCHEMA)
    findings = _findings(tmp_path)
    assert {f.rule for f in findings} == {RULE}
    assert all(f.severity is Severity.ERROR and f.field == "owner_unit_th" for f in findings)
    by_row = {f.row: f for f in findings}
    assert sorted(by_row) == [2, 3, 6, 7, 8]   # rows 4 (canonical) and 5 (empty) pass
    expected = {2: "สำนักกรรมาธิการ 1", 3: "สำนักรายงานการประชุมและชวเลข",
                6: "สำนักการประชุม", 8: "สำนักกรรมาธิการ 1"}
    for row, canonical in expected.items():
        assert by_row[row].hint_th == f"ใช้ชื่อมาตรฐาน '{canonical}' ตามชุดข้อมูล {UNITS}"
        assert by_row[row].hint_en == f"Use the canonical name '{canonical}' of {UNITS}"
    assert by_row[2].value == "สำนักกรรมการ 1"
    assert "name_th" in by_row[2].message_th and UNITS in by_row[2].message_en
    assert "'" not in by_row[7].hint_en and f"{UNITS}.name_th" in by_row[7].hint_en


def test_unit_code_columns_get_the_code_of_an_alias(tmp_path: Path) -> None:
    _with_units(tmp_path)
    schema = {"fields": [{"name": "unit_code", "type": "string", "title": "รหัส",
                          "description_th": "รหัสหน่วยงาน", "codeList": {"resource": UNITS, "field": "unit_code"}}],
              "missingValues": [""]}
    _dataset(tmp_path, "evidence", "unit_code\nICT\nict\nCOM9\n", schema)
    findings = _findings(tmp_path)
    assert [(f.row, f.value) for f in findings] == [(3, "ict"), (4, "COM9")]
    assert findings[0].hint_en == f"Use the canonical code 'ICT' of {UNITS}"
    assert findings[0].hint_th == f"ใช้รหัสมาตรฐาน 'ICT' ตามชุดข้อมูล {UNITS}"


def test_a_code_list_that_did_not_load_is_one_warning(tmp_path: Path) -> None:
    _dataset(tmp_path, "evidence", EVIDENCE_CSV, EVIDENCE_SCHEMA)   # no senate-units at all
    [finding] = _findings(tmp_path)
    assert (finding.rule, finding.severity, finding.field) == (
        RULE_UNCHECKED, Severity.WARNING, "owner_unit_th")
    assert UNITS in finding.message_en and UNITS in finding.message_th


def test_a_broken_code_list_dataset_is_unchecked_too(tmp_path: Path) -> None:
    _dataset(tmp_path, UNITS, "unit_code\nICT\n", {"fields": "not a list"})
    _dataset(tmp_path, "evidence", EVIDENCE_CSV, EVIDENCE_SCHEMA)
    assert [f.rule for f in _findings(tmp_path)] == [RULE_UNCHECKED]


@pytest.mark.parametrize("declaration, problem", [
    ("senate-units", "must be an object"),
    ({"resource": UNITS}, "needs a 'resource'"),
    ({"resource": UNITS, "field": "name_xx"}, "has no column 'name_xx'"),
    ({"resource": UNITS, "field": "name_th", "aliases": "nope"}, "has no column 'nope'"),
])
def test_a_malformed_declaration_is_an_error(tmp_path: Path, declaration, problem) -> None:
    _with_units(tmp_path)
    schema = {"fields": [{"name": "owner_unit_th", "type": "string", "title": "หน่วยงาน",
                          "description_th": "ชื่อหน่วยงาน", "codeList": declaration}], "missingValues": [""]}
    _dataset(tmp_path, "evidence", "owner_unit_th\nสำนักการประชุม\n", schema)
    [finding] = _findings(tmp_path)
    assert (finding.rule, finding.severity) == (RULE_INVALID, Severity.ERROR)
    assert problem in finding.message_en


def test_a_foreign_key_to_the_code_list_loads_it_when_validated_alone(tmp_path: Path) -> None:
    # `validate evidence` loads the datasets its foreign keys reference; a codeList alone does
    # not (stage._with_references follows foreignKeys), so it would be unchecked.
    _with_units(tmp_path)
    schema = {**EVIDENCE_SCHEMA, "fields": [
        *EVIDENCE_SCHEMA["fields"], {"name": "owner_unit_code", "type": "string", "title": "รหัส",
                                   "description_th": "รหัสหน่วยงานเจ้าของ"}],
        "foreignKeys": [{"fields": ["owner_unit_code"],
                         "reference": {"resource": UNITS, "fields": ["unit_code"]}}]}
    _dataset(tmp_path, "evidence", "item,owner_unit_th,owner_unit_code\n1,สำนักกรรมการ 2,COM2\n",
             schema)
    [report] = run_validation(tmp_path, out_dir=tmp_path / "out", today=TODAY,
                              dataset_ids=["evidence"])
    # (this synthetic dataset has no GX suite, nor an update frequency: warnings besides)
    [finding] = [f for f in report.result.findings if f.check not in ("suite", "metadata")]
    assert (finding.rule, finding.row) == (RULE, 2) and "สำนักกรรมาธิการ 2" in finding.hint_th


def test_code_list_lookup_normalises_digits_spaces_and_case() -> None:
    frame = pd.DataFrame({"name_th": ["สำนักกรรมาธิการ 1", "สำนักการประชุม"],
                          "aliases": ["สำนักกรรมการ 1|สำนักการรวมาธิการ 1", None]})
    code_list = load_code_list(frame, target="name_th", aliases="aliases")
    assert code_list.suggest("สำนักกรรมการ ๑") == "สำนักกรรมาธิการ 1"           # alias, Thai digit
    assert code_list.suggest(" สำนักการประชุม ") == "สำนักการประชุม"             # spaces
    assert code_list.suggest("สำนักการรวมาธิการ  1") == "สำนักกรรมาธิการ 1"     # doubled space
    assert code_list.suggest("สำนักงบประมาณ") is None
    assert normalise_value("  COM1 ") == normalise_value("com1") == "com1"


def test_only_declared_columns_of_loaded_frames_are_checked() -> None:
    schema = {"fields": [{"name": "a", "codeList": {"resource": "units", "field": "code"}},
                         {"name": "b"}]}
    frames = {"data": pd.DataFrame({"a": ["X", None], "b": ["nope", "nope"]}, index=[2, 3]),
              "units": pd.DataFrame({"code": ["X"]})}
    assert check_code_lists("data", schema, frames) == []
    assert check_code_lists("missing", schema, frames) == []
    assert referenced_code_lists(schema) == ["units"]
    assert referenced_code_lists({"fields": [{"name": "a", "codeList": "bad"}]}) == []
