"""Dataset ids: the checker, and the places ids enter (metadata/ file names and ``id:`` keys,
schema references, DatasetSpec itself)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.dataset_ids import (RULE, check_dataset_id, check_schema_references,
                               suggest_dataset_id)
from flows.datasets import DatasetSpec, discover_datasets, load_dataset
from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT

SOURCE = "command-line argument"


@pytest.mark.parametrize("good", ["senators", "kpi-1-4-green-office-levels", "a1", "0x",
                                  "snake_case", "x" * 70, "internal", "x-internal2"])
def test_valid_ids_come_back_unchanged(good: str) -> None:
    assert check_dataset_id(good, source=SOURCE) == good


def test_every_dataset_of_the_project_has_a_valid_id() -> None:
    assert [spec.id for spec in discover_datasets(PROJECT_ROOT)]


@pytest.mark.parametrize(("bad", "problem", "suggestion"), [
    ("../x", "it has the character(s) '.' '/'", None),
    ("../evil", "it has the character(s) '.' '/'", None),
    ("a\\b", "it has the character(s) '\\\\'", None),
    ("senate.votes", "it has the character(s) '.'", "senate-votes"),
    ("a/b", "it has the character(s) '/'", None),
    ("..", "it has the character(s) '.'", None),
    ("T-UPPER", "it has upper-case letters", "t-upper"),
    ("Senate Votes", "it has upper-case letters; it has the character(s) ' '", "senate-votes"),
    ("ข้อมูล", "it has Thai characters", None),
    ("a", "it is shorter than 2 characters", None),
    ("", "it is shorter than 2 characters", None),
    ("-ab", "it starts with '-'", "ab"),
    ("_ab", "it starts with '_'", "ab"),
    ("x" * 71, "it is 71 characters long, over 70", None),
    ("senators-internal", "it ends in the reserved suffix '-internal'", None),
    ("x-internal", "it ends in the reserved suffix '-internal'", None),
])
def test_invalid_ids_are_config_errors_naming_id_source_rule_and_fix(
        bad: str, problem: str, suggestion: str | None) -> None:
    with pytest.raises(ConfigError) as caught:
        check_dataset_id(bad, source=SOURCE)
    message = str(caught.value)
    assert message.startswith(f"invalid dataset id {bad!r} ({SOURCE}): {problem}. Rule: {RULE}.")
    assert suggest_dataset_id(bad) == suggestion
    if suggestion:
        assert message.endswith(f" Use {suggestion!r} instead.")


def test_a_thai_id_is_told_to_use_latin_letters() -> None:
    with pytest.raises(ConfigError, match=r"Write it in Latin letters"):
        check_dataset_id("ข้อมูล", source=SOURCE)


def test_an_id_that_is_not_text_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"invalid dataset id 12 \(x\): it is int, not text"):
        check_dataset_id(12, source="x")


def test_two_ids_differing_only_in_case_can_never_both_exist() -> None:
    assert check_dataset_id("t-upper", source=SOURCE) == "t-upper"
    with pytest.raises(ConfigError):
        check_dataset_id("T-UPPER", source=SOURCE)


def test_a_spec_cannot_be_built_with_an_unchecked_id(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"invalid dataset id '\.\./evil'"):
        DatasetSpec(id="../evil", root=tmp_path, metadata={})


# --- where ids enter: metadata/ --------------------------------------------------------------

def _project(root: Path, *names: str, schema: dict | None = None) -> Path:
    (root / "metadata").mkdir(parents=True, exist_ok=True)
    (root / "schemas").mkdir(exist_ok=True)
    for name in names:
        (root / "metadata" / f"{name}.yaml").write_text("source: {}\n", encoding="utf-8")
        if schema is not None:
            (root / "schemas" / f"{name}.schema.json").write_text(json.dumps(schema),
                                                                  encoding="utf-8")
    return root


@pytest.mark.parametrize("name", ["T-UPPER", "a", "x-internal", "ข้อมูล", "with space",
                                  "x" * 71])
def test_discovery_refuses_a_metadata_file_whose_name_is_no_id(tmp_path: Path, name: str) -> None:
    root = _project(tmp_path, "senators", name)
    path = root / "metadata" / f"{name}.yaml"
    with pytest.raises(ConfigError, match=r"invalid dataset id .*") as caught:
        discover_datasets(root)
    assert str(caught.value).startswith(f"invalid dataset id {name!r} (file {path}): ")


def test_the_id_key_of_a_metadata_file_must_be_its_file_name(tmp_path: Path) -> None:
    root = _project(tmp_path, "senators")
    (root / "metadata" / "senators.yaml").write_text("id: ../evil\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        discover_datasets(root)
    assert str(caught.value) == (
        f"{root / 'metadata' / 'senators.yaml'}: id: '../evil' differs from the file name; "
        "the id is the file name without .yaml: write id: senators or rename the file")


def test_load_dataset_checks_the_id_before_building_any_path(tmp_path: Path) -> None:
    outside = tmp_path / "evil.yaml"
    outside.write_text("source: {}\n", encoding="utf-8")
    root = _project(tmp_path / "project", "senators")
    with pytest.raises(ConfigError, match=r"invalid dataset id '\.\./\.\./evil' \(flow\)"):
        load_dataset(root, "../../evil", source="flow")


# --- where ids enter: schema references ------------------------------------------------------

def test_schema_references_are_checked_ids() -> None:
    schema = {"foreignKeys": [{"fields": "a", "reference": {"resource": "", "fields": "id"}},
                              {"fields": "b", "reference": {"resource": "units", "fields": "x"}}],
              "fields": [{"name": "u", "codeList": {"resource": "senate-units", "field": "x"}},
                         {"name": "v", "codeList": "malformed: left to validation"}]}
    assert check_schema_references(schema, source="s.json") == ["units", "senate-units"]


@pytest.mark.parametrize(("schema", "where", "bad"), [
    ({"foreignKeys": [{"fields": "a", "reference": {"resource": "units", "fields": "x"}},
                      {"fields": "b",
                       "reference": {"resource": "../../etc/passwd", "fields": "x"}}]},
     "foreignKeys[1].reference.resource", "../../etc/passwd"),
    ({"fields": [{"name": "unit", "codeList": {"resource": "../units", "field": "name"}}]},
     "field 'unit' codeList.resource", "../units"),
    ({"fields": [{"name": "unit", "codeList": {"resource": "Senate-Units", "field": "name"}}]},
     "field 'unit' codeList.resource", "Senate-Units"),
])
def test_a_bad_reference_stops_discovery_naming_schema_and_key(
        tmp_path: Path, schema: dict, where: str, bad: str) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd.csv").write_text("x\n1\n", encoding="utf-8")
    root = _project(tmp_path / "project", "evidence", schema=schema)
    schema_path = root / "schemas" / "evidence.schema.json"
    with pytest.raises(ConfigError) as caught:
        discover_datasets(root)
    assert str(caught.value).startswith(
        f"invalid dataset id {bad!r} ({schema_path}, {where}): ")


def test_a_schema_that_is_not_json_is_left_to_validation(tmp_path: Path) -> None:
    root = _project(tmp_path, "evidence")
    (root / "schemas" / "evidence.schema.json").write_text("{not json", encoding="utf-8")
    assert [spec.id for spec in discover_datasets(root)] == ["evidence"]
