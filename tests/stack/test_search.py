"""The stack's search service demands the instance's credentials, and its probes send them.

The real service (``python -m solr_compat``) runs here from the pipeline's virtualenv, which has
it installed, behind a stand-in for CKAN's virtualenv: its ``python`` and CKAN's schema.xml.
"""

import shutil
import stat
import sys
from pathlib import Path
from typing import Iterator

import pytest

from flows.settings import Secret
from flows.stack import processes, search
from flows.stack.paths import StackPaths
from flows.config import load_stack_settings

pytestmark = pytest.mark.slow  # starts and stops the search service: ~3 s

SCHEMA_XML = Path(__file__).resolve().parents[1] / "search_service" / "ckan_schema.xml"
PASSWORD = Secret("Zq3-x_9pLw0uY7tR-search")


@pytest.fixture
def paths(tmp_path: Path) -> Iterator[StackPaths]:
    """A `test` instance in a temporary folder, on a free port; its service stopped after."""
    settings = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                       "SENATE_STACK_INSTANCE": "test",
                                       "SENATE_SEARCH_PORT": str(processes.free_port())})
    paths = StackPaths(settings)
    python = paths.venv_bin("python")
    python.parent.mkdir(parents=True)
    python.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    python.chmod(0o755)
    schema = paths.ckan_venv / "lib/python3.11/site-packages/ckan/config/solr/schema.xml"
    schema.parent.mkdir(parents=True)
    shutil.copy(SCHEMA_XML, schema)
    yield paths
    search.stop(paths)


def _where(paths: StackPaths) -> dict[str, object]:
    return {"host": paths.settings.host, "port": paths.settings.ports["search"]}


def test_the_service_demands_the_password_it_was_given_in_a_private_file(
        paths: StackPaths) -> None:
    search.start(paths, password=PASSWORD, **_where(paths))
    pid = search.running_pid(paths)
    assert pid is not None
    assert PASSWORD.reveal().encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()
    credentials = search.credentials_file(paths)
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert credentials.read_text() == f"ckan:{PASSWORD.reveal()}\n"

    ping = f"{search.solr_url(**_where(paths))}/admin/ping?wt=json"
    assert processes.http_status(ping) == 401
    assert search.answers(password=PASSWORD, **_where(paths))
    assert search.enforces(password=PASSWORD, **_where(paths))
    assert not search.enforces(password=Secret("another"), **_where(paths))
    assert search.stop_if_open(paths, password=PASSWORD, **_where(paths)) is False
    assert search.running_pid(paths) == pid


def test_a_service_started_without_credentials_is_stopped_for_a_restart(
        paths: StackPaths) -> None:
    # What an earlier stack left running: the same service and index, open to anyone.
    index = paths.service_dir(search.SERVICE) / "index"
    index.mkdir(parents=True)
    processes.spawn([str(paths.venv_bin("python")), "-m", "solr_compat",
                     "--host", paths.settings.host, "--port", str(paths.settings.ports["search"]),
                     "--data-dir", str(index), "--schema-xml", str(search.ckan_schema_xml(paths))],
                    pidfile=paths.pidfile(search.SERVICE), logfile=paths.logfile(search.SERVICE))
    ping = f"{search.solr_url(**_where(paths))}/admin/ping?wt=json"
    assert processes.wait_until(lambda: processes.http_ok(ping), timeout=30)
    assert not search.enforces(password=PASSWORD, **_where(paths))

    assert search.stop_if_open(paths, password=PASSWORD, **_where(paths)) is True
    assert search.running_pid(paths) is None
    search.start(paths, password=PASSWORD, **_where(paths))
    assert search.enforces(password=PASSWORD, **_where(paths))
