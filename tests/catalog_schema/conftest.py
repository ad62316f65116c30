"""Fixtures for the DGA schema tests: the reference, the schema and its presets.

These tests need only PyYAML; the extension's ``rules`` module is imported
straight from its source folder, without CKAN.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "catalog_config" / "ckanext-senate_dga"
SCHEMAS = EXTENSION / "ckanext" / "senate_dga" / "schemas"
REFERENCE = REPO / "catalog_config" / "reference" / "dga-metadata-standard.md"

# ``ckanext`` is a namespace package, so the source folder is enough.
if str(EXTENSION) not in sys.path:
    sys.path.insert(0, str(EXTENSION))
sys.path.insert(0, str(Path(__file__).parent))

from dga_reference import Reference, load_reference  # noqa: E402


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def expand_presets(schema: dict, presets: dict) -> dict:
    """Apply our presets the way ckanext-scheming does: field keys win."""
    by_name = {p["preset_name"]: p["values"] for p in presets["presets"]}
    expanded = dict(schema)
    for group in ("dataset_fields", "resource_fields"):
        expanded[group] = [
            dict(by_name.get(f.get("preset"), {}), **f) for f in schema[group]
        ]
    return expanded


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference(REFERENCE)


@pytest.fixture(scope="session")
def raw_schema() -> dict:
    return _load_yaml(SCHEMAS / "dga_dataset.yaml")


@pytest.fixture(scope="session")
def presets() -> dict:
    return _load_yaml(SCHEMAS / "presets.yaml")


@pytest.fixture(scope="session")
def schema(raw_schema: dict, presets: dict) -> dict:
    """The schema with this project's presets applied (scheming's own
    presets are not applied, so fields using them must state validators)."""
    return expand_presets(raw_schema, presets)


@pytest.fixture(scope="session")
def fields(schema: dict) -> dict[str, dict[str, dict]]:
    """``{"dataset": {name: field}, "resource": {name: field}}``."""
    return {
        group: {f["field_name"]: f for f in schema[f"{group}_fields"]}
        for group in ("dataset", "resource")
    }
