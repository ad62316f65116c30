"""Every field is described for stewards: ASCII snake_case name, Thai title, English description."""

import re

import pytest
from frictionless import Schema

from tests.schemas.conftest import PILOTS, SCHEMAS

THAI = re.compile(r"[\u0E00-\u0E7F]")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "year"}


def _fields(schemas):
    return [(dataset_id, field) for dataset_id in PILOTS for field in schemas[dataset_id]["fields"]]


def test_schemas_are_valid_frictionless_table_schemas(dataset_id):
    report = Schema.validate_descriptor(str(SCHEMAS / f"{dataset_id}.schema.json"))
    assert report.flatten(["type", "note"]) == []


def test_schema_declares_a_version_and_empty_cells_as_missing(schemas, dataset_id):
    schema = schemas[dataset_id]
    assert re.fullmatch(r"\d+\.\d+\.\d+", schema["version"])
    assert schema["missingValues"] == [""]


def test_every_field_is_named_titled_described_and_typed(schemas):
    problems = []
    for dataset_id, field in _fields(schemas):
        name = field["name"]
        if not SNAKE_CASE.fullmatch(name):
            problems.append(f"{dataset_id}.{name}: name is not ASCII snake_case")
        if not THAI.search(field.get("title", "")):
            problems.append(f"{dataset_id}.{name}: title has no Thai text")
        if len(re.findall(r"\b[A-Za-z]{2,}\b", field.get("description", ""))) < 3:
            problems.append(f"{dataset_id}.{name}: description is not an English sentence")
        if field.get("type") not in TYPES or not field.get("format"):
            problems.append(f"{dataset_id}.{name}: type/format missing or unknown")
    assert problems == []


def test_only_birthdate_is_personal_data(schemas):
    personal = [(dataset_id, field["name"]) for dataset_id, field in _fields(schemas)
                if field.get("personalData")]
    assert personal == [("senators", "birthdate")]


def test_counts_cannot_be_negative(schemas):
    counts = [field for field in schemas["senate-votes"]["fields"]
              if field["name"] in {"approve", "disprove", "abstained", "absent", "total_voter",
                                   "total_member"}]
    assert len(counts) == 6
    assert all(f["type"] == "integer" and f["constraints"]["minimum"] == 0 for f in counts)


@pytest.mark.parametrize("dataset_id, field_name", [
    ("senator-votes", "vote_code"), ("senator-votes", "vote_label_th"),
    ("senator-votes", "vote_label_en"), ("senators", "gender"),
    ("senators", "selection_method"), ("senators", "education"),
    ("senators", "occupation_group"),
])
def test_closed_lists_are_enums(schemas, dataset_id, field_name):
    field = next(f for f in schemas[dataset_id]["fields"] if f["name"] == field_name)
    assert len(field["constraints"]["enum"]) >= 2


def test_sitting_code_pattern_is_the_buddhist_era_form(schemas):
    field = next(f for f in schemas["senate-votes"]["fields"] if f["name"] == "sitting_code")
    pattern = re.compile(field["constraints"]["pattern"])   # frictionless anchors it: fullmatch
    assert pattern.fullmatch("05/08/62-1") and pattern.fullmatch("24/09/63-146")
    assert not pattern.fullmatch("2019-08-05") and not pattern.fullmatch("5/8/62-1")
