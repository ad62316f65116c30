"""The project's Solr-compatible search service (catalog_config/search_service), for CKAN.

Local use and tests only: production points CKAN's ``solr_url`` at Apache Solr 9 with CKAN's
schema (see README). The service runs in CKAN's virtualenv and serves CKAN's own schema.xml.
"""

from __future__ import annotations

import os

from flows.errors import StackError
from flows.stack import processes
from flows.stack.paths import StackPaths

SERVICE = "search"
CORE = "ckan"


def solr_url(*, host: str, port: int) -> str:
    return f"http://{host}:{port}/solr/{CORE}"


def start(paths: StackPaths, *, host: str, port: int) -> None:
    """Start the search service if it is not running and wait for its ping."""
    if running_pid(paths):
        return
    index_dir = paths.service_dir(SERVICE) / "index"
    index_dir.mkdir(parents=True, exist_ok=True)
    processes.spawn([str(paths.venv_bin("python")), "-m", "solr_compat", "--host", host,
                     "--port", str(port), "--data-dir", str(index_dir),
                     "--schema-xml", str(ckan_schema_xml(paths)), "--core", CORE],
                    pidfile=paths.pidfile(SERVICE), logfile=paths.logfile(SERVICE),
                    env={**os.environ, "PYTHONUTF8": "1"})
    if not processes.wait_until(lambda: answers(host=host, port=port), timeout=30):
        raise StackError(f"the search service did not answer on {host}:{port}; "
                         f"see {paths.logfile(SERVICE)}")


def stop(paths: StackPaths) -> bool:
    pid = running_pid(paths)
    if pid is None:
        return False
    processes.stop_pid(pid, _marker(paths))
    return True


def running_pid(paths: StackPaths) -> int | None:
    return processes.running_pid(paths.pidfile(SERVICE), _marker(paths))


def answers(*, host: str, port: int) -> bool:
    return processes.http_ok(f"{solr_url(host=host, port=port)}/admin/ping?wt=json")


def ckan_schema_xml(paths: StackPaths):
    """CKAN's own Solr schema, from the installed CKAN (so the two always match)."""
    found = sorted(paths.ckan_venv.glob("lib/python3*/site-packages/ckan/config/solr/schema.xml"))
    if not found:
        raise StackError(f"CKAN's solr/schema.xml is not in {paths.ckan_venv}; "
                         "run `senate-catalog stack up` to install CKAN")
    return found[0]


def _marker(paths: StackPaths) -> str:
    return str(paths.service_dir(SERVICE) / "index")
