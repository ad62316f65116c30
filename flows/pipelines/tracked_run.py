"""How the CLI runs the catalog flow in its own process, and ends fast when Prefect is away.

Prefect's settings for the run (which server, PREFECT_HOME, offline) are applied through
Prefect's own settings context (``prefect_settings``), never by changing the process
environment. An operator waits on `run`, so with the local stack's server (or a temporary one)
the client is impatient (flows.config ``CLIENT_PATIENCE``: 5 s per request, one retry, instead
of 60 s and five) unless the environment says otherwise; a server named by PREFECT_API_URL, and
scheduled runs under a worker, keep Prefect's defaults. The pipeline checks the server before
each step that needs it (flows.pipelines.prefect_api) and writes its run records itself, so
when the server stops answering mid-run the summary can still be printed from those records.
The process then ends at once (``end_now``): Prefect's exit hooks would otherwise try to
deliver every queued event and log line to the missing server, about 7 s apiece.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, NoReturn

import prefect.settings
from prefect.settings import temporary_settings

from flows.config import PrefectSettings
from flows.errors import OrchestrationError
from flows.pipelines.prefect_api import (api_url, check_server, transport_error,
                                         unreachable_message)
from flows.stack.processes import http_ok


@dataclass(frozen=True)
class TrackedRun:
    """One flow run as the CLI saw it."""

    state: Any | None          # Prefect's final state (None: the engine itself failed)
    run_id: str | None         # the flow run's id, as soon as it was running
    prefect_lost: str | None   # why the Prefect server counts as gone (None: it answers)


@contextmanager
def prefect_settings(settings: PrefectSettings, *,
                     warn: Callable[[str], None]) -> Iterator[None]:
    """Prefect's settings context for the flow runs of this process: the configured server,
    or, when the local stack's server is not up, a temporary one (slower; ``warn`` says so).
    A server named by PREFECT_API_URL that does not answer is an ``OrchestrationError``."""
    temporary = False
    if not http_ok(f"{settings.api_url}/health"):
        if not settings.local:   # the operator's server: do not replace it
            raise OrchestrationError(unreachable_message(settings.api_url,
                                                         "its /health does not answer"))
        warn(f"Prefect server not running at {settings.api_url}; using a temporary one "
             "(start it with `senate-catalog stack up`)")
        temporary = True
    updates = {getattr(prefect.settings, name): value
               for name, value in settings.settings(temporary_server=temporary).items()}
    with temporary_settings(updates=updates):
        yield


def run_tracked(flow: Any, parameters: dict[str, Any]) -> TrackedRun:
    """Run ``flow`` in this process and return its state, its run id and, when the Prefect
    server stopped answering, why (the engine then raises a raw ``httpx`` error: caught here)."""
    seen: list[str] = []

    def the_name_prefect_gave() -> str:
        # Prefect asks for the run's name once the run exists: note its id then, so the run
        # records can be found even when the engine fails later; the name stays Prefect's.
        from prefect.runtime import flow_run

        seen.append(str(flow_run.id))
        return flow_run.name

    try:
        state = flow.with_options(flow_run_name=the_name_prefect_gave)(**parameters,
                                                                       return_state=True)
    except Exception as exc:
        cause = transport_error(exc)
        if cause is None:
            raise
        why = unreachable_message(api_url() or "(unknown)", type(cause).__name__)
        return TrackedRun(state=None, run_id=seen[0] if seen else None, prefect_lost=why)
    run_id = str(state.state_details.flow_run_id)
    return TrackedRun(state=state, run_id=run_id,
                      prefect_lost=_lost(state) if state.is_failed() else None)


def _lost(state: Any) -> str | None:
    try:
        check_server()
    except OrchestrationError as exc:
        return str(exc)
    return None


def end_now(code: int) -> NoReturn:
    """Flush the terminal and end the process with ``code``, skipping Prefect's exit hooks
    (they would retry the missing server for minutes). Only for a lost Prefect server: the run
    records and the run log are already written and closed."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
