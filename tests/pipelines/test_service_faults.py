"""A service that stops answering stops the run's work on it at once, and every dataset still
gets a run record saying why (so the CLI can always print its summary).

On the fake catalog at our own seam: the Prefect server lost mid-run (an ``OrchestrationError``
from the publish step) and the catalog's search service failing before the first dataset. The
real services stopped for real: tests/integration/test_service_faults.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from flows import records
from flows.catalog.client import CatalogSearchError
from flows.catalog.retry import RetryPolicy
from flows.errors import OrchestrationError
from flows.orchestrate.plan_or_run import RunOptions, Steps, run_pipeline, select_datasets
from flows.datasets import run_order
from flows.orchestrate.outcome import RunInfo
from tests.catalog.fake_catalog import FakeCatalog
from tests.integration.publish_helpers import copy_project

TODAY = date(2026, 11, 28)
UNITS, ITA = "senate-units", "kpi-2-3-ita"
LOST = "the Prefect server at http://127.0.0.1:1/api does not answer (ConnectError); start it"


class _PrefectGoesAway(Steps):
    """Plain steps, but the server the run reports to is gone by the first publish."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)   # one at a time: the second is built after the loss
        self.registered: list[str] = []

    def register(self, client, name, decision, **kwargs: Any):
        self.registered.append(name)
        raise OrchestrationError(LOST)


class _SearchDown(FakeCatalog):
    def call(self, action: str, **data: Any) -> Any:
        if action == "organization_show":
            raise CatalogSearchError("CKAN's search service does not work: CKAN at "
                                     "http://catalog.test answered organization_show with "
                                     "'Search Connection Error'")
        return super().call(action, **data)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", [UNITS, ITA])


def _run(project: Path, out: Path, client, steps: Steps | None = None):
    specs = run_order(list(select_datasets(project, [UNITS, ITA]).values()))
    options = RunOptions(root=project, out_dir=out, today=TODAY,
                         catalog_url="http://catalog.test", retry=RetryPolicy(retries=0),
                         ingest=False, orphan_groups=())
    run = RunInfo(run_id="run-1", run_name="run-1", today=TODAY,
                  catalog_url="http://catalog.test", root=project)
    outcomes = run_pipeline(specs, options=options, client=client, run=run, history=[],
                            steps=steps)
    written = records.read_history(records.history_path(out)).records
    return {o.dataset: o for o in outcomes}, {r["dataset"]: r for r in written}


def test_a_lost_prefect_server_fails_the_dataset_at_hand_and_skips_the_rest(
        project: Path, tmp_path: Path) -> None:
    steps = _PrefectGoesAway()
    outcomes, written = _run(project, tmp_path / "out", FakeCatalog(), steps)
    first, second = run_order(list(select_datasets(project, [UNITS, ITA]).values()))
    assert steps.registered == [first.id]            # the second is never tried
    assert outcomes[first.id].reason == LOST
    assert outcomes[second.id].reason == f"not tried: {LOST}"
    assert outcomes[second.id].prepared is None       # not even validated: fail fast
    assert {name: record["status"] for name, record in written.items()} == {
        UNITS: "failed", ITA: "failed"}                # the summary can be printed from these


def test_a_search_service_down_before_the_first_dataset_names_it_on_every_record(
        project: Path, tmp_path: Path) -> None:
    outcomes, written = _run(project, tmp_path / "out", _SearchDown())
    for dataset in (UNITS, ITA):
        assert outcomes[dataset].catalog_unreachable     # exit 3
        assert written[dataset]["catalog"]["unreachable"] is True
        assert written[dataset]["reason"] == (
            "not tried, the catalog failed earlier in this run: CKAN's search service does "
            "not work: CKAN at http://catalog.test answered organization_show with "
            "'Search Connection Error'")
        assert outcomes[dataset].result is not None     # validated all the same: reports exist
