"""One dataset = one id, the same everywhere: where its files live, by convention.

| what | where |
|---|---|
| raw source files, LICENSE, provenance | ``datasets/<id>/raw/`` |
| the tidy CSV the pipeline produces    | ``datasets/<id>/<id>.csv`` |
| Table Schema                          | ``schemas/<id>.schema.json`` |
| GX suite                              | ``schemas/<id>.expectations.json`` |
| metadata (names the reader, encoding) | ``metadata/<id>.yaml`` |
| steward waivers                       | ``metadata/waivers/<id>.yaml`` |

A dataset exists when ``metadata/<id>.yaml`` exists; adding one means adding files, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from flows.errors import ConfigError


@dataclass(frozen=True)
class DatasetSpec:
    """The files and declarations of one dataset."""

    id: str
    root: Path
    metadata: dict[str, Any]

    @property
    def raw_dir(self) -> Path:
        return self.root / "datasets" / self.id / "raw"

    @property
    def csv_path(self) -> Path:
        return self.root / "datasets" / self.id / f"{self.id}.csv"

    @property
    def schema_path(self) -> Path:
        return self.root / "schemas" / f"{self.id}.schema.json"

    @property
    def suite_path(self) -> Path:
        return self.root / "schemas" / f"{self.id}.expectations.json"

    @property
    def waivers_path(self) -> Path:
        return self.root / "metadata" / "waivers" / f"{self.id}.yaml"

    @property
    def source(self) -> dict[str, Any]:
        """The ``source:`` block: ``reader`` (a name in flows.sources), ``files``, ``encoding``."""
        return self.metadata.get("source") or {}

    @property
    def declared_encoding(self) -> str | None:
        return self.source.get("encoding")


def load_dataset(root: Path, dataset_id: str) -> DatasetSpec:
    """Read ``metadata/<id>.yaml``; errors name the file and what to fix."""
    path = root / "metadata" / f"{dataset_id}.yaml"
    if not path.exists():
        known = ", ".join(spec.id for spec in discover_datasets(root)) or "none"
        raise ConfigError(f"no dataset {dataset_id!r}: {path} does not exist (known: {known})")
    try:
        metadata = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(metadata, dict):
        raise ConfigError(f"{path} must hold a mapping of metadata fields")
    return DatasetSpec(id=dataset_id, root=root, metadata=metadata)


def discover_datasets(root: Path) -> list[DatasetSpec]:
    """Every dataset with a ``metadata/<id>.yaml``, sorted by id."""
    return [load_dataset(root, path.stem)
            for path in sorted((root / "metadata").glob("*.yaml"))]
