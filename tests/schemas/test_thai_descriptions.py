"""Every field of every Table Schema in schemas/ is explained in Thai.

The check here is independent of flows.validation.field_descriptions: it counts scripts itself,
so a bug in the pipeline's rule cannot make this pass.
"""

from __future__ import annotations

import re

from tests.schemas.conftest import SCHEMAS, load_json

THAI_LETTER = re.compile(r"[\u0E01-\u0E4E]")
LATIN_LETTER = re.compile(r"[A-Za-z]")


def _every_field() -> list[tuple[str, dict]]:
    return [(path.name, field) for path in sorted(SCHEMAS.glob("*.schema.json"))
            for field in load_json(path)["fields"]]


def test_every_schema_in_the_folder_is_covered() -> None:
    files = {name for name, _ in _every_field()}
    assert files == {path.name for path in SCHEMAS.glob("*.schema.json")}
    assert len(files) >= 15   # the 14 pilot and KPI datasets and the public data dictionary


def test_every_field_has_a_thai_description_in_thai_script() -> None:
    problems = []
    for schema, field in _every_field():
        text = field.get("description_th")
        where = f"{schema}: {field['name']}"
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: no description_th")
            continue
        thai, latin = len(THAI_LETTER.findall(text)), len(LATIN_LETTER.findall(text))
        if thai < 10 or thai < latin:
            problems.append(f"{where}: mostly not Thai ({thai} Thai, {latin} Latin letters)")
    assert problems == []


def test_thai_descriptions_are_not_copies_of_the_english_or_the_title() -> None:
    problems = []
    for schema, field in _every_field():
        text = field.get("description_th", "")
        english = field.get("description", "")
        if text == english or text == field.get("title"):
            problems.append(f"{schema}: {field['name']}: copied")
        # a copied English sentence keeps long runs of English words
        if re.search(r"(?:\b[A-Za-z]{3,}\b[ ,]+){6,}", text):
            problems.append(f"{schema}: {field['name']}: English sentence inside")
    assert problems == []


def test_the_english_description_is_kept_beside_the_thai() -> None:
    missing = [f"{schema}: {field['name']}" for schema, field in _every_field()
               if len(re.findall(r"\b[A-Za-z]{2,}\b", field.get("description", ""))) < 3]
    assert missing == []


def test_one_property_name_for_every_reader() -> None:
    # the dictionaries and the DataStore data dictionary read "description_th"
    legacy = [f"{schema}: {field['name']}" for schema, field in _every_field()
              if "descriptionTh" in field]
    assert legacy == []


def test_each_field_of_a_schema_is_described_for_itself() -> None:
    repeated = []
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        texts = [field["description_th"] for field in load_json(path)["fields"]]
        repeated += [f"{path.name}: {text}" for text in set(texts) if texts.count(text) > 1]
    assert repeated == []
