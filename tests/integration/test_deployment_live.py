"""The schedules for real: the stack's Prefect server, `senate-catalog deploy`, a process worker,
and a deployment run scheduled for now that completes against the local catalog.

Talks to Prefect over its REST API (as the UI does), so nothing here depends on in-process
Prefect settings; the worker and the flow run in their own processes, like in production.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests

from flows.settings import PROJECT_ROOT, prefect_environment
from flows.stack import prefect_server

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "flows"]
DEPLOYMENTS = {"legislative-daily": ("0 2 * * *", ["legislation", "senators"]),
               "kpi-evidence-weekly": ("0 3 * * 1", ["performance", "data-governance"])}


@pytest.fixture(scope="module")
def prefect_env(stack_settings, catalog_settings, tmp_path_factory):
    if not prefect_server.answers(stack_settings.prefect_api_url):
        message = f"no Prefect server at {stack_settings.prefect_api_url}; run `make test`"
        if os.environ.get("SENATE_REQUIRE_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("PREFECT_")}
    environment.update(prefect_environment(stack_settings, environment))
    environment["SENATE_OUT_DIR"] = str(tmp_path_factory.mktemp("deployment-out"))
    return environment


@pytest.fixture(scope="module")
def deployed(prefect_env):
    done = subprocess.run([*CLI, "deploy"], cwd=PROJECT_ROOT, env=prefect_env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _api(environment: dict[str, str]) -> str:
    return environment["PREFECT_API_URL"]


def _call(method: str, url: str, **kwargs) -> requests.Response:
    """One API call, resent on 503: right after `deploy` the server's scheduler fills its
    SQLite database with upcoming runs and answers 503 while it is locked (Prefect's own
    client retries these too)."""
    for _ in range(30):
        response = requests.request(method, url, timeout=30, **kwargs)
        if response.status_code != 503:
            response.raise_for_status()
            return response
        time.sleep(1)
    response.raise_for_status()
    return response


def _deployment(environment: dict[str, str], name: str) -> dict:
    found = _call("POST", f"{_api(environment)}/deployments/filter",
                  json={"deployments": {"name": {"any_": [name]}}})
    [deployment] = found.json()
    return deployment


def test_deploy_applies_every_schedule_in_bangkok_time(deployed, prefect_env) -> None:
    for name, (cron, groups) in DEPLOYMENTS.items():
        assert f"senate-catalog/{name}" in deployed
        deployment = _deployment(prefect_env, name)
        [schedule] = deployment["schedules"]
        assert schedule["schedule"]["cron"] == cron
        assert schedule["schedule"]["timezone"] == "Asia/Bangkok"
        assert schedule["active"] is True
        assert deployment["parameters"] == {"groups": groups}
        assert deployment["work_pool_name"] == "senate-catalog"
        # The worker runs the flow from this checkout.
        [pull] = deployment["pull_steps"]
        assert Path(pull["prefect.deployments.steps.set_working_directory"]["directory"]) \
            == PROJECT_ROOT


def test_a_run_scheduled_now_is_picked_up_by_a_worker_and_publishes(deployed, prefect_env,
                                                                     ckan_admin) -> None:
    deployment = _deployment(prefect_env, "legislative-daily")
    now = datetime.now(timezone.utc).isoformat()
    created = _call(
        "POST", f"{_api(prefect_env)}/deployments/{deployment['id']}/create_flow_run",
        json={"parameters": {"dataset_ids": ["senate-votes"], "ingest_sources": False},
              "state": {"type": "SCHEDULED", "state_details": {"scheduled_time": now}}})
    run_id = created.json()["id"]

    started = time.monotonic()
    worker = subprocess.run([*CLI, "worker", "--run-once"], cwd=PROJECT_ROOT, env=prefect_env,
                            capture_output=True, text=True, timeout=600)
    state = _call("GET", f"{_api(prefect_env)}/flow_runs/{run_id}").json()["state"]
    assert state["type"] == "COMPLETED", (state, worker.stdout[-3000:], worker.stderr[-3000:])
    assert time.monotonic() - started < 600

    # The run wrote its record (same run id) and the dataset is in the catalog.
    history = Path(prefect_env["SENATE_OUT_DIR"]) / "runs" / "history.jsonl"
    records = [json.loads(line) for line in history.read_text(encoding="utf-8").splitlines()]
    [record] = [r for r in records if r["run_id"] == run_id]
    assert record["dataset"] == "senate-votes"
    assert record["status"] in ("published", "unchanged")
    [entry] = record["catalog"]["datasets"]
    shown = ckan_admin.call("package_show", id="senate-votes")
    assert shown["id"] == entry["id"]
    assert "quality-history" in {r.get("senate_kind") for r in shown["resources"]}
