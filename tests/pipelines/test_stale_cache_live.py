"""No stale results: a dataset's cached validation is not reused when a dataset its code list
references changes, even when that dataset is not part of the run (no stale results).

The issue's case, through the real flow and the test CKAN: `run kpi-2-3-ita`, then a row leaves
senate-units (the code list of kpi-2-3-ita's agency names), then `run kpi-2-3-ita` again. The
second run must validate again, find the broken reference and hold the dataset, instead of
"unchanged, pass, cache yes". Putting the row back brings the first result back from the cache.

kpi-2-3-ita runs under a unique id and title (its files, its rules), so the test never touches
another test's records; senate-units is never published (it is not in any run).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Iterator

import ckanapi
import pytest

from flows.catalog import CatalogClient
from tests.integration.publish_helpers import copy_project
from tests.pipelines.flow_helpers import run_flow
from tests.pipelines.test_catalog_flow_live import _clone

pytestmark = pytest.mark.integration

TODAY = "2026-11-28"
ITA = f"zz-ita-{uuid.uuid4().hex[:8]}"      # kpi-2-3-ita under a name of its own
REMOVED_UNIT = "HOR"                         # the House secretariat: a row of kpi-2-3-ita


@pytest.fixture(scope="module")
def runs(tmp_path_factory, admin: CatalogClient) -> Iterator[list[dict[str, Any]]]:
    """Three runs of the ITA dataset alone: as committed, after the unit's row left
    senate-units, after it came back. Each item: that run's record of the dataset."""
    root = copy_project(tmp_path_factory.mktemp("stale-project"), ["senate-units", "kpi-2-3-ita"])
    _clone(root, "kpi-2-3-ita", ITA)
    units = root / "datasets" / "senate-units" / "senate-units.csv"
    committed = units.read_bytes()
    try:
        records = [_run(root)]
        units.write_bytes(b"".join(line for line in committed.splitlines(keepends=True)
                                   if not line.startswith(f"{REMOVED_UNIT},".encode())))
        records.append(_run(root))
        units.write_bytes(committed)
        records.append(_run(root))
        yield records
    finally:
        for name in (ITA, f"{ITA}-internal"):
            try:
                admin.call("dataset_purge", id=name)
            except ckanapi.NotFound:
                pass


def _run(root: Path) -> dict[str, Any]:
    _, _, records = run_flow(root, dataset_ids=[ITA], today=TODAY, ingest_sources=False)
    assert set(records) == {ITA}, "only the named dataset runs"
    return records[ITA]


def test_the_committed_data_pass_and_are_published(runs) -> None:
    first = runs[0]
    assert (first["status"], first["validation"]["verdict"]) == ("published", "pass")
    assert first["validation"]["errors"] == 0


def test_a_row_gone_from_the_code_list_is_found_though_it_is_not_in_the_run(runs) -> None:
    first, second = runs[0], runs[1]
    assert second["inputs"]["references_sha256"] != first["inputs"]["references_sha256"]
    assert second["inputs"]["source_sha256"] == first["inputs"]["source_sha256"]
    assert second["validation"]["cached"] is False          # validated again, not reused
    assert second["validation"]["errors"] > 0
    assert second["status"] == "held", second["reason"]     # not "unchanged"


def test_the_row_back_brings_the_first_result_back_from_the_cache(runs) -> None:
    first, third = runs[0], runs[2]
    assert third["inputs"]["input_hash"] == first["inputs"]["input_hash"]
    assert third["validation"]["cached"] is True
    assert (third["validation"]["errors"], third["validation"]["verdict"]) == (0, "pass")
    assert third["status"] in ("published", "unchanged")
