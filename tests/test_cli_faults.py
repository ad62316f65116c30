"""Expected failures of `run` and `plan` are one line and the right exit code, never a
traceback, and they come before Prefect starts.

An unknown group or a bad --today is a usage error (exit 2); a catalog that does not answer is
exit 3, naming it; a Prefect server named by PREFECT_API_URL that does not answer is exit 3,
naming it and how to start it. A token CKAN does not accept needs a real CKAN:
tests/integration/test_service_faults.py.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
from click.testing import CliRunner, Result

import flows.catalog.preflight
from flows.cli import cli

CLOSED = "http://127.0.0.1:1"
DATASET = "senate-units"


@pytest.fixture
def invoke(tmp_path: Path) -> Iterator[Callable[..., Result]]:
    """The CLI in this process, on a closed catalog, outputs in tmp_path; `run` writes
    PREFECT_* into os.environ: the environment is restored afterwards."""
    saved = dict(os.environ)
    base = {"CKAN_URL": CLOSED, "CKAN_API_TOKEN": "a-token-nobody-checks",
            "SENATE_OUT_DIR": str(tmp_path / "out"), "SENATE_PUBLISH_RETRIES": "0",
            "SENATE_CONFIG": "", "CKAN_API_TOKEN_FILE": ""}

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), env={**base, **(env or {})})

    yield run
    os.environ.clear()
    os.environ.update(saved)


def _one_error_line(result: Result) -> str:
    assert "Traceback" not in result.output, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    return errors[0]


def test_an_unknown_group_is_exit_2_naming_the_known_groups(invoke) -> None:
    result = invoke("run", "--group", "nosuchgroup")
    assert result.exit_code == 2, result.output
    assert _one_error_line(result) == (
        "Error: unknown group 'nosuchgroup' (--group); known groups: legislation, senators, "
        "performance, data-governance (catalog_config/organization.yaml)")


def test_a_bad_today_is_exit_2_before_anything_runs(invoke) -> None:
    result = invoke("run", DATASET, "--today", "2024-13-45")
    assert result.exit_code == 2, result.output
    assert _one_error_line(result) == ("Error: --today '2024-13-45' is not an ISO date "
                                       "(YYYY-MM-DD: a Gregorian year in ASCII digits)")


def test_an_unknown_dataset_is_exit_2(invoke) -> None:
    result = invoke("run", "nosuch")
    assert result.exit_code == 2, result.output
    assert _one_error_line(result).startswith(
        "Error: no dataset 'nosuch': ") and "(known: " in result.output


@pytest.mark.parametrize("command", ["run", "plan"])
def test_an_unreachable_catalog_is_exit_3_at_once_without_prefect(invoke, command) -> None:
    started = time.monotonic()
    result = invoke(command, DATASET)
    took = time.monotonic() - started
    assert result.exit_code == 3, result.output
    assert _one_error_line(result) == (
        f"Error: cannot reach CKAN at {CLOSED} (ConnectionError); is the catalog up? try "
        "`senate-catalog stack status`")
    assert "Prefect" not in result.output and took < 15


def test_a_prefect_server_that_does_not_answer_is_exit_3_naming_it(invoke, monkeypatch) -> None:
    # The catalog check is passed at our own seam: this case is about the Prefect server.
    monkeypatch.setattr(flows.catalog.preflight, "check_pipeline_catalog",
                        lambda config, root: {"name": "senate_admin"})
    started = time.monotonic()
    result = invoke("run", DATASET, env={"PREFECT_API_URL": "http://127.0.0.1:1/api"})
    assert result.exit_code == 3, result.output
    assert _one_error_line(result) == (
        "Error: the Prefect server at http://127.0.0.1:1/api does not answer (its /health does "
        "not answer); start it (the local stack's: `senate-catalog stack up`, its log in "
        ".stack/<instance>/prefect/), or point PREFECT_API_URL at a server that runs, then run "
        "again")
    assert time.monotonic() - started < 30
