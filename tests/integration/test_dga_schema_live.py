"""The DGA schema as the real CKAN enforces it: valid data in, each violation out, by field."""

from __future__ import annotations

from typing import Any, Callable

import ckanapi
import pytest

from tests.integration.dga_payloads import REQUIRED_FIELDS, valid_dataset, without

pytestmark = pytest.mark.integration


def _rejected_fields(create: Callable[..., Any], payload: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ckanapi.ValidationError) as caught:
        create(**payload)
    return caught.value.error_dict


def test_valid_dataset_reads_back_with_thai_values_intact(create_dataset, ckan_admin,
                                                          unique_name) -> None:
    payload = valid_dataset(unique_name("valid"))
    create_dataset(**payload)
    shown = ckan_admin.call("package_show", id=payload["name"])
    for field in ("title", "notes", "maintainer", "data_type", "update_frequency_unit",
                  "geo_coverage", "data_source", "data_category", "data_classification",
                  "license_id", "accessible_condition", "allow_harvest"):
        assert shown[field] == payload[field], field
    assert shown["objective"] == ["พันธกิจหน่วยงาน"]
    assert shown["data_format"] == ["CSV"]
    assert shown["data_language"] == ["ไทย"]
    assert sorted(tag["name"] for tag in shown["tags"]) == ["senate", "การลงมติ", "วุฒิสภา"]
    assert shown["organization"]["title"].startswith("สำนักงานเลขาธิการวุฒิสภา")
    resource = shown["resources"][0]
    assert resource["name"] == "ผลการลงมติ (CSV)"
    assert resource["resource_private"] == "False"


def test_package_show_output_round_trips_through_update(create_dataset, ckan_admin,
                                                        unique_name) -> None:
    """What package_show returns (tags as dicts, lists) must be accepted back unchanged."""
    payload = valid_dataset(unique_name("roundtrip"))
    create_dataset(**payload)
    shown = ckan_admin.call("package_show", id=payload["name"])
    updated = ckan_admin.call("package_update", **{**shown, "notes": shown["notes"] + " ✓"})
    assert updated["notes"].endswith("✓")
    assert len(updated["tags"]) == 3


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_missing_required_field_is_rejected_by_name(create_dataset, unique_name,
                                                    field: str) -> None:
    errors = _rejected_fields(create_dataset, without(valid_dataset(unique_name("req")), field))
    expected = {"tag_string": {"tag_string", "tags"}}.get(field, {field})
    assert expected & set(errors), errors


@pytest.mark.parametrize("field, bad", [
    ("data_type", "ข้อมูลอื่น"),
    ("objective", ["ไม่มีในรายการ"]),
    ("update_frequency_unit", "ทุกวัน"),
    ("geo_coverage", "ระดับโลก"),
    ("data_format", ["XLSX"]),
    ("data_category", "ข้อมูลเปิด"),
    ("data_classification", "สาธารณะ"),
    ("license_id", "CC-BY-4.0"),
    ("allow_harvest", "yes"),
    ("high_value_dataset", "ใช่"),
    ("data_language", ["Thai"]),
    ("data_collect", "คน"),
])
def test_value_outside_choice_list_is_rejected_by_name(create_dataset, unique_name,
                                                       field: str, bad: Any) -> None:
    payload = {**valid_dataset(unique_name("choice")), field: bad}
    assert field in _rejected_fields(create_dataset, payload)


def test_resource_choice_fields_are_enforced_too(create_dataset, unique_name) -> None:
    payload = valid_dataset(unique_name("reschoice"))
    payload["resources"][0]["resource_private"] = "maybe"
    errors = _rejected_fields(create_dataset, payload)
    assert "resources" in errors and "resource_private" in str(errors["resources"])


def test_inconsistent_category_and_classification_is_rejected(create_dataset,
                                                              unique_name) -> None:
    payload = {**valid_dataset(unique_name("incons")), "private": True,
               "data_category": "ข้อมูลความมั่นคง", "data_classification": "เปิดเผย"}
    assert "data_classification" in _rejected_fields(create_dataset, payload)


def test_consistent_internal_dataset_is_accepted_when_private(create_dataset,
                                                              unique_name) -> None:
    payload = {**valid_dataset(unique_name("internal")), "private": True,
               "data_category": "ข้อมูลใช้ภายใน", "data_classification": "ชั้นเผยแพร่ภายในองค์กร"}
    assert create_dataset(**payload)["private"] is True


def test_public_dataset_with_non_public_classification_is_rejected(create_dataset,
                                                                   unique_name) -> None:
    payload = {**valid_dataset(unique_name("pubsecret")), "private": False,
               "data_category": "ข้อมูลใช้ภายใน", "data_classification": "ชั้นเผยแพร่ภายในองค์กร"}
    errors = _rejected_fields(create_dataset, payload)
    assert {"data_category", "data_classification", "private"} & set(errors), errors


def test_other_choice_needs_its_other_text(create_dataset, unique_name) -> None:
    payload = {**valid_dataset(unique_name("other")), "objective": ["อื่นๆ"]}
    assert "objective_other" in _rejected_fields(create_dataset, payload)
    payload["objective_other"] = "ติดตามผลการดำเนินงานตามตัวชี้วัด"
    assert create_dataset(**payload)["objective_other"] == payload["objective_other"]


def test_titles_are_unique(create_dataset, unique_name) -> None:
    first = create_dataset(**valid_dataset(unique_name("title1")))
    second = {**valid_dataset(unique_name("title2")), "title": first["title"]}
    assert "title" in _rejected_fields(create_dataset, second)


def test_dates_must_be_iso(create_dataset, unique_name) -> None:
    payload = {**valid_dataset(unique_name("date")), "last_updated_date": "24/09/2563"}
    assert "last_updated_date" in _rejected_fields(create_dataset, payload)


def test_anonymous_users_cannot_create(ckan_anonymous, unique_name) -> None:
    with pytest.raises(ckanapi.NotAuthorized):
        ckan_anonymous.call("package_create", **valid_dataset(unique_name("anon")))


@pytest.mark.parametrize("bad", [[1, 2], "ทุกปี", "1.5", "0"])
def test_update_frequency_interval_takes_a_whole_number_only(create_dataset, ckan_admin,
                                                             unique_name, bad: Any) -> None:
    """A list was stored as its text '[1, 2]' once: the server refuses it, as the
    pipeline's own check does before any call. Needs a catalog started with this schema."""
    served = ckan_admin.call("scheming_dataset_schema_show", type="dataset")
    [field] = [f for f in served["dataset_fields"]
               if f["field_name"] == "update_frequency_interval"]
    if "senate_dga_positive_integer" not in str(field.get("validators")):
        pytest.skip("the running catalog loaded an older schema (no senate_dga_positive_integer"
                    "); restart it (`senate-catalog stack down && up`, or `make test`)")
    payload = {**valid_dataset(unique_name("interval")), "update_frequency_interval": bad}
    assert "update_frequency_interval" in _rejected_fields(create_dataset, payload)
    good = {**valid_dataset(unique_name("interval")), "update_frequency_interval": 2}
    assert create_dataset(**good)["update_frequency_interval"] == "2"
