"""build_data_dictionary: one entry per schema field, with examples never from personal data."""

from __future__ import annotations

import pandas as pd

from flows.describe.dictionary import DICTIONARY_COLUMNS, build_data_dictionary
from flows.validation.table_schema import check_table
from tests.describe.dictionary_samples import PILOTS, pilot_csv, pilot_schema


def _from_csv(dataset: str) -> list[dict]:
    return build_data_dictionary(pilot_schema(dataset), None, dataset=dataset,
                                 title=f"title of {dataset}", csv_path=pilot_csv(dataset))


def test_every_schema_field_appears_in_order_with_its_thai_label() -> None:
    for dataset in PILOTS:
        fields = pilot_schema(dataset)["fields"]
        entries = _from_csv(dataset)
        assert [entry["field"] for entry in entries] == [field["name"] for field in fields]
        assert [entry["label_th"] for entry in entries] == [field["title"] for field in fields]
        assert [entry["position"] for entry in entries] == list(range(1, len(fields) + 1))
        for entry in entries:
            assert tuple(entry) == DICTIONARY_COLUMNS
            assert entry["dataset"] == dataset and entry["dataset_title"] == f"title of {dataset}"
            assert entry["label_en"] and entry["description_en"] and entry["type"]


def test_entry_of_an_enum_field_carries_type_constraints_and_examples() -> None:
    entries = {entry["field"]: entry for entry in _from_csv("senator-votes")}
    code = entries["vote_code"]
    assert (code["type"], code["format"], code["unit"]) == ("string", "default", "")
    assert code["constraints_en"] == "required; one of: 1, 2, 3, 4, 5, -"
    assert code["personal_data"] is False
    assert 1 <= len(code["examples"]) <= 3 and len(set(code["examples"])) == len(code["examples"])
    assert set(code["examples"]) <= {"1", "2", "3", "4", "5", "-"}
    assert "foreign key → senate-votes.vote_id" in entries["vote_id"]["keys_en"]


def test_personal_field_is_flagged_and_never_sampled() -> None:
    entries = {entry["field"]: entry for entry in _from_csv("senators")}
    birthdate = entries["birthdate"]
    assert birthdate["personal_data"] is True and birthdate["examples"] == []
    assert [e["field"] for e in entries.values() if e["personal_data"]] == ["birthdate"]


def test_personal_field_is_never_sampled_even_from_a_frame_that_holds_it() -> None:
    schema = pilot_schema("senators")
    frame = pd.read_csv(pilot_csv("senators"), dtype=object, keep_default_na=False)
    assert frame["birthdate"].str.len().gt(0).any()  # the frame really holds birth dates
    entries = build_data_dictionary(schema, frame, dataset="senators")
    assert next(e for e in entries if e["field"] == "birthdate")["examples"] == []


def test_examples_from_the_typed_frame_match_those_from_the_tidy_csv() -> None:
    for dataset in ("senate-votes", "senators"):
        schema = pilot_schema(dataset)
        typed = check_table(pilot_csv(dataset).read_text("utf-8"), schema, name=dataset).frame
        assert isinstance(typed.index, pd.RangeIndex) and typed.index[0] == 2
        from_typed = build_data_dictionary(schema, typed, dataset=dataset)
        assert [e["examples"] for e in from_typed] == [e["examples"] for e in _from_csv(dataset)]


def test_typed_values_print_as_in_the_csv_and_empty_cells_are_skipped() -> None:
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "d", "type": "date"},
                         {"name": "b", "type": "boolean"}, {"name": "s", "type": "string"}]}
    frame = pd.DataFrame({
        "n": pd.array([None, 5, 5, 7], dtype="Int64"),
        "d": pd.to_datetime([None, "2019-08-05", "2019-08-05", None]),
        "b": pd.array([True, None, False, True], dtype="boolean"),
        "s": pd.Series([" a \n b ", "", None, "x" * 100], dtype=object),
    })
    frame.index = pd.RangeIndex(2, 6, name="row")
    examples = {e["field"]: e["examples"] for e in build_data_dictionary(schema, frame,
                                                                         dataset="t")}
    assert examples == {"n": ["5", "7"], "d": ["2019-08-05"], "b": ["true", "false"],
                        "s": ["a b", "x" * 79 + "…"]}


def test_without_data_the_entries_have_no_examples() -> None:
    entries = build_data_dictionary(pilot_schema("senate-votes"), None, dataset="senate-votes")
    assert entries and all(entry["examples"] == [] for entry in entries)


def test_declared_unit_and_thai_description_are_carried() -> None:
    schema = {"fields": [{"name": "w", "title": "น้ำหนัก", "type": "number", "unit": "kg",
                          "description": "Weight.", "description_th": "น้ำหนักตัว"}]}
    (entry,) = build_data_dictionary(schema, None, dataset="t")
    assert (entry["unit"], entry["description_th"], entry["label_en"]) == ("kg", "น้ำหนักตัว",
                                                                          "Weight")
