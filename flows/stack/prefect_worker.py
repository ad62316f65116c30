"""The Prefect process worker that runs the scheduled flow runs of catalog_config/prefect.yaml.

`stack up` starts it after the Prefect server (`prefect worker start --pool senate-catalog
--type process`), with this instance's Prefect environment, and `stack down` stops it before
the server. It polls the pool (every 10 s by default, PREFECT_WORKER_QUERY_SECONDS) and runs
each due flow run in a subprocess from the project folder. Its PID file and log sit beside the
server's, in the instance's PREFECT_HOME (``.stack/<instance>/prefect/worker.pid``, ``worker.log``).

A flow run inherits the worker's environment, so that environment names the catalog explicitly:
this instance's CKAN and token file (SENATE_STACK_INSTANCE, CKAN_URL, CKAN_API_TOKEN_FILE), and
an output folder. The demo instance writes where `senate-catalog demo` does (``out/``, or what
the pipeline's configuration says); any other instance (the `test` one of `make test`) keeps
its scheduled runs' reports and records in ``.stack/<instance>/out`` so they never mix with the
demo's. SENATE_OUT_DIR set when `stack up` runs wins.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Mapping

from flows.errors import StackError
from flows.pipelines.deployments import (WORK_POOL, deploy_if_changed, ensure_work_pool,
                                        worker_command)
from flows.pipelines.scheduled_runs import cancel_missed_runs
from flows.config import prefect_environment
from flows.settings import DEFAULT_INSTANCE, StackSettings
from flows.stack import processes
from flows.stack.paths import StackPaths

#: The folder of the worker's PID file and log: the instance's PREFECT_HOME (private, 0700).
SERVICE_DIR = "prefect"
#: A run still Scheduled this long after its time fell due while no worker ran (see start).
MISSED_AFTER = timedelta(minutes=5)
#: Catalog settings of the shell that ran `stack up`: replaced, the worker serves this stack
#: (they would win over SENATE_CONFIG's file, which is kept: output folder, retries).
_CATALOG_VARIABLES = ("CKAN_URL", "CKAN_API_TOKEN", "CKAN_API_TOKEN_FILE")


def start(paths: StackPaths, settings: StackSettings, *, timeout: float = 60) -> str:
    """Start the worker unless it runs: create the work pool if missing, cancel the runs missed
    while the stack was down, spawn the worker and wait until the server has its heartbeat."""
    pid = running_pid(paths)
    if pid is not None:
        return f"already running (pid {pid})"
    environment = worker_environment(settings, settings.environ)
    ensure_work_pool(settings.project_root, environment)
    now = datetime.now(timezone.utc)
    missed = cancel_missed_runs(settings.prefect_api_url, before=now - MISSED_AFTER)
    pid = processes.spawn(_command(settings), pidfile=pidfile(paths), logfile=logfile(paths),
                          env=environment, cwd=settings.project_root)
    processes.wait_until(lambda: _registered(settings, since=now) or not _alive(pid, settings),
                         timeout=timeout, interval=0.5)
    if not _registered(settings, since=now):
        what = "stopped while starting" if not _alive(pid, settings) else \
            f"did not reach the server within {timeout:.0f} s"
        raise StackError(f"the Prefect worker of pool {WORK_POOL!r} {what}; see {logfile(paths)}")
    cancelled = f"; cancelled {missed} missed scheduled run(s)" if missed else ""
    return f"started (pid {pid}, pool {WORK_POOL}){cancelled}"


def stop(paths: StackPaths) -> bool:
    """Stop this instance's worker (SIGTERM, SIGKILL after 20 s); False if none ran."""
    return processes.stop_recorded(pidfile(paths), _marker(paths.settings))


def running_pid(paths: StackPaths) -> int | None:
    return processes.running_pid(pidfile(paths), _marker(paths.settings))


def pidfile(paths: StackPaths) -> Path:
    return paths.service_dir(SERVICE_DIR) / "worker.pid"


def logfile(paths: StackPaths) -> Path:
    return paths.service_dir(SERVICE_DIR) / "worker.log"


def worker_name(settings: StackSettings) -> str:
    """The worker's name on the server; on its command line too, which tells instances apart."""
    return f"senate-catalog-{settings.instance}"


def worker_environment(settings: StackSettings, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of the worker and of every flow run it starts: ``environ`` without the
    Prefect and catalog settings it may carry for elsewhere, plus this instance's."""
    kept = {name: value for name, value in environ.items()
            if name not in _CATALOG_VARIABLES
            and (not name.startswith("PREFECT_") or name.startswith("PREFECT_WORKER_"))}
    ports = {f"SENATE_{name.upper()}_PORT": str(port) for name, port in settings.ports.items()}
    environment = {**kept, **prefect_environment(settings, environ={}), **ports,
                   "SENATE_STACK_INSTANCE": settings.instance,
                   "SENATE_STACK_DIR": str(settings.state_dir),
                   "CKAN_URL": settings.ckan_url,
                   "CKAN_API_TOKEN_FILE": str(settings.token_file),
                   "PYTHONUTF8": "1"}
    if not environ.get("SENATE_OUT_DIR") and settings.instance != DEFAULT_INSTANCE:
        environment["SENATE_OUT_DIR"] = str(settings.state_dir / settings.instance / "out")
    return environment


def out_dir(settings: StackSettings, environ: Mapping[str, str]) -> Path:
    """Where the worker's flow runs write reports and run records (runs/history.jsonl)."""
    from flows.config import load_pipeline_config

    return load_pipeline_config(settings, worker_environment(settings, environ)).out_dir


def _command(settings: StackSettings) -> list[str]:
    return worker_command(name=worker_name(settings))


def _marker(settings: StackSettings) -> str:
    # Everything after the script's path: the pool and this instance's worker name.
    return " ".join(_command(settings)[1:])


def _alive(pid: int, settings: StackSettings) -> bool:
    return processes.process_matches(pid, _marker(settings))


def _registered(settings: StackSettings, *, since: datetime) -> bool:
    """True once the server has a heartbeat of this instance's worker sent after ``since``."""
    from prefect.client.orchestration import SyncPrefectClient

    with SyncPrefectClient(settings.prefect_api_url, httpx_settings={"timeout": 5}) as client:
        workers = client.read_workers_for_work_pool(WORK_POOL)
    return any(w.name == worker_name(settings) and w.last_heartbeat_time
               and w.last_heartbeat_time >= since for w in workers)


def apply_deployments(settings: StackSettings) -> list[str]:
    """Apply catalog_config/prefect.yaml to this instance's server, so its schedules are live;
    [] when what it holds is already what was applied last (a stamp in PREFECT_HOME)."""
    environment = worker_environment(settings, settings.environ)
    return deploy_if_changed(settings.project_root, environment,
                             stamp=settings.prefect_home / "deployments.sha256")
