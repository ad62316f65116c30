"""The flow's datasets in parallel, on threads and on a Dask cluster, against the real test CKAN.

A generated project (flows.benchmark_scale_project: a code list and datasets, a third of them
with a foreign key to it) in an organisation of its own:

- threads, 4 workers, cold: every dataset published; history.jsonl holds one whole, valid record
  per dataset (written by the run's one writer while the workers published);
- the same project from scratch (catalog purged, new output folder: nothing cached) on a local
  Dask cluster of 2 worker processes: the same outcomes and the same records (statuses,
  verdicts, counts, the inputs' hashes, the catalog calls that wrote);
- Dask again, nothing changed: every validation from the cache, nothing written;
- the code list changed: every dataset that references it validated again, and only those.
"""

from __future__ import annotations

import json
import shutil
import uuid
from typing import Any, Iterator

import ckanapi
import pytest

from flows.benchmark_scale_project import ScaleProject, change_code_list, make_project
from flows.catalog import CatalogClient
from flows.records import REQUIRED_KEYS
from tests.pipelines.flow_helpers import run_flow

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TODAY = "2026-11-28"
_SUFFIX = uuid.uuid4().hex[:6]
#: What must be equal between two runs of the same datasets (ids and times aside).
COMPARED = ("status", "reason")


@pytest.fixture(scope="module")
def project(tmp_path_factory, admin: CatalogClient) -> Iterator[ScaleProject]:
    generated = make_project(tmp_path_factory.mktemp("parallel") / "project", 7, rows=(50, 200),
                             organization=f"zz-parallel-{_SUFFIX}", prefix=f"zz-p{_SUFFIX}")
    yield generated
    _purge(admin, generated)
    try:
        admin.call("organization_purge", id=f"zz-parallel-{_SUFFIX}")
    except ckanapi.NotFound:
        pass


def _purge(admin: CatalogClient, project: ScaleProject) -> None:
    for name in project.datasets:
        try:
            admin.call("dataset_purge", id=name)
        except ckanapi.NotFound:
            pass


def _run(project: ScaleProject, *, runner: str, workers: int) -> dict[str, dict[str, Any]]:
    env = {"SENATE_TASK_RUNNER": runner, "SENATE_MAX_WORKERS": str(workers)}
    state, _run_id, records = run_flow(project.root, env=env, ingest_sources=False,
                                       today=TODAY)
    assert state.is_completed(), state.message
    assert sorted(records) == sorted(project.datasets)
    return records


@pytest.fixture(scope="module")
def threads(project: ScaleProject, admin) -> dict[str, dict[str, Any]]:
    return _run(project, runner="threads", workers=4)


@pytest.fixture(scope="module")
def dask_cold(threads, project: ScaleProject, admin) -> dict[str, dict[str, Any]]:
    _purge(admin, project)
    out = project.root / "out"
    shutil.move(out, project.root / "out-threads")   # a new output folder: nothing cached
    return _run(project, runner="dask", workers=2)


@pytest.fixture(scope="module")
def dask_warm(dask_cold, project: ScaleProject) -> dict[str, dict[str, Any]]:
    return _run(project, runner="dask", workers=2)


def test_threads_publish_every_dataset_with_one_valid_record_each(threads, project):
    assert {r["status"] for r in threads.values()} == {"published"}
    lines = (project.root / "out" / "runs" / "history.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == len(project.datasets)   # one writer: no line lost, none interleaved
    for line in lines:
        record = json.loads(line)
        assert set(REQUIRED_KEYS) <= set(record)
        assert record["catalog"]["write_calls"] > 0


def test_dask_gives_the_same_outcomes_and_records_as_threads(threads, dask_cold):
    for dataset, record in threads.items():
        other = dask_cold[dataset]
        assert {k: other[k] for k in COMPARED} == {k: record[k] for k in COMPARED}, dataset
        assert other["validation"] | {"validated_at": None} == \
            record["validation"] | {"validated_at": None}, dataset
        assert other["inputs"] == record["inputs"], dataset
        assert sorted(other["catalog"]["write_actions"]) == \
            sorted(record["catalog"]["write_actions"]), dataset
        assert other["run_id"] != record["run_id"]


def test_dask_warm_run_reads_every_validation_from_the_cache_and_writes_nothing(dask_warm):
    assert {r["status"] for r in dask_warm.values()} == {"unchanged"}
    assert all(r["validation"]["cached"] for r in dask_warm.values())
    assert sum(r["catalog"].get("write_calls") or 0 for r in dask_warm.values()) == 0


def test_a_changed_code_list_revalidates_exactly_its_dependents(dask_warm, project):
    expected = set(change_code_list(project))
    records = _run(project, runner="threads", workers=3)
    validated = {d for d, r in records.items() if not r["validation"]["cached"]}
    assert validated == expected
    assert project.dependents   # the generated project has some
