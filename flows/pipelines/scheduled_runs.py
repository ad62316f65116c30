"""What the stack's Prefect server has scheduled on our work pool, read with Prefect's client.

    next_runs(api_url)                    -> each deployment and its next scheduled run
    cancel_missed_runs(api_url, before=)  -> runs that were due while no worker ran, cancelled

Both read the server named by ``api_url`` (not this process's Prefect settings), so `stack
status` and `stack up` ask the instance they manage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from flows.pipelines.deployments import WORK_POOL

#: Seconds to wait for one answer of the server; `stack status` must not hang on it.
REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True)
class NextRun:
    """One deployment of the pool and when its next run is expected (None: nothing scheduled,
    e.g. the on-demand deployment)."""

    deployment: str
    expected: datetime | None
    schedules: tuple[str, ...]   # e.g. "cron 0 2 * * * (Asia/Bangkok)"; paused ones say so


def next_runs(api_url: str) -> list[NextRun]:
    """Every deployment of the work pool with the earliest flow run still Scheduled (a Late
    run counts: it is the next one a worker starts), else the next time of its active schedules.

    The server creates the runs of a new or changed schedule on its next scheduler pass, up to
    a minute after `deploy`; until then the schedules themselves say when.
    """
    from prefect.client.schemas.sorting import FlowRunSort

    with _client(api_url) as client:
        found = []
        for deployment in client.read_deployments(work_pool_filter=_pool()):
            runs = client.read_flow_runs(flow_run_filter=_scheduled(deployment_id=deployment.id),
                                         sort=FlowRunSort.EXPECTED_START_TIME_ASC, limit=1)
            expected = (runs[0].expected_start_time if runs
                        else _next_from_schedules(deployment.schedules))
            found.append(NextRun(deployment=deployment.name, expected=expected,
                                 schedules=tuple(map(_describe, deployment.schedules))))
    return sorted(found, key=lambda run: run.deployment)


def cancel_missed_runs(api_url: str, *, before: datetime) -> int:
    """Cancel the pool's runs still Scheduled for a time before ``before``; return how many.

    They fell due while no worker ran (the stack was down): a worker would otherwise start
    all of them at once when it comes up, days of daily runs in a row, in the middle of
    whatever the stack is brought up for (a demo, the test suite). The next run on each
    schedule runs as usual.
    """
    from prefect.states import Cancelled

    with _client(api_url) as client:
        missed = client.read_flow_runs(flow_run_filter=_scheduled(before=before),
                                       work_pool_filter=_pool())
        for run in missed:
            due = run.expected_start_time.isoformat() if run.expected_start_time else "?"
            client.set_flow_run_state(run.id, Cancelled(
                message=f"missed: due {due} while no worker polled the pool"), force=True)
    return len(missed)


def _client(api_url: str) -> Any:
    from prefect.client.orchestration import SyncPrefectClient

    return SyncPrefectClient(api_url, httpx_settings={"timeout": REQUEST_TIMEOUT})


def _pool() -> Any:
    from prefect.client.schemas.filters import WorkPoolFilter, WorkPoolFilterName

    return WorkPoolFilter(name=WorkPoolFilterName(any_=[WORK_POOL]))


def _scheduled(*, deployment_id: Any = None, before: datetime | None = None) -> Any:
    from prefect.client.schemas.filters import (FlowRunFilter, FlowRunFilterDeploymentId,
                                                FlowRunFilterExpectedStartTime,
                                                FlowRunFilterState, FlowRunFilterStateType)
    from prefect.client.schemas.objects import StateType

    return FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED])),
        deployment_id=(FlowRunFilterDeploymentId(any_=[deployment_id])
                       if deployment_id else None),
        expected_start_time=FlowRunFilterExpectedStartTime(before_=before) if before else None)


def _next_from_schedules(schedules: list[Any]) -> datetime | None:
    """The next time of the active schedules, computed as the server's scheduler does."""
    import asyncio

    from prefect.server.schemas import schedules as server_schedules

    dates: list[datetime] = []
    for schedule in (s for s in schedules if s.active):
        kind = getattr(server_schedules, type(schedule.schedule).__name__, None)
        if kind is not None:
            dates += asyncio.run(kind(**schedule.schedule.model_dump()).get_dates(n=1))
    return min(dates, default=None)


def _describe(schedule: Any) -> str:
    inner = schedule.schedule
    if getattr(inner, "cron", None):
        text = f"cron {inner.cron} ({inner.timezone or 'UTC'})"
    elif getattr(inner, "interval", None):
        text = f"every {inner.interval}"
    else:
        text = type(inner).__name__
    return text if schedule.active else f"{text}, paused"


def next_run_line(run: dict[str, Any]) -> str:
    """One line of `stack status`: a deployment, its next run in Bangkok time and UTC, and
    its schedules (``run`` as in the status report: deployment, expected ISO time, schedules)."""
    schedules = "; ".join(run["schedules"]) or "no schedule (run on demand)"
    if not run["expected"]:
        return f"{run['deployment']:<22} nothing scheduled  [{schedules}]"
    expected = datetime.fromisoformat(run["expected"])
    bangkok = expected.astimezone(ZoneInfo("Asia/Bangkok")).strftime("%Y-%m-%d %H:%M")
    utc = expected.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")
    return f"{run['deployment']:<22} {bangkok} Bangkok ({utc} UTC)  [{schedules}]"
