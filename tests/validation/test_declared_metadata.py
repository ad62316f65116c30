"""validate reports plan's metadata check: one finding per problem of metadata/<id>.yaml."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import yaml

from flows.datasets import discover_datasets
from flows.describe.scheming import load_schema_rules
from flows.settings import PROJECT_ROOT
from flows.validation.declared_metadata import RULE, metadata_findings
from flows.validation.findings import Severity
from flows.validation.validate import validate_datasets

TODAY = date(2026, 1, 15)
GOOD = "senators"   # a pilot dataset whose metadata plan accepts


def _project(tmp_path: Path, *dataset_ids: str) -> Path:
    """A project with the real catalog_config and the given pilot datasets (CSV, schema,
    suite, metadata), so plan's rules apply as they do to the real project."""
    shutil.copytree(PROJECT_ROOT / "catalog_config", tmp_path / "catalog_config",
                    ignore=shutil.ignore_patterns("ckanext-*"))
    for folder in ("datasets", "schemas", "metadata"):
        (tmp_path / folder).mkdir(exist_ok=True)
    for dataset_id in dataset_ids:
        shutil.copytree(PROJECT_ROOT / "datasets" / dataset_id, tmp_path / "datasets" / dataset_id)
        shutil.copy(PROJECT_ROOT / "metadata" / f"{dataset_id}.yaml", tmp_path / "metadata")
        for schema in (PROJECT_ROOT / "schemas").glob(f"{dataset_id}.*"):
            shutil.copy(schema, tmp_path / "schemas")
    return tmp_path


def _id_only_copy(root: Path, source_id: str, dataset_id: str) -> None:
    """A dataset with the same data as ``source_id`` whose metadata file holds only ``id:``."""
    shutil.copytree(root / "datasets" / source_id, root / "datasets" / dataset_id)
    (root / "datasets" / dataset_id / f"{source_id}.csv").rename(
        root / "datasets" / dataset_id / f"{dataset_id}.csv")
    for schema in (root / "schemas").glob(f"{source_id}.*"):
        shutil.copy(schema, root / "schemas" / schema.name.replace(source_id, dataset_id, 1))
    (root / "metadata" / f"{dataset_id}.yaml").write_text(f"id: {dataset_id}\n",
                                                          encoding="utf-8")


def _required_dga_fields() -> set[str]:
    rules = load_schema_rules()
    derived = {"name", "owner_org", "maintainer", "maintainer_email", "last_updated_date",
               "data_format", "data_format_other", "first_year_of_data", "last_year_of_data"}
    return {name for name, rule in rules.fields.items() if rule.required} - derived


def test_id_only_metadata_names_each_missing_required_field(tmp_path):
    root = _project(tmp_path, GOOD)
    _id_only_copy(root, GOOD, "bare-metadata")
    results = validate_datasets(discover_datasets(root), today=TODAY)
    findings = [f for f in results["bare-metadata"].findings if f.rule == RULE]
    assert findings and all(f.severity is Severity.ERROR and f.blocking for f in findings)
    named = {f.message_en.split(": ")[1] for f in findings}
    missing = {name for name in _required_dga_fields() if f"dga.{name}" in named}
    assert missing == _required_dga_fields()
    for finding in findings:
        assert finding.message_en.startswith("metadata/bare-metadata.yaml: ")
        assert "metadata/bare-metadata.yaml" in finding.hint_en and finding.message_th
    assert any("groups" in f.message_en for f in findings)
    assert any("stakeholders.data_owner" in f.message_en for f in findings)
    # isolation: the dataset with complete metadata gets no metadata finding
    assert not [f for f in results[GOOD].findings if f.rule == RULE]


def _edited(tmp_path: Path, edit) -> list:
    root = _project(tmp_path, GOOD)
    path = root / "metadata" / f"{GOOD}.yaml"
    metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(metadata["dga"])
    path.write_text(yaml.safe_dump(metadata, allow_unicode=True), encoding="utf-8")
    return [f for f in validate_datasets(discover_datasets(root), today=TODAY)[GOOD].findings
            if f.rule == RULE]


def test_one_missing_field_gives_one_finding(tmp_path):
    findings = _edited(tmp_path, lambda dga: dga.pop("title"))
    assert [f.message_en for f in findings] == [
        f"metadata/{GOOD}.yaml: dga.title: required but missing"]
    assert "ยังไม่ได้กรอก dga.title" in findings[0].message_th


def test_a_wrong_choice_lists_the_allowed_values(tmp_path):
    findings = _edited(tmp_path, lambda dga: dga.update(license_id="made-up licence"))
    licence = [f for f in findings if "dga.license_id:" in f.message_en]
    assert len(licence) == 1
    assert "'made-up licence' is not an allowed value" in licence[0].message_en
    assert "Creative Commons Attributions" in licence[0].message_en


def test_a_project_without_catalog_config_is_not_checked(tmp_path):
    (tmp_path / "metadata").mkdir()
    (tmp_path / "schemas").mkdir()
    (tmp_path / "datasets" / "plain").mkdir(parents=True)
    (tmp_path / "datasets" / "plain" / "plain.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "schemas" / "plain.schema.json").write_text(
        json.dumps({"fields": [{"name": "a", "type": "integer"}]}), encoding="utf-8")
    (tmp_path / "metadata" / "plain.yaml").write_text("id: plain\n", encoding="utf-8")
    results = validate_datasets(discover_datasets(tmp_path), today=TODAY)
    assert not [f for f in results["plain"].findings if f.rule == RULE]


def test_a_message_without_a_list_is_one_finding():
    findings = metadata_findings("x", "catalog_config/organization.yaml: no stakeholders")
    assert [f.message_en for f in findings] == [
        "metadata/x.yaml: catalog_config/organization.yaml: no stakeholders"]
