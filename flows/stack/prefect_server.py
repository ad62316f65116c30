"""The Prefect 3 server (API + UI) that schedules and records the pipeline's flow runs.

It runs from the pipeline's own virtualenv (CKAN's is separate), on loopback, with this
instance's PREFECT_HOME, so its SQLite database lives in ``.stack/<instance>/prefect/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flows.errors import StackError
from flows.config import prefect_environment
from flows.settings import StackSettings
from flows.stack import processes
from flows.stack.paths import StackPaths

SERVICE = "prefect"


def start(paths: StackPaths, settings: StackSettings, *, timeout: float = 90) -> None:
    """Start this instance's Prefect server if it is not running and wait for /api/health."""
    pid = running_pid(paths)
    if pid is None:
        executable = prefect_executable()
        home = settings.prefect_home  # == paths.service_dir(SERVICE): pid and log sit beside it
        home.mkdir(parents=True, exist_ok=True)
        pid = processes.spawn(_command(settings, executable), pidfile=paths.pidfile(SERVICE),
                              logfile=logfile(paths), env=_server_environment(settings),
                              cwd=home)
    api_url = settings.prefect_api_url
    # A server that exits (bad database, port lost) is reported now, not after the timeout.
    processes.wait_until(lambda: answers(api_url) or not _alive(pid), timeout=timeout,
                         interval=0.5)
    if answers(api_url):
        return
    what = "stopped while starting" if not _alive(pid) else f"did not answer within {timeout:.0f} s"
    raise StackError(f"the Prefect server at {api_url} {what}; see {logfile(paths)}")


def stop(paths: StackPaths) -> bool:
    return processes.stop_recorded(paths.pidfile(SERVICE), _marker(paths.settings))


def running_pid(paths: StackPaths) -> int | None:
    return processes.running_pid(paths.pidfile(SERVICE), _marker(paths.settings))


def answers(api_url: str) -> bool:
    """True if the server's health endpoint answers 200."""
    return processes.http_ok(f"{api_url}/health")


def logfile(paths: StackPaths) -> Path:
    return paths.service_dir(SERVICE) / "server.log"


def prefect_executable() -> Path:
    """The ``prefect`` script of the virtualenv this Python runs in (not whatever is on PATH)."""
    # Not resolved: in a virtualenv sys.executable is a symlink to the system Python.
    found = Path(sys.executable).parent / "prefect"
    if not found.exists():
        raise StackError(f"{found} is missing; install the pipeline (`make up` or "
                         "`pip install -c constraints.txt -e .`) and try again")
    return found


def _command(settings: StackSettings, executable: Path) -> list[str]:
    return [str(executable), "server", "start", "--host", settings.host,
            "--port", str(settings.ports[SERVICE])]


def _marker(settings: StackSettings) -> str:
    # The command line names no instance folder, but the port is this instance's alone.
    # The interpreter and script paths are left out: `.venv/bin/python` and `python3.11`
    # are the same server.
    return f"prefect server start --host {settings.host} --port {settings.ports[SERVICE]}"


def _alive(pid: int) -> bool:
    """True unless the process is gone or a zombie (exited, not yet reaped by its parent)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _server_environment(settings: StackSettings) -> dict[str, str]:
    # environ={}: the server always serves this instance, even when the operator's shell
    # points PREFECT_API_URL at another Prefect server.
    return settings.child_environment({**prefect_environment(settings, environ={}),
                                       "PYTHONUTF8": "1"})
