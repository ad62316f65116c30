"""The extension's validators are wired into dga_dataset.yaml where they belong."""
from __future__ import annotations

import ast
from pathlib import Path

from ckanext.senate_dga import rules

VALIDATORS_PY = (
    Path(__file__).resolve().parents[2]
    / "catalog_config/ckanext-senate_dga/ckanext/senate_dga/validators.py"
)


def _registered_names() -> set[str]:
    """Keys of the dict returned by validators.get_validators() (read with
    ast, because importing validators.py needs CKAN)."""
    tree = ast.parse(VALIDATORS_PY.read_text(encoding="utf-8"))
    func = next(
        node for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name == "get_validators"
    )
    returned = next(n for n in ast.walk(func) if isinstance(n, ast.Return))
    return {key.value for key in returned.value.keys}


def _chains(schema):
    for group in ("dataset_fields", "resource_fields"):
        for field in schema[group]:
            yield field["field_name"], field["validators"].split()


def test_every_senate_dga_validator_used_is_registered(schema, presets):
    used = {v for _, chain in _chains(schema) for v in chain}
    used |= set(schema["after_validators"].split())
    ours = {v for v in used if v.startswith("senate_dga_")}
    assert ours <= _registered_names()
    assert ours == {n for n in _registered_names() if n.startswith("senate_dga_")}


def test_governance_runs_after_all_fields(raw_schema):
    assert raw_schema["after_validators"].split() == ["senate_dga_governance"]


def _other_fields(fields):
    for group, by_name in fields.items():
        for name, field in by_name.items():
            if name.endswith(rules.OTHER_SUFFIX):
                yield group, name, field


def test_other_fields_check_their_pair_first(fields):
    for _group, name, field in _other_fields(fields):
        chain = field["validators"].split()
        assert chain[:2] == ["senate_dga_other_text", "ignore_missing"], name


def test_other_fields_pair_with_a_choice_holding_other(fields):
    for group, name, _field in _other_fields(fields):
        main = fields[group][rules.main_field_for(name)]
        values = {c["value"] for c in main["choices"]}
        assert values & rules.OTHER_CHOICES, name


def test_every_choice_with_other_has_an_other_field(fields):
    for group, by_name in fields.items():
        for name, field in by_name.items():
            values = {c["value"] for c in field.get("choices", [])}
            if values & rules.OTHER_CHOICES:
                assert f"{name}{rules.OTHER_SUFFIX}" in by_name, name


def test_the_expected_other_pairs_exist(fields):
    dataset_pairs = {
        rules.main_field_for(n) for g, n, _ in _other_fields(fields) if g == "dataset"
    }
    assert dataset_pairs == {
        "data_type", "objective", "update_frequency_unit", "geo_coverage",
        "data_format", "license_id", "data_support", "data_collect",
        "data_language", "disaggregate", "unit_of_multiplier", "equivalent_scale",
    }


def test_date_fields_use_isodate_and_reject_buddhist_era(reference, fields):
    for group in ("dataset", "resource"):
        ref_group = getattr(reference, f"{group}_fields")
        for name, ref in ref_group.items():
            if ref.widget != "date":
                continue
            chain = fields[group][name]["validators"].split()
            # the resource's data date also becomes CKAN's last_modified (one date story)
            sets_last_modified = (["senate_dga_data_last_modified"]
                                  if name == "resource_last_updated_date" else [])
            assert chain == [
                "scheming_required", "isodate", "senate_dga_gregorian_date",
                *sets_last_modified, "convert_to_json_if_date",
            ], name


def test_core_field_validators(fields):
    dataset = fields["dataset"]
    assert dataset["title"]["validators"].split()[-1] == "senate_dga_unique_title"
    assert "senate_dga_name_length" in dataset["name"]["validators"].split()
    assert "package_name_validator" in dataset["name"]["validators"].split()
    assert "email_validator" in dataset["maintainer_email"]["validators"].split()
    assert dataset["owner_org"]["validators"].split() == [
        "not_empty", "owner_org_validator", "unicode_safe"]


def test_tags_checked_before_ignore_missing(fields):
    chain = fields["dataset"]["tag_string"]["validators"].split()
    assert chain == [
        "senate_dga_tags_required", "ignore_missing", "senate_dga_tag_string_convert"]


def test_thai_tags_override_core_tag_name_validator():
    assert "tag_name_validator" in _registered_names()


def test_presets_file_is_a_scheming_presets_file(presets):
    assert presets["scheming_presets_version"] == 1
    for preset in presets["presets"]:
        assert preset["preset_name"].startswith("dga_")
        assert isinstance(preset["values"], dict)
