"""The DataStore push: column types, strict casts, the digest, and the plan's steps."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from flows.catalog.datastore import (DatastoreStep, build_table, field_info, plan_datastore,
                                     public_tables)
from flows.catalog.datastore_types import CastError, cast_cell, pg_type
from flows.catalog.gate import decide
from flows.catalog.register import apply, plan_catalog
from flows.catalog.plan import Action
from flows.catalog.plan_text import plan_lines
from flows.errors import DataFileError
from tests.catalog import described_samples
from tests.catalog.fake_catalog import FakeCatalog

NONE = frozenset({""})


@pytest.mark.parametrize("kind, expected", [
    ("integer", "int8"), ("number", "numeric"), ("date", "date"), ("datetime", "timestamp"),
    ("boolean", "bool"), ("year", "int"), ("string", "text"), ("geopoint", "text"),
    (None, "text")])
def test_table_schema_types_map_to_datastore_columns(kind, expected) -> None:
    assert pg_type({"name": "f", "type": kind} if kind else {"name": "f"}) == expected


@pytest.mark.parametrize("field, cell, value", [
    ({"type": "integer"}, "42", 42),
    ({"type": "integer", "thaiDigits": True}, "๒๕", 25),
    ({"type": "number"}, "0.1000", "0.1000"),
    ({"type": "number", "decimalChar": ",", "groupChar": "."}, "1.234,5", "1234.5"),
    ({"type": "boolean"}, "TRUE", True),
    ({"type": "boolean", "trueValues": ["ใช่"], "falseValues": ["ไม่ใช่"]}, "ไม่ใช่", False),
    ({"type": "date"}, "2024-10-01", "2024-10-01"),
    ({"type": "date", "format": "%d/%m/%Y"}, "01/10/2024", "2024-10-01"),
    ({"type": "date", "calendar": "buddhist"}, "01/10/2567", "2024-10-01"),
    ({"type": "date", "calendar": "buddhist"}, "๒๕๖๗-๑๐-๐๑", "2024-10-01"),
    ({"type": "year", "calendar": "buddhist"}, "2567", 2024),
    ({"type": "datetime"}, "2024-10-01T08:30:00", "2024-10-01T08:30:00"),
    ({"type": "string"}, "๒๕๖๗", "๒๕๖๗"),   # text stays exactly as written
    ({"type": "integer"}, "", None),
])
def test_cells_cast_to_their_declared_type(field, cell, value) -> None:
    assert cast_cell(cell, field, NONE) == value


@pytest.mark.parametrize("field, cell", [
    ({"type": "integer"}, "๒๕๖๗"),                 # int() would read 2567 without a word
    ({"type": "integer"}, "12.5"),
    ({"type": "number"}, "๑.๕"),
    ({"type": "date"}, "2567-10-01"),              # a BE year in a CE field: 543 years off
    ({"type": "date"}, "๒๐๒๔-๑๐-๐๑"),
    ({"type": "date", "format": "%d/%m/%Y"}, "๐๑/๑๐/๒๐๒๔"),   # strptime reads Thai digits
    ({"type": "year"}, "2567"),
    ({"type": "year", "calendar": "buddhist"}, "2024"),   # CE written into a BE field
    ({"type": "date", "calendar": "buddhist"}, "30/02/2567"),
    ({"type": "boolean"}, "yes"),
    ({"type": "datetime"}, "01/10/2024 08:30"),
])
def test_a_cell_that_does_not_cast_is_an_error_never_another_value(field, cell) -> None:
    with pytest.raises(CastError):
        cast_cell(cell, field, NONE)


def test_field_info_is_the_title_and_thai_then_english_description() -> None:
    spec = {"name": "unit_code", "title": "รหัสหน่วยงาน", "description": "Stable code.",
            "description_th": "รหัสที่ไม่เปลี่ยนแปลง"}
    assert field_info(spec) == {"label": "รหัสหน่วยงาน",
                                "notes": "รหัสที่ไม่เปลี่ยนแปลง\n\nStable code."}
    assert field_info({"name": "x", "description": "Only English."}) == {
        "label": "x", "notes": "Only English."}


def _table(tmp_path: Path, csv: str, schema: dict, *, personal=(), sha="a" * 64):
    path = tmp_path / "data.csv"
    path.write_text(csv, encoding="utf-8")
    return build_table("data", path, sha, schema, personal=list(personal), internal=None,
                       dataset="d")


SCHEMA = {"fields": [{"name": "id", "type": "integer", "title": "รหัส"},
                     {"name": "when", "type": "date"}], "primaryKey": "id"}


def test_rows_are_read_and_cast_and_a_bad_cell_names_row_and_field(tmp_path: Path) -> None:
    table = _table(tmp_path, "id,when\n1,2024-01-02\n2,\n", SCHEMA)
    assert table.records() == [{"id": 1, "when": "2024-01-02"}, {"id": 2, "when": None}]
    assert table.primary_key == ("id",)
    assert [f["type"] for f in table.fields] == ["int8", "date"]
    bad = _table(tmp_path, "id,when\n1,2567-01-02\n", SCHEMA)
    with pytest.raises(DataFileError, match=r"row 2, field 'when'.*Buddhist-Era"):
        bad.records()


def test_the_digest_follows_rows_fields_info_and_key(tmp_path: Path) -> None:
    base = _table(tmp_path, "id,when\n1,2024-01-02\n", SCHEMA)
    assert _table(tmp_path, "id,when\n1,2024-01-02\n", SCHEMA).digest == base.digest
    assert _table(tmp_path, "id,when\n1,2024-01-02\n", SCHEMA, sha="b" * 64).digest != base.digest
    retitled = {**SCHEMA, "fields": [{**SCHEMA["fields"][0], "title": "อื่น"},
                                     SCHEMA["fields"][1]]}
    assert _table(tmp_path, "id,when\n1,2024-01-02\n", retitled).digest != base.digest
    keyless = {**SCHEMA, "primaryKey": []}
    assert _table(tmp_path, "id,when\n1,2024-01-02\n", keyless).digest != base.digest


def test_personal_fields_and_unknown_columns_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="personal-data"):
        _table(tmp_path, "id,when\n1,2024-01-02\n", SCHEMA, personal=["when"])
    marked = {"fields": [SCHEMA["fields"][0], {**SCHEMA["fields"][1], "personalData": True}]}
    with pytest.raises(DataFileError, match="personal-data"):
        _table(tmp_path, "id,when\n1,2024-01-02\n", marked)
    with pytest.raises(DataFileError, match="not in its Table Schema"):
        _table(tmp_path, "id,when,extra\n1,2024-01-02,x\n", SCHEMA)


def test_a_primary_key_on_a_column_not_published_is_left_out(tmp_path: Path) -> None:
    schema = {**SCHEMA, "primaryKey": ["id", "birthdate"]}
    assert _table(tmp_path, "id,when\n1,2024-01-02\n", schema).primary_key == ()


def test_only_public_datasets_have_tables_and_never_the_internal_file(tmp_path: Path) -> None:
    described = described_samples.described_dataset(tmp_path, "zz-ds", personal=True)
    assert public_tables(described, public=False) == []
    [table] = public_tables(described, public=True)
    assert {f["id"] for f in table.fields} == {"senator_id", "first_name"}
    companion = dataclasses.replace(described, fields={**described.fields,
                                                       "name": "zz-ds-internal"})
    with pytest.raises(DataFileError, match="-internal"):
        public_tables(companion, public=True)
    leaked = dataclasses.replace(described, resources=[
        dataclasses.replace(described.resources[0], path=described.internal_data.path),
        *described.resources[1:]])
    with pytest.raises(DataFileError):
        public_tables(leaked, public=True)


def test_plan_pushes_and_previews_a_new_file_and_nothing_when_in_place(tmp_path: Path) -> None:
    described = described_samples.described_dataset(tmp_path, "zz-ds")
    [table] = public_tables(described, public=True)
    catalog = FakeCatalog()
    steps = plan_datastore(catalog, [table], {"data": None}, keep_public=True)
    assert [(s.action, s.resource_id) for s in steps] == [("push", None), ("view", None)]
    assert catalog.calls == []   # a file uploaded in this run has nothing to read yet
    catalog.datastore["r1"] = table.digest
    catalog.views["r1"] = [{"view_type": "datatables_view"}]
    assert plan_datastore(catalog, [table], {"data": "r1"}, keep_public=True) == ()
    catalog.datastore["r1"] = "old"
    [push] = plan_datastore(catalog, [table], {"data": "r1"}, keep_public=True)
    assert push.action == "push" and push.catalog_digest == "old"
    assert "push 3 columns" in push.describe()


def test_a_record_that_is_not_public_has_its_tables_dropped(tmp_path: Path) -> None:
    catalog = FakeCatalog()
    catalog.datastore["r1"] = "pushed-when-public"
    steps = plan_datastore(catalog, [], {"data": "r1", "report": "r2"}, keep_public=False)
    assert steps == (DatastoreStep("drop", "data", "r1"),)
    assert plan_datastore(FakeCatalog(), [], {"data": "r1"}, keep_public=False) == ()


def test_the_catalog_plan_carries_the_steps_and_publish_sends_them(tmp_path: Path) -> None:
    described = described_samples.described_dataset(tmp_path, "zz-ds")
    decision = decide(described, described_samples.validation_result("zz-ds"))
    catalog = FakeCatalog()
    [(plan, files)] = plan_catalog(catalog, "zz-ds", decision, described=described,
                                   owner_org="senate-secretariat", today=None)
    assert plan.action is Action.CREATE
    assert [s.action for s in plan.datastore] == ["push", "view"]
    assert "    datastore data: push 3 columns (digest none -> " in "\n".join(plan_lines(plan))
    [outcome] = apply(catalog, [(plan, files)])
    actions = catalog.actions
    # pushed after the upload and before the last write makes the dataset public
    assert actions.index("senate_datastore_replace") > actions.index("package_revise")
    assert actions.index("resource_view_create") < len(actions) - 1
    assert catalog.calls[-1] == ("package_patch", {"id": "id-zz-ds", "private": False})
    assert {"senate_datastore_replace", "resource_view_create"} <= set(outcome.write_actions)
    pushed = next(data for action, data in catalog.calls if action == "senate_datastore_replace")
    assert pushed["resource_id"] == "res-data" and pushed["primary_key"] == ["vote_id"]
    assert pushed["records"][0] == {"vote_id": 1, "vote_date": "2019-08-05",
                                    "title": "ร่างพระราชบัญญัติงบประมาณ"}
