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
The id is also the dataset's CKAN name, so it follows ``flows.dataset_ids.RULE`` (lower-case
a-z, 0-9, ``-``, ``_``; 2 to 70 characters; not ending in ``-internal``); it is checked here, as
it enters, before any path is built from it.

A bad id stops the command (``ConfigError``): it is a problem of the installation, not of one
dataset. A metadata file that cannot be used (not YAML, not a mapping, a malformed ``source:``
block) is one dataset's problem: the spec still exists, carrying a ``DatasetProblem`` that
validation turns into a finding and the pipeline into that dataset's failed outcome, while
every other dataset goes on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from flows.dataset_ids import check_dataset_id, check_schema_references
from flows.dataset_problems import (DERIVED_SOURCES, DatasetProblem, read_metadata_file,
                                    source_problem)
from flows.errors import ConfigError


@dataclass(frozen=True)
class DatasetSpec:
    """The files and declarations of one dataset.

    ``problem`` is set when its metadata file could not be used: ``metadata`` then holds what
    could be read (nothing, for a file that is not a YAML mapping) and ``source`` is empty, so
    no stage acts on a half-read declaration.
    """

    id: str
    root: Path
    metadata: dict[str, Any]
    problem: DatasetProblem | None = None

    def __post_init__(self) -> None:
        # Every path below is built from the id: an unchecked one could name any file.
        check_dataset_id(self.id, source="DatasetSpec(id=...)")

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
        """The ``source:`` block: ``reader`` (a name in flows.sources), ``files``, ``encoding``
        (empty when the metadata file has a problem)."""
        if self.problem is not None:
            return {}
        return self.metadata.get("source") or {}

    @property
    def groups(self) -> list[str]:
        """The catalog groups the metadata declare (none when ``groups:`` is not a list)."""
        groups = self.metadata.get("groups")
        return [str(group) for group in groups] if isinstance(groups, list) else []

    @property
    def declared_encoding(self) -> str | None:
        return self.source.get("encoding")


def load_dataset(root: Path, dataset_id: str, *,
                 source: str = "dataset id argument") -> DatasetSpec:
    """Read ``metadata/<id>.yaml`` into a ``DatasetSpec``.

    ``dataset_id`` is checked first (``source`` says where it came from, for the message); so are
    the file's own ``id:`` key (it must equal the file name) and the dataset ids its Table Schema
    references. A bad id, or no such file, raises ``ConfigError`` (exit 2). A file that cannot
    be used (not UTF-8 YAML, not a mapping, a malformed ``source:`` block) does not raise: the
    spec carries the ``DatasetProblem``, naming the file, the line and what to fix.
    """
    check_dataset_id(dataset_id, source=source)
    path = root / "metadata" / f"{dataset_id}.yaml"
    if not path.exists():
        known = ", ".join(spec.id for spec in discover_datasets(root)) or "none"
        raise ConfigError(f"no dataset {dataset_id!r}: {path} does not exist (known: {known})")
    metadata, problem = read_metadata_file(path, f"metadata/{dataset_id}.yaml")
    if metadata.get("id") not in (None, dataset_id):
        raise ConfigError(f"{path}: id: {metadata['id']!r} differs from the file name; "
                          f"the id is the file name without .yaml: write id: {dataset_id} "
                          "or rename the file")
    spec = DatasetSpec(id=dataset_id, root=root, metadata=metadata,
                       problem=problem or source_problem(metadata, f"metadata/{dataset_id}.yaml"))
    _check_references(spec)
    return spec


def discover_datasets(root: Path) -> list[DatasetSpec]:
    """Every dataset with a ``metadata/<id>.yaml``, sorted by id; each file name is checked as
    an id (``ConfigError`` naming the file otherwise). A file that cannot be used gives a spec
    with its ``problem``, never an exception: one dataset's broken file stops no other."""
    return [load_dataset(root, path.stem, source=f"file {path}")
            for path in sorted((root / "metadata").glob("*.yaml"))]


def _check_references(spec: DatasetSpec) -> None:
    """The dataset ids the Table Schema references are checked ids (a schema that is missing or
    not JSON is left to validation, which reports it)."""
    try:
        schema = json.loads(spec.schema_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    check_schema_references(schema, source=f"{spec.schema_path}")


# --- derived datasets ------------------------------------------------------------------------
# CSVs the pipeline computes from other datasets and from its own run records (KPI 1.3's
# conditions, the KPI scorecard, the public data dictionary): ``metadata/<id>.yaml`` declares
# ``source: {derived: <name>}``, and flows.orchestrate.derive maps the name to its writer.

@dataclass(frozen=True)
class DeriveContext:
    """What a deriver may read: the project, the run's outputs and the run records so far of
    the other datasets (never its own dataset's: what a derived dataset says must not depend on
    its own last publication, or two runs with nothing changed would not derive the same)."""

    root: Path
    out_dir: Path
    today: date
    catalog_url: str
    history: list[dict[str, Any]]


@dataclass(frozen=True)
class ExtraFile:
    """A file a deriver made that is registered as one more resource of its dataset."""

    kind: str        # a resource kind with labels in flows.describe.describe
    path: Path
    format: str      # "HTML" | "Markdown" | ...


def derived_name(spec: DatasetSpec) -> str | None:
    """The deriver a dataset declares, or None for a dataset read from its source."""
    name = spec.source.get("derived")
    if name is not None and name not in DERIVED_SOURCES:
        raise ConfigError(f"metadata/{spec.id}.yaml: source.derived {name!r} is unknown; "
                          f"use one of {', '.join(DERIVED_SOURCES)}")
    return name


def run_order(specs: Sequence[DatasetSpec]) -> list[DatasetSpec]:
    """Datasets read from sources first (by id), then derived ones in ``DERIVED_SOURCES``
    order."""
    order = list(DERIVED_SOURCES)
    return sorted(specs, key=lambda spec: (derived_name(spec) is not None,
                                           order.index(derived_name(spec))
                                           if derived_name(spec) else 0, spec.id))


def derived_after(dataset_id: str, root: Path) -> set[str]:
    """The ids of the project's datasets derived after ``dataset_id`` (none for a dataset read
    from its source): when it is derived, they have no run record of this run yet, so what it
    says about them (e.g. "not registered") must leave them out."""
    spec = next((s for s in discover_datasets(root) if s.id == dataset_id), None)
    name = derived_name(spec) if spec is not None else None
    return derived_from(name, root) - {dataset_id} if name else set()


def derived_from(name: str, root: Path) -> set[str]:
    """The ids of the project's datasets derived by ``name`` or a deriver after it."""
    order = list(DERIVED_SOURCES)
    return {spec.id for spec in discover_datasets(root)
            if spec.source.get("derived") in order[order.index(name):]}
