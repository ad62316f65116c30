"""Every DGA field is checked against its type in the scheming schema before any network call:
a wrong type is refused with the file, field, value and the type expected, never
turned into text (``update_frequency_interval: [1, 2]`` was published as '[1, 2]')."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from flows.datasets import load_dataset
from flows.describe.declared import load_declared_metadata
from flows.describe.metadata import EXPECTED_TYPES, dga_field_problems, normalize_dga_fields
from flows.describe.scheming import SCHEMA_DIR, _read_yaml, expand_presets, load_schema_rules
from flows.describe.stakeholders import load_organization_profile
from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from tests.describe.test_metadata import GOOD
from tests.integration.publish_helpers import copy_project

SCHEMA = load_schema_rules()
_EXPANDED = {field["field_name"]: field for field in expand_presets(
    _read_yaml(SCHEMA_DIR / "dga_dataset.yaml")["dataset_fields"],
    _read_yaml(SCHEMA_DIR / "presets.yaml"))}


def _problems(**changes):
    raw = {**GOOD, **changes}
    return dga_field_problems(normalize_dga_fields(raw, SCHEMA), SCHEMA, private=False)


def test_each_field_kind_comes_from_the_schema_validators() -> None:
    """The kinds are read, not listed: the interval is the schema's only whole-number field."""
    kinds = {name: rule.kind for name, rule in SCHEMA.fields.items()}
    assert kinds["update_frequency_interval"] == "integer"
    assert [n for n, k in kinds.items() if k == "integer"] == ["update_frequency_interval"]
    assert {n for n, k in kinds.items() if k == "date"} == {
        n for n, f in _EXPANDED.items() if "isodate" in f["validators"].split()}
    assert {n for n, k in kinds.items() if k == "list"} == {
        n for n, f in _EXPANDED.items() if "scheming_multiple_choice" in f["validators"].split()}
    assert kinds["tag_string"] == "tags" and kinds["geo_coverage"] == "choice"
    assert kinds["title"] == kinds["first_year_of_data"] == "text"
    assert "senate_dga_positive_integer" in _EXPANDED["update_frequency_interval"]["validators"]


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("update_frequency_interval", [1, 2], "[1, 2] is a list; expected a whole number"),
    ("update_frequency_interval", {"every": 1}, "{'every': 1} is a mapping; expected a whole"),
    ("update_frequency_interval", "ทุกปี", "Must be a whole number of at least 1, e.g. 1; got "
                                          "'ทุกปี'"),
    ("update_frequency_interval", 1.5, "1.5 is a fraction; expected a whole number"),
    ("update_frequency_interval", 0, "Must be a whole number of at least 1"),
    ("update_frequency_interval", True, "True is a boolean (YAML reads unquoted yes"),
    ("update_frequency_interval", date(2026, 1, 1), "2026-01-01 is a date; expected a whole"),
    ("created_date", 20261128, "20261128 is a number; expected a date written YYYY-MM-DD"),
    ("created_date", [date(2026, 1, 1)], "is a list; expected a date"),
    ("title", ["ชื่อ", "ชื่ออื่น"], "is a list; expected one text"),
    ("title", {"th": "ชื่อ", "en": "name"}, "is a mapping; expected one text"),
    ("notes", False, "False is a boolean"),
    ("geo_coverage", ["ประเทศ", "โลก"], "is a list; expected one value of the allowed list"),
    ("data_category", ["ข้อมูลสาธารณะ"], "is a list; expected one value of the allowed list"),
    ("objective", {"a": "พันธกิจหน่วยงาน"}, "is a mapping; expected a list of values"),
    ("objective", [["พันธกิจหน่วยงาน"]], "is a list holding a list; expected a list of values"),
    ("tag_string", ["ok", {"bad": 1}], "is a list holding a mapping; expected a list of tags"),
])
def test_a_wrong_type_is_refused_naming_field_value_and_type(field, value, expected) -> None:
    found = [p for p in _problems(**{field: value}) if p.startswith(f"{field}: ")]
    assert found and expected in found[0], found


@pytest.mark.parametrize(("field", "value", "sent"), [
    ("update_frequency_interval", 2, "2"),
    ("update_frequency_interval", "12", "12"),
    ("created_date", date(2026, 1, 31), "2026-01-31"),
    ("allow_harvest", True, "True"),                       # a yes/no choice
    ("url", 5, "5"),                                       # text takes a number as text
    ("reference_period", date(2024, 1, 1), "2024-01-01"),
    ("objective", "พันธกิจหน่วยงาน", ["พันธกิจหน่วยงาน"]),    # one value of a list
    ("tag_string", ["วุฒิสภา", 2567], "วุฒิสภา,2567"),
])
def test_values_of_the_right_type_are_normalised_and_pass(field, value, sent) -> None:
    assert normalize_dga_fields({field: value}, SCHEMA)[field] == sent
    assert not [p for p in _problems(**{field: value}) if p.startswith(f"{field}: ")]


def test_a_wrong_type_is_never_stringified() -> None:
    raw = {"update_frequency_interval": [1, 2], "title": {"th": "x"}, "created_date": 20261128}
    assert normalize_dga_fields(raw, SCHEMA) == raw


def test_every_kind_has_an_expected_type_text() -> None:
    assert {rule.kind for rule in SCHEMA.fields.values()} <= set(EXPECTED_TYPES)


def test_the_metadata_file_check_names_file_field_value_and_type(tmp_path: Path) -> None:
    root = copy_project(tmp_path, ["senate-units"])
    path = root / "metadata" / "senate-units.yaml"
    metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    metadata["dga"]["update_frequency_interval"] = [1, 2]
    path.write_text(yaml.safe_dump(metadata, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_declared_metadata(load_dataset(root, "senate-units"), schema=SCHEMA,
                               organization=load_organization_profile(
                                   PROJECT_ROOT / "catalog_config" / "organization.yaml"))
    assert str(caught.value) == (
        "metadata/senate-units.yaml: 1 metadata problem(s):\n"
        "  - dga.update_frequency_interval: [1, 2] is a list; expected a whole number of at "
        "least 1, e.g. 1")


def test_a_dga_block_that_is_no_mapping_is_a_metadata_problem(tmp_path: Path) -> None:
    root = copy_project(tmp_path, ["senate-units"])
    path = root / "metadata" / "senate-units.yaml"
    metadata = yaml.safe_load(path.read_text(encoding="utf-8"))
    metadata["dga"] = ["title", "notes"]
    path.write_text(yaml.safe_dump(metadata, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dga: is list, not a mapping of DGA fields"):
        load_declared_metadata(load_dataset(root, "senate-units"), schema=SCHEMA,
                               organization=load_organization_profile(
                                   PROJECT_ROOT / "catalog_config" / "organization.yaml"))


def test_the_pipeline_refuses_a_list_interval_before_sending_anything(tmp_path: Path) -> None:
    """The reported case: the list was published as the text '[1, 2]'. Now the dataset fails
    with the file, field, value and type, and nothing of it reaches the catalog."""
    from flows.orchestrate.plan_or_run import plan_or_run
    from tests.catalog.fake_catalog import FakeCatalog

    root = copy_project(tmp_path / "project", ["senate-units"])
    path = root / "metadata" / "senate-units.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'update_frequency_interval: "1"', "update_frequency_interval: [1, 2]"), encoding="utf-8")
    catalog = FakeCatalog()
    [outcome] = plan_or_run(root, client=catalog, out_dir=tmp_path / "out",
                            today=date(2026, 11, 28), catalog_url="http://catalog.test",
                            dry_run=True, dataset_ids=["senate-units"])
    assert outcome.status == "failed"
    assert ("metadata/senate-units.yaml: 1 metadata problem(s):\n  - dga.update_frequency_interval:"
            " [1, 2] is a list; expected a whole number of at least 1, e.g. 1") in outcome.reason
    assert not any("[1, 2]" in repr(data) for _, data in catalog.calls)
