"""CKAN under gunicorn: the running stack's servers, and a real start/stop without orphans.

The processes are read from /proc here, not through ``flows.stack.processes``, so the test
does not take its expectation from the code it checks.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from flows.settings import StackSettings
from flows.stack import ckan, national, processes
from flows.stack.paths import StackPaths

pytestmark = pytest.mark.integration


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _children(pid: int) -> list[int]:
    """Live child processes of ``pid``, from each process's PPid line in /proc/<pid>/status."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                          if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid) and not fields["State"].startswith("Z"):
            found.append(int(status.parent.name))
    return found


def _marked(marker: str) -> list[int]:
    """Every live process whose command line names ``marker``."""
    pids = []
    for entry in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker in entry.read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                pids.append(int(entry.parent.name))
        except OSError:
            continue
    return pids


def _status_show(url: str) -> tuple[str, dict]:
    with urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=10) as response:
        return response.headers.get("Server", ""), json.load(response)


def _servers(settings: StackSettings) -> list[tuple[str, Path, Path, str]]:
    """(name, pidfile, ini, url) of the stack's CKAN servers: agency, and national if any."""
    paths = StackPaths(settings)
    servers = [("ckan", paths.pidfile(ckan.SERVICE), paths.ckan_ini, settings.ckan_url)]
    if national.enabled(settings):
        own = national.NationalPaths(paths)
        servers.append(("national", own.pidfile, own.ini, national.url(settings)))
    return servers


def test_the_stack_serves_ckan_with_the_configured_server_and_workers(
        catalog_settings: object, stack_settings: StackSettings) -> None:
    for name, pidfile, ini, url in _servers(stack_settings):
        master = int(pidfile.read_text().split()[0])
        assert str(ini) in _cmdline(master), name
        server_header, body = _status_show(url)
        assert body["success"] and body["result"]["ckan_version"].startswith("2.11"), name
        workers = _children(master)
        if stack_settings.ckan_server == "dev":
            assert " run " in _cmdline(master) and "gunicorn" not in _cmdline(master), name
            continue
        assert "ckan_wsgi:application" in _cmdline(master), name
        assert server_header == "gunicorn", name
        assert len(workers) == stack_settings.ckan_workers, (name, workers)
        # Workers are forks of the master: the same command line, so the same marker.
        assert all(str(ini) in _cmdline(worker) for worker in workers), name


def test_a_gunicorn_ckan_starts_and_stops_with_its_workers(
        catalog_settings: object, stack_settings: StackSettings, tmp_path: Path) -> None:
    """A second CKAN on the stack's database, under its own copy of the ini (so its own
    marker): three workers answer, and stopping the master leaves no process behind."""
    paths = StackPaths(stack_settings)
    ini = tmp_path / "ckan.ini"
    shutil.copy(paths.ckan_ini, ini)
    port = processes.free_port()
    url = f"http://127.0.0.1:{port}"
    pidfile, logfile = tmp_path / "ckan.pid", tmp_path / "ckan.log"
    try:
        ckan.start_server(paths, ini=ini, host="127.0.0.1", port=port, url=url,
                          pidfile=pidfile, logfile=logfile, what="a second CKAN",
                          server="gunicorn", workers=3, timeout=180)
        master = int(pidfile.read_text().split()[0])
        assert len(_children(master)) == 3
        assert sorted(_marked(str(ini))) == sorted([master, *_children(master)])
        assert _status_show(url)[1]["success"]
        assert ckan.describe_server(pidfile, ini) == {"kind": "gunicorn", "workers": 3}
    finally:
        stopped = ckan.stop_server(pidfile, ini)
    assert stopped
    assert _marked(str(ini)) == [], logfile.read_text()[-2000:]
    assert ckan.describe_server(pidfile, ini) is None
