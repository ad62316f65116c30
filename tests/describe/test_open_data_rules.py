"""The open-data score rule file: the real one loads; every kind of mistake is refused with
what to write; the facts a person declares in metadata/<id>.yaml are checked."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from flows.describe.open_data_facts import declared_openness, open_data_facts
from flows.describe.open_data_rules import (CASES, OPEN_DATA_RULE_FILE, load_open_data_rules)
from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from flows.validation.findings import ValidationResult

REAL = yaml.safe_load(OPEN_DATA_RULE_FILE.read_text(encoding="utf-8"))


def _write(tmp_path: Path, document) -> Path:
    path = tmp_path / "open_data_score.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _changed(change) -> dict:
    document = yaml.safe_load(OPEN_DATA_RULE_FILE.read_text(encoding="utf-8"))
    change(document)
    return document


def _characteristic(document: dict, key: str) -> dict:
    return next(c for c in document["characteristics"] if c["key"] == key)


def test_the_real_rule_has_the_ten_characteristics_with_the_dgas_names():
    rules = load_open_data_rules()
    assert [c.key for c in rules.characteristics] == list(CASES)
    assert rules.max_score == 10 and rules.points["partial"] == 0.5
    assert 0 < rules.min_score <= 10
    # The DGA's own words, as in the KPI framework document (lines 253-263 of the copy).
    document = (PROJECT_ROOT / "datasets" / "kpi-register" / "raw"
                / "kpi-framework-fy2567.txt").read_text(encoding="utf-8")
    document = document.replace("ไม่ใช่อข้อมูล", "ไม่ใช่ข้อมูล")   # the copy's typo, fixed in the rule
    for characteristic in rules.characteristics:
        assert f"{characteristic.th} ({characteristic.en})" in document, characteristic.key
        assert characteristic.definition_th in document, characteristic.key


def test_the_version_plugin_is_one_the_catalog_runs():
    plugin = load_open_data_rules().characteristic("permanent").params["version_plugin"]
    template = (PROJECT_ROOT / "catalog_config" / "ckan.ini.template").read_text(encoding="utf-8")
    plugins = re.search(r"^ckan\.plugins\s*=\s*(.+)$", template, re.M)[1].split()
    assert plugin in plugins


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("points"), "points: give a number for each"),
    (lambda d: d.update(points={"pass": 1, "partial": 2, "fail": 0}), "pass > partial"),
    (lambda d: d["marks"].pop("fail"), "marks.fail"),
    (lambda d: d.update(condition_7={"min_score": 11}), "condition_7.min_score"),
    (lambda d: d.update(condition_7={"min_score": "8"}), "condition_7.min_score"),
    (lambda d: d["characteristics"].pop(), "the keys must be exactly"),
    (lambda d: d["characteristics"].reverse(), "in this order"),
    (lambda d: _characteristic(d, "timely")["cases"].pop("เกินกำหนด"), "missing เกินกำหนด"),
    (lambda d: _characteristic(d, "primary")["cases"].update(
        borrowed={"mark": "fail", "th": "x"}), "unknown borrowed"),
    (lambda d: _characteristic(d, "complete")["cases"]["complete"].update(mark="maybe"),
     "cases.complete: write {mark: pass|partial|fail"),
    (lambda d: _characteristic(d, "licence_free")["cases"]["open"].update(th="ใช้ {colour}"),
     "unknown placeholder(s) colour"),
    (lambda d: _characteristic(d, "accessible").update(data_api_formats="CSV"),
     "accessible.data_api_formats: list one or more texts"),
    (lambda d: _characteristic(d, "complete").update(incomplete_findings=[{"rul": "x"}]),
     "incomplete_findings: list finding matchers"),
    (lambda d: _characteristic(d, "permanent").pop("version_plugin"),
     "permanent.version_plugin: write a text"),
    (lambda d: _characteristic(d, "free_of_charge").update(fee=0), "unknown key(s) fee"),
    (lambda d: _characteristic(d, "primary").update(th=""), "characteristics.primary.th"),
])
def test_a_broken_rule_is_refused_naming_what_to_write(tmp_path, change, message):
    with pytest.raises(ConfigError) as raised:
        load_open_data_rules(_write(tmp_path, _changed(change)))
    assert message in str(raised.value) and "open_data_score.yaml" in str(raised.value)


def test_an_unreadable_rule_file_is_refused(tmp_path):
    path = tmp_path / "open_data_score.yaml"
    path.write_text("points: [1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the open-data score rule"):
        load_open_data_rules(path)
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="write a mapping"):
        load_open_data_rules(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_open_data_rules(tmp_path / "missing.yaml")


# --- what a person declares ---------------------------------------------------------------


@pytest.mark.parametrize("block, expected", [
    (None, (None, None)),
    ({"primary": "derived", "free_of_charge": False}, ("derived", False)),
    ({"primary": "secondary"}, ("secondary", None)),
])
def test_declared_openness(block, expected):
    metadata = {} if block is None else {"open_data": block}
    assert declared_openness(metadata, dataset="zz", rules=load_open_data_rules()) == expected


@pytest.mark.parametrize("block, message", [
    ("yes", "write a mapping"),
    ({"primary": "original"}, "primary: 'original'; write one of originating, derived, secondary"),
    ({"free_of_charge": "yes"}, "free_of_charge: 'yes'; write true or false"),
    ({"fee": 0}, "open_data.fee: unknown key"),
])
def test_a_wrong_declaration_is_the_datasets_metadata_error(block, message):
    with pytest.raises(ConfigError) as raised:
        declared_openness({"open_data": block}, dataset="zz", rules=load_open_data_rules())
    assert message in str(raised.value) and "metadata/zz.yaml" in str(raised.value)


def _result() -> ValidationResult:
    return ValidationResult(dataset="zz", source="zz.csv", source_sha256="0", encoding="utf-8",
                            schema_version="1", suite_version="1")


@pytest.mark.parametrize("licence, other, title, conformance", [
    ("Open Data Common", None, "Open Data Common", "approved"),
    ("อื่นๆ", "MIT License", "MIT License", "approved"),
    ("Creative Commons Attribution Non-Commercial", None, "CC BY-NC 4.0", "rejected"),
    ("อื่นๆ", "Some Licence", "", None),
])
def test_the_licence_facts_come_from_the_licence_register(licence, other, title, conformance):
    fields = {"license_id": licence, "license_id_other": other,
              "data_source": "หน่วยงาน ก / Agency A", "update_status": "เกินกำหนด"}
    facts = open_data_facts({}, dataset="zz", name="zz", public=True, scope="เปิดเผย",
                            result=_result(), formats=["CSV"],
                            table_schema={"fields": [{"name": "a"}]}, fields=fields)
    assert title in facts.licence and facts.od_conformance == conformance
    assert (facts.source, facts.update_status, facts.schema_fields) == ("หน่วยงาน ก",
                                                                       "เกินกำหนด", 1)


def test_every_dataset_of_the_project_declares_its_openness():
    rules = load_open_data_rules()
    for path in sorted((PROJECT_ROOT / "metadata").glob("*.yaml")):
        metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
        primary, free = declared_openness(metadata, dataset=path.stem, rules=rules)
        assert primary is not None and free is not None, path.name
        if "ELECT" in str(metadata["dga"].get("data_source")):
            assert primary == "secondary", path.name   # compiled by ELECT: not primary
