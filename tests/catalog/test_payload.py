"""The pure mapping from a described dataset to CKAN package and resource dicts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.catalog.gate import decide
from flows.catalog.owned import HAND_EDITED_FIELDS, KIND_FIELD, OWNED_DATASET_FIELDS
from flows.catalog.payload import (MAX_NAME, dataset_to_ckan_package, internal_companion_package,
                                   internal_name)
from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from tests.catalog.described_samples import described_dataset, validation_result

SCHEMA = (PROJECT_ROOT / "catalog_config" / "ckanext-senate_dga" / "ckanext" / "senate_dga"
          / "schemas" / "dga_dataset.yaml")
ORG = "senate-secretariat"


def _package(tmp_path: Path, **kwargs):
    described = described_dataset(tmp_path, "zz-payload", **kwargs)
    decision = decide(described, validation_result("zz-payload"))
    return described, decision, dataset_to_ckan_package(described, decision, owner_org=ORG)


def test_owned_and_hand_edited_fields_split_the_schema_exactly() -> None:
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    dataset_fields = {f["field_name"] for f in schema["dataset_fields"]}
    owned = set(OWNED_DATASET_FIELDS) - {"private"}
    assert owned | set(HAND_EDITED_FIELDS) == dataset_fields
    assert not owned & set(HAND_EDITED_FIELDS)


def test_public_package_carries_owned_fields_visibility_org_and_groups(tmp_path) -> None:
    described, _, package = _package(tmp_path)
    assert package["name"] == "zz-payload" and package["private"] is False
    assert package["owner_org"] == ORG
    assert package["data_category"] == "ข้อมูลสาธารณะ" and package["objective"] == ["พันธกิจหน่วยงาน"]
    assert package["groups"] == [{"name": "legislation"}]
    assert set(package) <= set(OWNED_DATASET_FIELDS) | {"groups", "resources"}


def test_resources_have_sha256_hash_size_kind_and_dga_fields(tmp_path) -> None:
    described, _, package = _package(tmp_path)
    data = package["resources"][0]
    source = described.resources[0]
    assert data["hash"] == f"sha256:{source.sha256}" and data["size"] == source.size
    assert data[KIND_FIELD] == "data" and data["resource_private"] == "False"
    assert data["resource_last_updated_date"] == "2020-09-24"
    assert [r[KIND_FIELD] for r in package["resources"]] == ["data", "dictionary", "schema", "report"]


def test_personal_dataset_companion_is_private_personal_and_distinct(tmp_path) -> None:
    described, decision, package = _package(tmp_path, personal=True)
    companion = internal_companion_package(described, decision, owner_org=ORG)
    assert companion["name"] == "zz-payload-internal" and companion["private"] is True
    assert companion["title"] != package["title"] and companion["title"].startswith(package["title"])
    assert (companion["data_category"], companion["data_classification"]) == (
        "ข้อมูลส่วนบุคคล", "ชั้นเผยแพร่ภายในองค์กร")
    assert companion["groups"] == []
    [full] = companion["resources"]
    assert full["resource_private"] == "True"
    assert full["hash"] == f"sha256:{described.internal_data.sha256}"
    assert all(r["hash"] != full["hash"] for r in package["resources"])


def test_no_companion_without_personal_fields(tmp_path) -> None:
    described, decision, _ = _package(tmp_path)
    assert internal_companion_package(described, decision, owner_org=ORG) is None


def test_internal_name_stays_within_the_dga_limit() -> None:
    long = "a" * 70
    assert len(internal_name(long)) == MAX_NAME and internal_name(long).endswith("-internal")
    assert internal_name("senators") == "senators-internal"
    assert internal_name("a" * 61) == "a" * 61 + "-internal"   # fits: no hash


def test_internal_name_is_injective_on_long_names_sharing_a_prefix() -> None:
    # Cut to 61 characters, all of these would have been one companion dataset.
    names = ["a" * 61 + suffix for suffix in ("", "b", "c", "bb", "b" * 9)] + ["a" * 70]
    companions = [internal_name(name) for name in names]
    assert len(set(companions)) == len(names)
    assert all(len(c) <= MAX_NAME and c.endswith("-internal") for c in companions)
    assert internal_name("a" * 70) == internal_name("a" * 70)   # stable across runs
    assert not set(companions) & set(names)                      # never another dataset's name


def test_the_reserved_suffix_is_the_companion_suffix() -> None:
    from flows.catalog.payload import INTERNAL_SUFFIX
    from flows.dataset_ids import MAX_LENGTH, RESERVED_SUFFIX

    assert (RESERVED_SUFFIX, MAX_LENGTH) == (INTERNAL_SUFFIX, MAX_NAME)


def test_a_field_the_pipeline_does_not_own_is_refused_with_the_fix(tmp_path) -> None:
    with pytest.raises(ConfigError, match="reference_url_catalog.*OWNED_DATASET_FIELDS"):
        _package(tmp_path, reference_url_catalog="https://gdcatalog.go.th/x")


def test_no_package_for_a_held_dataset(tmp_path) -> None:
    described = described_dataset(tmp_path, "zz-held")
    decision = decide(described, validation_result("zz-held", blocking=True))
    with pytest.raises(ValueError, match="hold"):
        dataset_to_ckan_package(described, decision, owner_org=ORG)


def test_a_dga_other_licence_becomes_the_registers_id_without_its_other_text(tmp_path) -> None:
    described, _, package = _package(tmp_path, license_id="อื่นๆ",
                                     license_id_other="MIT License")
    assert described.fields["license_id"] == "อื่นๆ"   # the DGA value stays in the description
    assert package["license_id"] == "MIT" and "license_id_other" not in package
    assert all("license" not in resource for resource in package["resources"])


def test_a_dga_licence_keeps_its_register_id(tmp_path) -> None:
    _, _, package = _package(tmp_path, license_id="Creative Commons Attribution Share-Alike")
    assert package["license_id"] == "Creative Commons Attribution Share-Alike"


def test_a_licence_outside_the_table_stops_that_dataset(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"zz-payload: .*licence_map\.yaml"):
        _package(tmp_path, license_id="อื่นๆ", license_id_other="Apache License 2.0")
