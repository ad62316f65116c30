"""Field → text: English labels, constraints and key notes."""

from __future__ import annotations

import pytest

from flows.describe.dictionary_text import constraints_text, english_label, key_notes
from tests.describe.dictionary_samples import pilot_schema


@pytest.mark.parametrize(("description", "label"), [
    ("Date of birth, ISO 8601 (YYYY-MM-DD), Common Era. Personal data: left out.",
     "Date of birth"),
    ("Kind of sitting, e.g. ประชุม ส.ว. (a sitting of the Senate); may be empty.",
     "Kind of sitting"),
    ("Number of votes in favour; empty when the source does not give it.",
     "Number of votes in favour"),
    ("Link to the minutes of the sitting (the document titled บันทึกการประชุม…).",
     "Link to the minutes of the sitting"),
    ("Given name in Thai.", "Given name in Thai"),
])
def test_english_label_is_the_head_of_the_description(description: str, label: str) -> None:
    assert english_label({"name": "f", "description": description}) == label


def test_a_declared_english_title_wins_and_a_bare_field_falls_back_to_its_name() -> None:
    field = {"name": "x", "titleEn": "Declared label", "description": "Something else."}
    assert english_label(field) == "Declared label"
    assert english_label({"name": "x", "title_en": "Snake case"}) == "Snake case"
    assert english_label({"name": "bare_field"}) == "bare_field"


def test_every_pilot_field_gets_a_non_empty_english_label() -> None:
    for dataset in ("senate-votes", "senators", "senator-votes"):
        for field in pilot_schema(dataset)["fields"]:
            label = english_label(field)
            assert label and len(label) < len(field["description"]) + 1, (dataset, field["name"])


def test_constraints_read_as_text_in_thai_and_english() -> None:
    field = {"name": "code", "constraints": {"required": True, "unique": True,
                                             "enum": ["1", "2", "3"], "minimum": 0,
                                             "maximum": 9, "minLength": 1, "maxLength": 2,
                                             "pattern": "[0-9]+"}}
    thai, english = constraints_text(field)
    assert english == ("required; unique; one of: 1, 2, 3; ≥ 0; ≤ 9; at least 1 characters; "
                       "at most 2 characters; pattern: [0-9]+")
    assert thai.startswith("ต้องมีค่า; ค่าไม่ซ้ำกัน; ค่าใดค่าหนึ่งใน: 1, 2, 3; ≥ 0")


def test_switched_off_constraints_are_left_out_and_unknown_ones_still_shown() -> None:
    assert constraints_text({"name": "a", "constraints": {"required": False}}) == ("", "")
    assert constraints_text({"name": "a"}) == ("", "")
    _, english = constraints_text({"name": "a", "constraints": {"jsonSchema": "x"}})
    assert english == "jsonSchema: x"


def test_project_properties_buddhist_calendar_and_thai_digits_are_explained() -> None:
    _, english = constraints_text({"name": "y", "calendar": "buddhist", "thaiDigits": True})
    assert english == "Buddhist-Era values (converted to Common Era); Thai digits (๐-๙) accepted"


def test_key_notes_name_primary_and_foreign_keys() -> None:
    schema = pilot_schema("senator-votes")
    thai, english = key_notes("senator_id", schema)
    assert english == ("part of the primary key (senator_id, vote_id); "
                       "foreign key → senators.senator_id")
    assert thai.startswith("ส่วนหนึ่งของคีย์หลัก") and "คีย์นอก → senators.senator_id" in thai
    assert key_notes("vote_code", schema) == ("", "")
    assert key_notes("senator_id", pilot_schema("senators")) == ("คีย์หลัก", "primary key")
