"""dga_dataset.yaml has every thai_gdc 2.2.x field, required set and label."""
from __future__ import annotations

import pytest

GROUPS = ("dataset", "resource")
OWNER_ORG = "owner_org"


def _ref_group(reference, group):
    return getattr(reference, f"{group}_fields")


def test_reference_parsed_completely(reference):
    # Guards the parser itself: the reference lists 59 + 24 fields.
    assert len(reference.dataset_fields) == 59
    assert len(reference.resource_fields) == 24
    assert len(reference.mandatory) == 14


def test_schema_header(raw_schema):
    assert raw_schema["scheming_version"] == 2
    assert raw_schema["dataset_type"] == "dataset"


@pytest.mark.parametrize("group", GROUPS)
def test_field_names_match_reference(reference, fields, group):
    dga = {name for name, field in fields[group].items() if not field.get("pipeline_field")}
    assert dga == set(_ref_group(reference, group))


def test_pipeline_fields_are_the_ownership_and_withdrawal_marks(fields):
    # The only fields beyond thai_gdc: set by the pipeline, optional, plain text.
    extra = {name: f for name, f in fields["dataset"].items() if f.get("pipeline_field")}
    assert set(extra) == {"senate_pipeline_id", "senate_withdrawn",
                          "open_data_score", "open_data_breakdown",   # open-data score
                          "update_status", "update_due_date",         # freshness
                          "quality_grade", "quality_checked_at",      # quality grade
                          "quality_report_url", "quality_trend"}
    assert not any(f.get("required") for f in extra.values())


@pytest.mark.parametrize("group", GROUPS)
def test_field_names_unique(schema, group):
    names = [f["field_name"] for f in schema[f"{group}_fields"]]
    assert len(names) == len(set(names))


def _required(fields_by_name):
    return {name for name, f in fields_by_name.items() if f.get("required")}


def test_required_dataset_fields_are_the_13_plus_owner_org(reference, fields):
    from_tables = {n for n, f in reference.dataset_fields.items() if f.required}
    assert len(from_tables) == 13
    assert _required(fields["dataset"]) == from_tables | {OWNER_ORG}
    # §6 lists the same 14 mandatory items independently of the tables.
    assert _required(fields["dataset"]) == reference.mandatory


def test_required_resource_fields(fields):
    # thai_gdc: name (not_empty); v2.2.4 marks url required, enforced here.
    assert _required(fields["resource"]) == {"name", "url"}


# A required field must fail on the server when missing, not only show an
# asterisk: its chain starts with a validator that rejects a missing value.
_ENFORCES_PRESENCE = {"not_empty", "scheming_required", "senate_dga_tags_required"}


@pytest.mark.parametrize("group", GROUPS)
def test_required_fields_are_enforced(fields, group):
    for name, field in fields[group].items():
        if not field.get("required"):
            continue
        chain = field["validators"].split()
        assert (
            chain[0] in _ENFORCES_PRESENCE or chain == ["scheming_multiple_choice"]
        ), f"{group} field {name}: {chain}"


@pytest.mark.parametrize("group", GROUPS)
def test_every_field_states_its_validators(fields, group):
    missing = [n for n, f in fields[group].items() if not f.get("validators")]
    assert missing == []


@pytest.mark.parametrize("group", GROUPS)
def test_labels_are_thai_and_english(fields, group):
    for name, field in fields[group].items():
        label = field["label"]
        assert isinstance(label, dict), name
        assert label.get("th", "").strip() and label.get("en", "").strip(), name


@pytest.mark.parametrize("group", GROUPS)
def test_labels_match_reference(reference, fields, group):
    for name, ref in _ref_group(reference, group).items():
        label = fields[group][name]["label"]
        if ref.label_th:
            assert label["th"] == ref.label_th, name
        if ref.label_en:
            assert label["en"] == ref.label_en, name


@pytest.mark.parametrize("group", ("dataset_fields", "resource_fields"))
def test_help_text_is_bilingual_where_given(schema, group):
    for field in schema[group]:
        if "help_text" in field:
            assert set(field["help_text"]) == {"th", "en"}, field["field_name"]


@pytest.mark.parametrize("group", GROUPS)
def test_form_data_type_matches_reference_scope(reference, fields, group):
    for name, ref in _ref_group(reference, group).items():
        assert frozenset(fields[group][name]["form_data_type"]) == ref.scope, name
