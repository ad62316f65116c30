"""Shared inputs of the data-dictionary tests: the real pilot schemas and tidy CSVs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flows.settings import PROJECT_ROOT

PILOTS = ("senate-votes", "senators", "senator-votes")


def pilot_schema(dataset: str) -> dict[str, Any]:
    return json.loads((PROJECT_ROOT / "schemas" / f"{dataset}.schema.json").read_text("utf-8"))


def pilot_csv(dataset: str) -> Path:
    return PROJECT_ROOT / "datasets" / dataset / f"{dataset}.csv"
