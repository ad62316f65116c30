"""Every choice list equals the reference §4 list and is enforced on the server."""
from __future__ import annotations

import pytest


def _choice_fields(fields):
    return {
        name: field
        for group in fields.values()
        for name, field in group.items()
        if "choices" in field and not field.get("pipeline_field")   # the project's own
    }


def test_every_reference_list_is_in_the_schema(reference, fields):
    assert set(_choice_fields(fields)) == set(reference.choices)


def _project_licences():
    """Licence ids of the catalog's register that the DGA list lacks (licence_map.yaml): the
    only choices beyond the reference, appended after it."""
    from flows.catalog.licences import load_licence_map
    table = load_licence_map()
    return sorted(table.catalog_ids - set(table.dga))


def test_choice_values_equal_reference_in_order(reference, fields):
    for name, field in _choice_fields(fields).items():
        expected = [c.value for c in reference.choices[name]]
        if name == "license_id":
            expected += _project_licences()
        assert [c["value"] for c in field["choices"]] == expected, name


def test_choice_values_are_strings(fields):
    # YAML would turn an unquoted True/False into a boolean.
    for name, field in _choice_fields(fields).items():
        assert all(isinstance(c["value"], str) for c in field["choices"]), name


def test_choice_labels_match_reference(reference, fields):
    for name, field in _choice_fields(fields).items():
        for choice, ref in zip(field["choices"], reference.choices[name]):
            label = choice["label"]
            assert label["th"] == (ref.label_th or ref.value), (name, ref.value)
            assert label["en"].strip(), (name, ref.value)
            if ref.label_en:
                assert label["en"] == ref.label_en, (name, ref.value)


def test_v224_lists_are_used(fields):
    dataset = fields["dataset"]
    categories = [c["value"] for c in dataset["data_category"]["choices"]]
    licenses = [c["value"] for c in dataset["license_id"]["choices"]]
    assert "ข้อมูลใช้ภายใน" in categories
    assert "License not specified" not in licenses
    assert "Creative Commons Attribution No-Derivs" in licenses


def test_multiple_choice_fields_are_the_reference_ones(reference, fields):
    multi = {
        name for name, field in _choice_fields(fields).items()
        if "scheming_multiple_choice" in field["validators"].split()
    }
    assert multi == reference.multi_choice_fields()


def test_multiple_choice_fields_enforce_and_output_lists(reference, fields):
    for name in reference.multi_choice_fields():
        field = _choice_fields(fields)[name]
        assert field["validators"].split() == ["scheming_multiple_choice"], name
        assert field["output_validators"] == "scheming_multiple_choice_output", name


def test_single_choice_fields_enforce_choices(reference, fields):
    for name, field in _choice_fields(fields).items():
        if name in reference.multi_choice_fields():
            continue
        chain = field["validators"].split()
        assert chain[-1] == "scheming_choices", name
        assert chain[:-1] in (["scheming_required"], ["ignore_missing"]), name


@pytest.mark.parametrize("name", ["data_type", "update_frequency_unit", "geo_coverage",
                                  "data_category", "license_id"])
def test_required_single_choice_uses_scheming_required(fields, name):
    field = fields["dataset"][name]
    assert field["required"] is True
    assert field["validators"].split()[0] == "scheming_required"
