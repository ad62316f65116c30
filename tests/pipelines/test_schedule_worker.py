"""The stack's own Prefect worker runs a scheduled flow run by itself.

`stack up` (here: the one `make test` runs) starts a process worker on the `senate-catalog` pool.
This test starts no worker: it creates a deployment of the real catalog flow for one small
dataset, schedules one run a minute ahead through the API, and waits for the stack's worker to
pick it up when it falls due and run it to Completed, with its run record in the worker's
output folder. The deployment is deleted afterwards, whatever the outcome, and on the test
stack the dataset the run published is purged (as every live module does).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Iterator

import pytest

from flows.pipelines.deployments import FLOW_NAME, WORK_POOL
from flows.records import history_path
from flows.settings import PROJECT_ROOT, StackSettings
from flows.stack import prefect_server, prefect_worker
from flows.stack.paths import StackPaths
from tests.integration.publish_helpers import purge_test_datasets

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DATASET = "kpi-2-3-ita"          # 5 rows, no raw source to convert
AHEAD = timedelta(seconds=60)    # the run falls due after the worker has polled a few times
TIMEOUT = 240.0                  # seconds from now until the run must be final


@pytest.fixture(scope="module")
def stack_worker(stack_settings: StackSettings, catalog_settings) -> int:
    """The PID of the stack's worker; without a Prefect server and worker: skip, or fail
    under SENATE_REQUIRE_STACK=1."""
    paths = StackPaths(stack_settings)
    pid = prefect_worker.running_pid(paths)
    if pid is None or not prefect_server.answers(stack_settings.prefect_api_url):
        message = (f"no Prefect server and worker of the '{stack_settings.instance}' stack; "
                   "run `make test` or `senate-catalog stack up`")
        if os.environ.get("SENATE_REQUIRE_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return pid


@pytest.fixture
def client(stack_settings: StackSettings) -> Iterator[object]:
    """Prefect's client on the stack's server (not this process's Prefect settings)."""
    from prefect.client.orchestration import SyncPrefectClient

    with SyncPrefectClient(stack_settings.prefect_api_url) as prefect_client:
        yield prefect_client


@pytest.fixture
def deployment_id(client, stack_worker: int) -> Iterator[object]:
    """A deployment of the catalog flow on the worker's pool, for one dataset; deleted after
    (with it go any runs of it still scheduled)."""
    flow_id = client.create_flow_from_name(FLOW_NAME)
    created = client.create_deployment(
        flow_id=flow_id, name=f"zz-schedule-{uuid.uuid4().hex[:10]}",
        work_pool_name=WORK_POOL, entrypoint="flows/pipelines/catalog_flow.py:catalog_flow",
        path=str(PROJECT_ROOT), parameters={"dataset_ids": [DATASET], "ingest_sources": False},
        # What `prefect deploy` records for prefect.yaml: run from this checkout.
        pull_steps=[{"prefect.deployments.steps.set_working_directory":
                     {"directory": str(PROJECT_ROOT)}}],
        tags=["senate-catalog", "test"])
    try:
        yield created
    finally:
        client.delete_deployment(created)


@pytest.fixture
def purged_after(catalog_settings, stack_settings: StackSettings) -> Iterator[None]:
    try:
        yield
    finally:
        purge_test_datasets(catalog_settings, stack_settings, [DATASET])


def test_the_stack_worker_runs_a_scheduled_run_by_itself(client, deployment_id, purged_after,
                                                         stack_settings: StackSettings,
                                                         stack_worker: int) -> None:
    from prefect.states import Scheduled

    due = datetime.now(timezone.utc) + AHEAD
    run = client.create_flow_run_from_deployment(
        deployment_id, state=Scheduled(scheduled_time=due))
    assert run.state.is_scheduled()

    run = _wait_until_final(client, run.id, deadline=time.monotonic() + TIMEOUT)
    log = prefect_worker.logfile(StackPaths(stack_settings))
    assert run.state.is_completed(), (run.state, log.read_text(errors="replace")[-3000:])
    # Started by the worker when due, not before (the worker looks ahead only 10 s).
    assert run.start_time >= due - timedelta(seconds=15)
    # The same worker the stack started is still there: nothing in the test stood in for it.
    assert prefect_worker.running_pid(StackPaths(stack_settings)) == stack_worker

    out_dir = prefect_worker.out_dir(stack_settings, {})
    records = [json.loads(line) for line in
               history_path(out_dir).read_text(encoding="utf-8").splitlines() if line.strip()]
    [record] = [r for r in records if r.get("run_id") == str(run.id)]
    assert record["dataset"] == DATASET
    assert record["status"] in ("published", "unchanged")


def _wait_until_final(client, run_id, *, deadline: float):
    while True:
        run = client.read_flow_run(run_id)
        if run.state.is_final() or time.monotonic() > deadline:
            return run
        time.sleep(3)
