"""The derived datasets' writers: each ``source: {derived: <name>}`` of flows.datasets'
``DERIVED_SOURCES`` mapped to the function that writes ``datasets/<id>/<id>.csv`` (git-ignored:
generated state) and returns the extra files to register with the dataset (e.g. an HTML page).
They are written just before they are validated, then validated, described and published like
any dataset.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from flows.datasets import (DatasetSpec, DeriveContext, ExtraFile, derived_from, derived_name)
from flows.dataset_problems import DERIVED_SOURCES
from flows.describe.dictionary_dataset import derive_public_dictionary
from flows.kpi.derived import derive_conditions, derive_scorecard

Deriver = Callable[[DatasetSpec, DeriveContext], list[ExtraFile]]

DERIVERS: dict[str, Deriver] = {"kpi/conditions": derive_conditions,
                                "kpi/scorecard": derive_scorecard,
                                "catalog/dictionary": derive_public_dictionary}
assert tuple(DERIVERS) == DERIVED_SOURCES, "every derived source has one writer, in run order"


def derive(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    """Write the derived dataset's CSV; the extra files to register with it.

    The deriver sees the run records of the datasets that run before it only: not its own, and
    not those of datasets derived after it (in ``DERIVED_SOURCES`` order). Otherwise two derived
    datasets that report on each other (the KPI 1.3 conditions count the published datasets,
    the data dictionary covers the conditions) would each change on the run after the other
    was published, and a second run with nothing changed would still write.
    """
    name = derived_name(spec)
    if name is None:
        return []
    later = derived_from(name, context.root) | {spec.id}
    seen = [record for record in context.history if record.get("dataset") not in later]
    return DERIVERS[name](spec, replace(context, history=seen))
