"""Is the Prefect server a flow run reports to still there? Find out fast, say so plainly.

A flow run needs its server for the catalog-write concurrency slots, the artifacts and its own
states. Tasks themselves run locally (states go out as events), so a run whose server stops
keeps validating, and only blocks where it waits on the server: each such call then takes
Prefect's own retries (by default 6 attempts with backoff, up to a minute each) before failing
with a raw ``httpx`` error. So before each step that needs the server the pipeline asks its
``/health`` endpoint (2 s), and any ``httpx`` transport error from Prefect is turned into an
``OrchestrationError`` that names the server and how to start it. The pipeline then stops
trying datasets (each gets a run record saying why) instead of waiting on every one.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flows.errors import OrchestrationError
from flows.stack.processes import http_ok

#: Seconds to wait for the server's health answer before calling it unreachable.
HEALTH_TIMEOUT = 2.0


def api_url() -> str | None:
    """The Prefect API this process reports to (None: no server configured)."""
    from prefect.settings import PREFECT_API_URL

    value = PREFECT_API_URL.value()
    return str(value).rstrip("/") if value else None


def check_server(url: str | None = None) -> None:
    """Raise ``OrchestrationError`` unless the Prefect server answers its health check."""
    url = url or api_url()
    if url and not http_ok(f"{url}/health", timeout=HEALTH_TIMEOUT):
        raise OrchestrationError(unreachable_message(url, "its /health does not answer"))


@contextmanager
def reporting_to_server() -> Iterator[None]:
    """Turn a failure to reach the Prefect server, raised by Prefect, into an
    ``OrchestrationError``; any other error passes through unchanged."""
    try:
        yield
    except OrchestrationError:
        raise
    except Exception as exc:
        cause = transport_error(exc)
        if cause is None:
            raise
        raise OrchestrationError(unreachable_message(api_url() or "(unknown)",
                                                     type(cause).__name__)) from exc


def transport_error(exc: BaseException) -> BaseException | None:
    """The ``httpx`` transport error (connection refused, timeout, ...) behind ``exc``, if any.

    Only Prefect talks to its server with httpx here (CKAN calls use requests), so such an
    error means the Prefect server did not answer.
    """
    import httpx

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, httpx.TransportError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def unreachable_message(url: str, cause: str) -> str:
    """What the operator reads: which server, why, and how to bring it back."""
    return (f"the Prefect server at {url} does not answer ({cause}); start it (the local "
            "stack's: `senate-catalog stack up`, its log in .stack/<instance>/prefect/), or "
            "point PREFECT_API_URL at a server that runs, then run again")
