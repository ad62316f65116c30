"""Services stopped for real mid-run: clear, fast outcomes.

Each case runs `senate-catalog run kpi-2-3-ita` as the operator does (a subprocess, on the
session's stack instance, outputs in a temporary folder, the dataset named so nothing else is
touched) and stops one service of that stack as soon as the run starts validating:

    search service   killed (connection refused)    exit 3, the search service named
    CKAN             SIGSTOP (it hangs)             exit 3, CKAN named, after the retries
    Prefect server   SIGSTOP (it hangs)             exit 3 within 30 s, the server named and
                                                    how to start it, the summary printed
    Prefect server   SIGSTOP before the run         a temporary server instead, exit 0

Every case checks the exit code, the message, that no traceback reaches the terminal and that
the duration is bounded; the stopped service is restored in a ``finally`` whatever happens.
Before each run the dataset is edited in the catalog by hand, so the run has to write (a
dataset the catalog lacks is created, then purged). A token CKAN does not accept is exit 2
before Prefect starts.

They stop services of the instance the session uses: `make test` runs them on the `test`
stack, serially; by hand, run them on the demo stack (SENATE_STACK_INSTANCE=demo).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import ckanapi
import pytest
from click.testing import CliRunner

from flows import stack
from flows.cli import cli
from flows.settings import PROJECT_ROOT, read_secret_file
from flows.stack import ckan, prefect_server, search
from flows.stack.paths import StackPaths
from tests.pipelines.flow_helpers import FOREIGN_SETTINGS

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DATASET = "kpi-2-3-ita"
#: The line after which the fault is caused: the flow is running, the catalog was checked and
#: the organisation ensured, and the dataset's validation (seconds) comes before its publish.
STARTED = f"{DATASET}: validating and describing"
#: The longest a faulty run may take before the test gives up on it.
HARD_LIMIT = 300


@dataclass
class FaultyRun:
    exit_code: int
    output: str
    seconds_after_fault: float


@pytest.fixture
def local_stack(stack_settings, catalog_settings) -> StackPaths:
    if catalog_settings.url != stack_settings.ckan_url:
        pytest.skip("the fault tests stop the local stack's services")
    return StackPaths(stack_settings)


@pytest.fixture
def must_write(ckan_admin, created_datasets) -> Iterator[None]:
    """Make the run write: edit the dataset in the catalog (the run restores it), or let the
    run create it (then purge it)."""
    try:
        shown = ckan_admin.call("package_show", id=DATASET)
    except ckanapi.NotFound:
        created_datasets.append(DATASET)
        yield
        return
    ckan_admin.call("package_patch", id=DATASET, notes=f"{shown['notes']} (edited by hand)")
    yield
    _wait_until_answering(ckan_admin)
    ckan_admin.call("package_patch", id=DATASET, notes=shown["notes"])


def _wait_until_answering(client, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            client.call("package_search", rows=0)
            return
        except Exception:  # noqa: BLE001 - still coming back
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def _operator_environment(stack_settings, **extra: str) -> dict[str, str]:
    """The operator's shell on the session's instance: no harness Prefect, no foreign CKAN."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("PREFECT_") and name not in FOREIGN_SETTINGS}
    return {**env, "SENATE_STACK_INSTANCE": stack_settings.instance, "PYTHONUNBUFFERED": "1",
            **extra}


def _run_with_fault(env: dict[str, str], out: Path, fault: Callable[[], None]) -> FaultyRun:
    """`senate-catalog run DATASET`; ``fault()`` as soon as it starts validating."""
    process = subprocess.Popen([sys.executable, "-m", "flows", "run", DATASET, "--no-ingest",
                                "--out", str(out)], cwd=PROJECT_ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    watchdog = threading.Timer(HARD_LIMIT, process.kill)
    watchdog.start()
    lines: list[str] = []
    faulted_at: float | None = None
    try:
        for line in process.stdout:   # type: ignore[union-attr]
            lines.append(line)
            if faulted_at is None and STARTED in line:
                fault()
                faulted_at = time.monotonic()
        exit_code = process.wait()
    finally:
        watchdog.cancel()
    assert faulted_at is not None, "the run never started validating:\n" + "".join(lines)
    return FaultyRun(exit_code, "".join(lines), time.monotonic() - faulted_at)


def _error_line(run: FaultyRun) -> str:
    assert "Traceback" not in run.output, run.output
    errors = [line for line in run.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, run.output
    return errors[0]


def _summary_row(run: FaultyRun) -> list[str]:
    [row] = [line for line in run.output.splitlines() if line.startswith(f"{DATASET} ")]
    return row.split()


def test_search_service_stopped_mid_run_is_exit_3_naming_it(local_stack, stack_settings,
                                                             must_write, ckan_admin,
                                                             tmp_path) -> None:
    pid = search.running_pid(local_stack)
    assert pid is not None, "the search service is not running"
    env = _operator_environment(stack_settings, SENATE_PUBLISH_RETRIES="1")
    try:
        run = _run_with_fault(env, tmp_path / "out", lambda: os.kill(pid, signal.SIGTERM))
    finally:
        stack.up(stack_settings, echo=lambda _line: None)   # starts the search service again
        _wait_until_answering(ckan_admin)
    assert run.exit_code == 3, run.output
    error = _error_line(run)
    assert error.startswith("Error: CKAN's search service does not work: CKAN at "
                            f"{stack_settings.ckan_url} answered ")
    assert f"(search service at http://{stack_settings.host}:{stack_settings.ports['search']}" \
           "/solr/ckan: connection refused)" in error
    assert _summary_row(run)[1] == "failed"
    # The client retried (1 s), Prefect retried the publish once (20 s): then it stops.
    assert run.seconds_after_fault < 90
    # CKAN logged the failed index calls, naming the search URL: never with its password.
    password = json.loads(read_secret_file(local_stack.secrets))["search_password"].encode()
    ckan_log = local_stack.logfile(ckan.SERVICE).read_bytes()
    assert b"Solr returned an error" in ckan_log   # the failure was logged ...
    assert password not in ckan_log                # ... without the credentials


def test_ckan_hanging_mid_run_is_exit_3_naming_it_after_the_retries(local_stack, stack_settings,
                                                                    must_write, ckan_admin,
                                                                    tmp_path) -> None:
    pid = ckan.running_pid(local_stack)
    assert pid is not None, "CKAN is not running"
    env = _operator_environment(stack_settings, SENATE_PUBLISH_RETRIES="1",
                                SENATE_CKAN_TIMEOUT="3")
    stopped: list[int] = []
    # The whole process group (the stack starts each service in its own session): gunicorn's
    # workers would go on answering while only their master is stopped.
    try:
        run = _run_with_fault(env, tmp_path / "out",
                              lambda: (os.killpg(pid, signal.SIGSTOP), stopped.append(pid)))
    finally:
        for each in stopped:
            os.killpg(each, signal.SIGCONT)
        _wait_until_answering(ckan_admin)
    assert run.exit_code == 3, run.output
    assert _error_line(run).startswith(
        f"Error: CKAN at {stack_settings.ckan_url} did not answer ")
    assert "in time (ReadTimeout after 3 s)" in run.output
    assert _summary_row(run)[1] == "failed"
    # Two attempts of 3 s (+2 s asking status_show) twice (Prefect's retry after 20 s).
    assert run.seconds_after_fault < 90


def test_prefect_server_hanging_mid_run_fails_within_30_s_with_the_summary(
        local_stack, stack_settings, must_write, ckan_admin, tmp_path) -> None:
    pid = prefect_server.running_pid(local_stack)
    assert pid is not None, "the stack's Prefect server is not running"
    stopped: list[int] = []
    try:
        run = _run_with_fault(_operator_environment(stack_settings), tmp_path / "out",
                              lambda: (os.kill(pid, signal.SIGSTOP), stopped.append(pid)))
    finally:
        for each in stopped:
            os.kill(each, signal.SIGCONT)
    assert run.exit_code == 3, run.output
    api = stack_settings.prefect_api_url
    assert _error_line(run).startswith(f"Error: the Prefect server at {api} does not answer (")
    assert "start it (the local stack's: `senate-catalog stack up`" in _error_line(run)
    row = _summary_row(run)
    assert row[1] == "failed" and "Prefect server" in " ".join(row)   # the table, from records
    assert run.seconds_after_fault < 30


def test_prefect_server_stopped_before_the_run_falls_back_to_a_temporary_one(
        local_stack, stack_settings, must_write, tmp_path) -> None:
    pid = prefect_server.running_pid(local_stack)
    assert pid is not None, "the stack's Prefect server is not running"
    os.kill(pid, signal.SIGSTOP)
    # Stopped in the middle of a write, the server would hold its database's lock: hold it for
    # it, every time, so a temporary server that used that database could not start.
    database = sqlite3.connect(stack_settings.prefect_home / "prefect.db", timeout=30)
    try:
        database.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "flows", "run", DATASET, "--no-ingest",
                               "--out", str(tmp_path / "out")], cwd=PROJECT_ROOT, text=True,
                              env=_operator_environment(stack_settings), timeout=HARD_LIMIT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        took = time.monotonic() - started
    finally:
        database.close()
        os.kill(pid, signal.SIGCONT)
    assert done.returncode == 0, done.stdout
    assert (f"Prefect server not running at {stack_settings.prefect_api_url}; using a "
            "temporary one (start it with `senate-catalog stack up`)") in done.stdout
    assert "Traceback" not in done.stdout and _summary_row(
        FaultyRun(0, done.stdout, 0))[1] == "published"
    assert took < 120   # a temporary server starts in ~20 s on a slow machine


@pytest.mark.parametrize("command", ["run", "plan"])
def test_a_token_ckan_does_not_accept_is_exit_2_before_anything_runs(catalog_settings,
                                                                     tmp_path,
                                                                     command) -> None:
    saved = dict(os.environ)
    env = {name: None for name in FOREIGN_SETTINGS}
    env.update(CKAN_URL=catalog_settings.url, CKAN_API_TOKEN="not-a-token-of-this-catalog",
               SENATE_OUT_DIR=str(tmp_path / "out"))
    try:
        started = time.monotonic()
        result = CliRunner().invoke(cli, [command, DATASET], env=env)
        took = time.monotonic() - started
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Prefect" not in result.output
    assert result.output.startswith(
        f"Error: the API token in CKAN_API_TOKEN is not valid for {catalog_settings.url} "
        "(CKAN treats it as an anonymous visitor)")
    assert took < 15
