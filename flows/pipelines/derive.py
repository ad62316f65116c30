"""Derived datasets: CSVs the pipeline computes from other datasets and from its own run records
(the KPI scorecard, KPI 1.3's conditions). They are written just before they are validated, then
validated, described and published like any dataset.

``metadata/<id>.yaml`` declares ``source: {derived: <name>}``; ``DERIVERS`` maps the name to a
function ``(spec, context) -> [ExtraFile]`` that writes ``datasets/<id>/<id>.csv`` (git-ignored:
generated state) and returns the extra files to register with the dataset (e.g. an HTML page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence

from flows.datasets import DatasetSpec
from flows.errors import ConfigError


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


Deriver = Callable[[DatasetSpec, DeriveContext], list[ExtraFile]]


def _scorecard(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    from flows.kpi.derived import derive_scorecard
    return derive_scorecard(spec, context)


def _conditions(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    from flows.kpi.derived import derive_conditions
    return derive_conditions(spec, context)


#: In run order: the conditions and the KPI 1.3 report come last, as they report on the rest.
DERIVERS: dict[str, Deriver] = {"kpi/scorecard": _scorecard, "kpi/conditions": _conditions}


def derived_name(spec: DatasetSpec) -> str | None:
    """The deriver a dataset declares, or None for a dataset read from its source."""
    name = spec.source.get("derived")
    if name is not None and name not in DERIVERS:
        raise ConfigError(f"metadata/{spec.id}.yaml: source.derived {name!r} is unknown; "
                          f"use one of {', '.join(DERIVERS)}")
    return name


def derive(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    """Write the derived dataset's CSV; the extra files to register with it."""
    name = derived_name(spec)
    if name is None:
        return []
    return DERIVERS[name](spec, context)


def run_order(specs: Sequence[DatasetSpec]) -> list[DatasetSpec]:
    """Datasets read from sources first (by id), then derived ones in ``DERIVERS`` order."""
    order = list(DERIVERS)
    return sorted(specs, key=lambda spec: (derived_name(spec) is not None,
                                           order.index(derived_name(spec))
                                           if derived_name(spec) else 0, spec.id))
