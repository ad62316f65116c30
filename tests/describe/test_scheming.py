"""The local metadata check and the catalog's scheming schema cannot drift apart."""

import pytest

from flows.describe.metadata import dga_field_problems
from flows.describe.scheming import (LOCAL_VALIDATORS, SERVER_ONLY_VALIDATORS, expand_presets,
                                     load_schema_rules, SCHEMA_DIR, _read_yaml)

SCHEMA = load_schema_rules()
_RAW = _read_yaml(SCHEMA_DIR / "dga_dataset.yaml")
_EXPANDED = expand_presets(_RAW["dataset_fields"], _read_yaml(SCHEMA_DIR / "presets.yaml"))
CHOICE_FIELDS = [f for f in _EXPANDED if f.get("choices")]


def test_every_schema_validator_is_checked_locally_or_known_server_only() -> None:
    used = {v for f in _EXPANDED for v in str(f.get("validators") or "").split()}
    assert used - LOCAL_VALIDATORS - SERVER_ONLY_VALIDATORS == set()
    assert SCHEMA.after_validators == ("senate_dga_governance",)


def test_required_fields_are_the_schema_ones() -> None:
    assert {n for n, r in SCHEMA.fields.items() if r.required} == {
        f["field_name"] for f in _EXPANDED if f.get("required")}


@pytest.mark.parametrize("field", CHOICE_FIELDS, ids=lambda f: f["field_name"])
def test_every_choice_field_rejects_a_value_outside_its_list(field: dict) -> None:
    name = field["field_name"]
    rule = SCHEMA.fields[name]
    assert rule.choices == tuple(c["value"] for c in field["choices"])
    bad = "ค่าที่ไม่มีในรายการ"
    problems = dga_field_problems({name: [bad] if rule.multiple else bad}, SCHEMA, private=True)
    assert any(p.startswith(f"{name}: {bad!r} is not an allowed value") for p in problems)
    # ...and every listed value passes the choice check.
    for choice in rule.choices:
        value = [choice] if rule.multiple else choice
        found = dga_field_problems({name: value}, SCHEMA, private=True)
        assert not [p for p in found if p.startswith(f"{name}: ") and "allowed value" in p]


def test_other_pairs_come_from_the_schema() -> None:
    pairs = {n: r.other_of for n, r in SCHEMA.fields.items() if r.other_of}
    assert pairs["license_id_other"] == "license_id"
    assert all(f"{main}_other" == other for other, main in pairs.items())
    assert SCHEMA.other_choice("data_type") == "ข้อมูลประเภทอื่นๆ"
