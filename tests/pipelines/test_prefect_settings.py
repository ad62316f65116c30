"""The CLI applies Prefect's settings through Prefect's settings context, never through the
process environment (flows.pipelines.tracked_run.prefect_settings, flows.config)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.config import load_config
from flows.errors import OrchestrationError
from flows.pipelines.tracked_run import prefect_settings

DEAD = "http://127.0.0.1:1/api"   # nothing listens on port 1


def _config(tmp_path: Path, **env: str):
    return load_config({"SENATE_STACK_DIR": str(tmp_path / "stack"), "SENATE_PREFECT_PORT": "1",
                        "SENATE_OUT_DIR": str(tmp_path / "out"), **env})


def test_the_local_server_down_means_a_temporary_one_in_the_context_only(tmp_path: Path) -> None:
    from prefect.settings import (PREFECT_API_DATABASE_CONNECTION_URL,
                                  PREFECT_API_REQUEST_TIMEOUT, PREFECT_API_URL, PREFECT_HOME,
                                  PREFECT_SERVER_ANALYTICS_ENABLED)

    config = _config(tmp_path)
    assert config.prefect.local and config.prefect.api_url == DEAD
    environment = dict(os.environ)
    said: list[str] = []
    with prefect_settings(config.prefect, warn=said.append):
        assert PREFECT_API_URL.value() is None   # Prefect then starts a temporary server
        assert PREFECT_HOME.value() == tmp_path / "stack" / "demo" / "prefect"
        assert PREFECT_SERVER_ANALYTICS_ENABLED.value() is False
        assert PREFECT_API_REQUEST_TIMEOUT.value() == 5.0   # the impatient interactive client
        # its own database, not the (stopped, perhaps locked) stack server's prefect.db
        assert PREFECT_API_DATABASE_CONNECTION_URL.value() == (
            f"sqlite+aiosqlite:///{tmp_path / 'stack' / 'demo' / 'prefect'}/temporary-server.db")
    assert said == [f"Prefect server not running at {DEAD}; using a temporary one "
                    "(start it with `senate-catalog stack up`)"]
    assert dict(os.environ) == environment
    assert PREFECT_HOME.value() != tmp_path / "stack" / "demo" / "prefect"


def test_an_operators_server_that_does_not_answer_is_an_error_not_replaced(
        tmp_path: Path) -> None:
    config = _config(tmp_path, PREFECT_API_URL=DEAD, PREFECT_API_REQUEST_TIMEOUT="30")
    assert not config.prefect.local and config.prefect.client == {}
    with pytest.raises(OrchestrationError, match=r"^the Prefect server at http://127\.0\.0\.1:1"
                                                 r"/api does not answer \(its /health"):
        with prefect_settings(config.prefect, warn=print):
            pytest.fail("the context must not be entered")


def test_the_interactive_client_patience_yields_to_the_environment(tmp_path: Path) -> None:
    assert _config(tmp_path).prefect.client == {"PREFECT_API_REQUEST_TIMEOUT": "5",
                                                "PREFECT_CLIENT_MAX_RETRIES": "1"}
    assert _config(tmp_path, PREFECT_CLIENT_MAX_RETRIES="4").prefect.client == {
        "PREFECT_API_REQUEST_TIMEOUT": "5"}
