"""The licence table: DGA licence → the catalog register's id, one declared mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.catalog.licences import (OTHER, LicenceError, load_licence_map,
                                    load_licence_register)
from flows.describe.scheming import SCHEMA_DIR, load_schema_rules

TABLE = load_licence_map()
REGISTER = load_licence_register()
SCHEMA = load_schema_rules()


def test_every_dga_licence_choice_is_mapped_or_is_other() -> None:
    project_ids = TABLE.catalog_ids - set(TABLE.dga)   # e.g. MIT: not a DGA value
    dga_choices = set(SCHEMA.fields["license_id"].choices or ()) - project_ids
    assert dga_choices - {OTHER} == set(TABLE.dga)


def test_every_catalog_id_is_registered_and_a_schema_choice() -> None:
    for licence in TABLE.catalog_ids:
        assert licence in REGISTER, licence
        assert REGISTER[licence]["url"].startswith("https://"), licence
        assert licence in (SCHEMA.fields["license_id"].choices or ()), licence


def test_open_licences_are_approved_and_restricted_ones_are_not() -> None:
    # CKAN's isopen: od_conformance or osd_conformance "approved"
    approved = {i for i, e in REGISTER.items()
                if "approved" in (e["od_conformance"], e["osd_conformance"])}
    assert {"Open Data Common", "Creative Commons Attributions",
            "Creative Commons Attribution Share-Alike", "MIT"} <= approved
    assert not {i for i in approved if "Non-Commercial" in i or "No-Derivs" in i}
    assert OTHER not in approved


@pytest.mark.parametrize("license_id, other, expected", [
    ("Open Data Common", None, "Open Data Common"),
    ("Creative Commons Attributions", None, "Creative Commons Attributions"),
    (OTHER, "MIT License", "MIT"),
    (OTHER, "  mit   LICENSE ", "MIT"),   # case and spacing do not matter
    ("MIT", None, "MIT"),                 # a register id written as such is itself
])
def test_catalog_licence_id(license_id: str, other: str | None, expected: str) -> None:
    assert TABLE.catalog_licence_id(license_id, other) == expected


def test_an_unknown_other_licence_is_an_error_naming_the_table() -> None:
    with pytest.raises(LicenceError) as caught:
        TABLE.catalog_licence_id(OTHER, "Apache License 2.0")
    message = str(caught.value)
    assert "'Apache License 2.0'" in message and "catalog_config/licence_map.yaml" in message
    assert "'MIT License'" in message and "licenses.json" in message


def test_an_unknown_dga_value_is_an_error() -> None:
    assert "licence_map.yaml" in (TABLE.licence_problem("GNU Free Documentation License") or "")


def test_the_dga_pair_comes_back_for_a_dga_export() -> None:
    assert TABLE.dga_licence("MIT") == {"license_id": OTHER, "license_id_other": "MIT License"}
    assert TABLE.dga_licence("Open Data Common") == {"license_id": "Open Data Common"}


def test_every_metadata_file_has_a_licence_in_the_table() -> None:
    for path in sorted(Path("metadata").glob("*.yaml")):
        dga = yaml.safe_load(path.read_text(encoding="utf-8"))["dga"]
        assert TABLE.licence_problem(dga["license_id"], dga.get("license_id_other")) is None, path


def test_a_malformed_table_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "licence_map.yaml"
    bad.write_text("dga: [Open Data Common]\n", encoding="utf-8")
    with pytest.raises(Exception, match="must map texts to licence ids"):
        load_licence_map(bad)


def test_schema_dir_is_the_extensions() -> None:
    assert (SCHEMA_DIR / "dga_dataset.yaml").exists()
