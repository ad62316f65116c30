"""Derived datasets: CSVs the pipeline computes from other datasets and from its own run records
(KPI 1.3's conditions, the KPI scorecard, the public data dictionary). They are written just
before they are validated, then validated, described and published like any dataset.

``metadata/<id>.yaml`` declares ``source: {derived: <name>}``; ``DERIVERS`` maps the name to a
function ``(spec, context) -> [ExtraFile]`` that writes ``datasets/<id>/<id>.csv`` (git-ignored:
generated state) and returns the extra files to register with the dataset (e.g. an HTML page).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence

from flows.datasets import DatasetSpec, discover_datasets
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


def _public_dictionary(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    from flows.describe.dictionary_dataset import derive_public_dictionary
    return derive_public_dictionary(spec, context)


#: In run order: the conditions and the KPI 1.3 report report on the datasets before them; the
#: scorecard comes after the conditions, because it scores KPI 1.3 from them
#: (catalog_config/kpi_evidence_scoring.yaml); the public data dictionary comes last, as it
#: covers every public dataset, the derived ones too.
DERIVERS: dict[str, Deriver] = {"kpi/conditions": _conditions, "kpi/scorecard": _scorecard,
                                "catalog/dictionary": _public_dictionary}


def derived_name(spec: DatasetSpec) -> str | None:
    """The deriver a dataset declares, or None for a dataset read from its source."""
    name = spec.source.get("derived")
    if name is not None and name not in DERIVERS:
        raise ConfigError(f"metadata/{spec.id}.yaml: source.derived {name!r} is unknown; "
                          f"use one of {', '.join(DERIVERS)}")
    return name


def derive(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    """Write the derived dataset's CSV; the extra files to register with it.

    The deriver sees the run records of the datasets that run before it only: not its own, and
    not those of datasets derived after it (in ``DERIVERS`` order). Otherwise two derived
    datasets that report on each other (the KPI 1.3 conditions count the published datasets,
    the data dictionary covers the conditions) would each change on the run after the other
    was published, and a second run with nothing changed would still write.
    """
    name = derived_name(spec)
    if name is None:
        return []
    later = _derived_from(name, context.root) | {spec.id}
    seen = [record for record in context.history if record.get("dataset") not in later]
    return DERIVERS[name](spec, replace(context, history=seen))


def derived_after(dataset_id: str, root: Path) -> set[str]:
    """The ids of the project's datasets derived after ``dataset_id`` (none for a dataset read
    from its source): when it is derived, they have no run record of this run yet, so what it
    says about them (e.g. "not registered") must leave them out."""
    spec = next((s for s in discover_datasets(root) if s.id == dataset_id), None)
    name = derived_name(spec) if spec is not None else None
    return _derived_from(name, root) - {dataset_id} if name else set()


def _derived_from(name: str, root: Path) -> set[str]:
    """The ids of the project's datasets derived by ``name`` or a deriver after it."""
    order = list(DERIVERS)
    return {spec.id for spec in discover_datasets(root)
            if spec.source.get("derived") in order[order.index(name):]}


def run_order(specs: Sequence[DatasetSpec]) -> list[DatasetSpec]:
    """Datasets read from sources first (by id), then derived ones in ``DERIVERS`` order."""
    order = list(DERIVERS)
    return sorted(specs, key=lambda spec: (derived_name(spec) is not None,
                                           order.index(derived_name(spec))
                                           if derived_name(spec) else 0, spec.id))
