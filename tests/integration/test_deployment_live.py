"""The schedules for real: `senate-catalog deploy` applies prefect.yaml to the stack's Prefect
server, every schedule in Bangkok time. The deployments are deleted afterwards, so the stack's
worker never starts one of their scheduled runs during the test session.

That worker running a scheduled run to completion: tests/pipelines/test_schedule_worker.py.
Talks to Prefect over its REST API (as the UI does), so nothing here depends on in-process
Prefect settings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from flows.config import prefect_environment
from flows.settings import PROJECT_ROOT
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
    yield done.stdout
    for name in DEPLOYMENTS:
        _call("DELETE", f"{_api(prefect_env)}/deployments/{_deployment(prefect_env, name)['id']}")


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
