"""The project's Solr-compatible search service (catalog_config/search_service), for CKAN.

Local use and tests only: production points CKAN's ``solr_url`` at Apache Solr 9 with CKAN's
schema (docs/operator.md, production notes). The service runs in CKAN's virtualenv and serves
CKAN's own schema.xml.

Like a production Solr behind basic auth, it answers only requests that carry the instance's
credentials (user ``ckan``, the generated ``search_password``); CKAN sends them as its
``solr_user`` / ``solr_password``. The service reads them from a 0600 file, never from its
command line, which every local user can read in ``ps``.

The service serves one core per process, so the national catalog gets a second process (its
own ``service`` folder, ``core``, port and password): simpler than teaching it several cores,
and one catalog's index can never answer the other's queries.
"""

from __future__ import annotations

import base64
from pathlib import Path

from flows.errors import StackError
from flows.settings import Secret
from flows.stack import processes
from flows.stack.paths import StackPaths
from flows.stack.secrets_store import write_private

SERVICE = "search"
CORE = "ckan"
#: The user CKAN authenticates as (its ``solr_user``).
USER = "ckan"


def solr_url(*, host: str, port: int, core: str = CORE) -> str:
    return f"http://{host}:{port}/solr/{core}"


def start(paths: StackPaths, *, host: str, port: int, password: Secret,
          service: str = SERVICE, core: str = CORE) -> None:
    """Start the search service if it is not running and wait for its (authenticated) ping."""
    if running_pid(paths, service=service):
        return
    index_dir = paths.service_dir(service) / "index"
    index_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    credentials = credentials_file(paths, service=service)
    write_private(credentials, f"{USER}:{password.reveal()}\n")
    processes.spawn([str(paths.venv_bin("python")), "-m", "solr_compat", "--host", host,
                     "--port", str(port), "--data-dir", str(index_dir),
                     "--schema-xml", str(ckan_schema_xml(paths)), "--core", core,
                     "--auth-file", str(credentials)],
                    pidfile=paths.pidfile(service), logfile=paths.logfile(service),
                    env=paths.settings.child_environment({"PYTHONUTF8": "1"}))
    if not processes.wait_until(
            lambda: answers(host=host, port=port, password=password, core=core), timeout=30):
        raise StackError(f"the search service did not answer on {host}:{port}; "
                         f"see {paths.logfile(service)}")


def stop(paths: StackPaths, *, service: str = SERVICE) -> bool:
    pid = running_pid(paths, service=service)
    if pid is None:
        return False
    processes.stop_pid(pid, _marker(paths, service))
    return True


def running_pid(paths: StackPaths, *, service: str = SERVICE) -> int | None:
    return processes.running_pid(paths.pidfile(service), _marker(paths, service))


def stop_if_open(paths: StackPaths, *, host: str, port: int, password: Secret,
                 service: str = SERVICE, core: str = CORE) -> bool:
    """Stop a running service that does not demand exactly these credentials; True if stopped.

    A service started before the instance had a search password (or with another one) would
    otherwise keep answering anyone until the next ``down``; ``up`` then starts it anew.
    """
    if (running_pid(paths, service=service) is None
            or enforces(host=host, port=port, password=password, core=core)):
        return False
    return stop(paths, service=service)


def answers(*, host: str, port: int, password: Secret, core: str = CORE) -> bool:
    """True if the service answers its ping to a client with these credentials."""
    return processes.http_ok(_ping_url(host, port, core), headers=authorization(password))


def enforces(*, host: str, port: int, password: Secret, core: str = CORE) -> bool:
    """True if the service refuses an anonymous ping (401) and answers one with the password."""
    return (processes.http_status(_ping_url(host, port, core)) == 401
            and answers(host=host, port=port, password=password, core=core))


def authorization(password: Secret) -> dict[str, str]:
    """The ``Authorization`` header CKAN's pysolr sends for ``solr_user``/``solr_password``."""
    token = base64.b64encode(f"{USER}:{password.reveal()}".encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def credentials_file(paths: StackPaths, *, service: str = SERVICE) -> Path:
    """``USER:PASSWORD`` for the service (0600), rewritten from secrets.json on every start."""
    return paths.service_dir(service) / "credentials"


def ckan_schema_xml(paths: StackPaths) -> Path:
    """CKAN's own Solr schema, from the installed CKAN (so the two always match)."""
    found = sorted(paths.ckan_venv.glob("lib/python3*/site-packages/ckan/config/solr/schema.xml"))
    if not found:
        raise StackError(f"CKAN's solr/schema.xml is not in {paths.ckan_venv}; "
                         "run `senate-catalog stack up` to install CKAN")
    return found[0]


def _marker(paths: StackPaths, service: str) -> str:
    return str(paths.service_dir(service) / "index")


def _ping_url(host: str, port: int, core: str) -> str:
    return f"{solr_url(host=host, port=port, core=core)}/admin/ping?wt=json"
