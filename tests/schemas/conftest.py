"""The pilot Table Schemas and the Data Package that ties them, loaded once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from flows.settings import PROJECT_ROOT

SCHEMAS = PROJECT_ROOT / "schemas"
PILOTS = ("senate-votes", "senators", "senator-votes")


def load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def datapackage() -> dict[str, Any]:
    return load_json(SCHEMAS / "datapackage.json")


@pytest.fixture(scope="session")
def schemas() -> dict[str, dict[str, Any]]:
    """Every pilot's Table Schema, by dataset id."""
    return {dataset_id: load_json(SCHEMAS / f"{dataset_id}.schema.json") for dataset_id in PILOTS}


@pytest.fixture(params=PILOTS)
def dataset_id(request) -> str:
    return request.param
