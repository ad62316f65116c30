"""CKAN 2.11 in its own virtualenv: install, configure, initialise, bootstrap, run.

CKAN's pins clash with Prefect's, so it never shares the pipeline's virtualenv; the pipeline
talks to it over HTTP only. Each step checks real state first so a second ``up`` does nothing.
"""

from __future__ import annotations

import hashlib
import json
import string
import urllib.error
import urllib.request
from pathlib import Path

from flows.errors import StackError
from flows.settings import ADMIN_USER, Secret, StackSettings
from flows.stack import postgres, processes
from flows.stack.paths import StackPaths
from flows.stack.secrets_store import write_private
from flows.stack.shell import run

SERVICE = "ckan"
REQUIREMENTS = "ckan-requirements.txt"
CONSTRAINTS = "ckan-constraints.txt"
#: Packages of this project installed (editable) into CKAN's virtualenv.
LOCAL_PACKAGES = ("ckanext-senate_dga", "search_service")
_STAMP = ".senate-install-stamp"
#: scheming reads the schema YAML (Thai text) with the locale's encoding: force UTF-8.
UTF8_ENV = {"PYTHONUTF8": "1", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
#: gunicorn: seconds a worker may spend on one request (uploads, DataStore writes), and the
#: grace period its workers get to finish their requests when the server stops.
WORKER_TIMEOUT = 120
GRACEFUL_TIMEOUT = 15


def ensure_installed(paths: StackPaths, settings: StackSettings) -> bool:
    """Create CKAN's virtualenv and install the pinned set; return True if pip ran."""
    stamp = paths.ckan_venv / _STAMP
    wanted = _install_fingerprint(paths)
    if stamp.exists() and stamp.read_text(encoding="ascii") == wanted:
        return False
    if not paths.venv_bin("python").exists():
        run([settings.python, "-m", "venv", str(paths.ckan_venv)],
            what=f"create CKAN's virtualenv with {settings.python}")
    config = paths.catalog_config
    editable = [arg for name in LOCAL_PACKAGES for arg in ("-e", str(config / name))]
    run([str(paths.venv_bin("pip")), "install", "--quiet", "-r", str(config / REQUIREMENTS),
         "-c", str(config / CONSTRAINTS), *editable],
        what="pip install CKAN 2.11 and its extensions", timeout=1800)
    stamp.write_text(wanted, encoding="ascii")
    return True


def write_config(paths: StackPaths, settings: StackSettings, *, sqlalchemy_url: str,
                 solr_url: str, solr_user: str, solr_password: Secret, redis_url: str,
                 secret_key: Secret, datastore_write_url: str, datastore_read_url: str) -> bool:
    """Render catalog_config/ckan.ini.template to the instance's ckan.ini (0600).

    ``solr_user``/``solr_password`` are the search service's basic-auth credentials;
    ``datastore_*_url`` CKAN's (writing) and the read-only role's DataStore connections.
    Returns True if the file changed (a running CKAN must then be restarted to see it).
    """
    template = string.Template((paths.catalog_config / "ckan.ini.template")
                               .read_text(encoding="utf-8"))
    paths.ckan_storage.mkdir(mode=0o700, parents=True, exist_ok=True)
    text = template.substitute(
        secret_key=secret_key.reveal(), site_url=settings.ckan_url, instance=settings.instance,
        sqlalchemy_url=sqlalchemy_url, solr_url=solr_url, solr_user=solr_user,
        solr_password=solr_password.reveal(), redis_url=redis_url,
        datastore_write_url=datastore_write_url, datastore_read_url=datastore_read_url,
        storage_path=paths.ckan_storage, catalog_config=paths.catalog_config,
        host=settings.host, port=settings.ports["ckan"])
    if paths.ckan_ini.exists() and paths.ckan_ini.read_text(encoding="utf-8") == text:
        return False
    write_private(paths.ckan_ini, text)
    return True


def ensure_database(paths: StackPaths, settings: StackSettings, db_password: Secret) -> list[str]:
    """Run ``ckan db init`` / ``db upgrade -p activity`` where their tables are missing."""
    done = []
    where = {"host": settings.host, "port": settings.ports["postgres"], "password": db_password}
    if not postgres.has_table(table="package", **where):
        _ckan(paths, "db", "init", what="ckan db init")
        done.append("db init")
    if not postgres.has_table(table="activity", **where):
        _ckan(paths, "db", "upgrade", "-p", "activity", what="ckan db upgrade -p activity")
        done.append("db upgrade -p activity")
    return done


def start(paths: StackPaths, settings: StackSettings, *, timeout: float = 240) -> None:
    """Start CKAN's server if it is not running and wait until the API answers."""
    start_server(paths, ini=paths.ckan_ini, host=settings.host, port=settings.ports["ckan"],
                 url=settings.ckan_url, pidfile=paths.pidfile(SERVICE),
                 logfile=paths.logfile(SERVICE), what="CKAN", server=settings.ckan_server,
                 workers=settings.ckan_workers, timeout=timeout)


def stop(paths: StackPaths) -> bool:
    return stop_server(paths.pidfile(SERVICE), paths.ckan_ini)


def running_pid(paths: StackPaths) -> int | None:
    return server_pid(paths.pidfile(SERVICE), paths.ckan_ini)


def start_server(paths: StackPaths, *, ini: Path, host: str, port: int, url: str,
                 pidfile: Path, logfile: Path, what: str, server: str = "gunicorn",
                 workers: int = 2, timeout: float = 240) -> None:
    """Start a CKAN server of CKAN's virtualenv with ``ini`` if it is not running, and wait
    until its API answers at ``url`` (the agency catalog, or the national one).

    ``server`` is ``gunicorn`` (``workers`` processes) or ``dev`` (``ckan run``, threaded).
    ``processes.spawn`` starts it with umask 077, so the files it stores (uploads under
    ``ckan.storage_path``) are 0600 in 0700 folders; gunicorn's workers inherit that umask.
    """
    if server_pid(pidfile, ini) is None:
        if server == "gunicorn":
            # `ckan run` writes the JavaScript strings of each locale (Thai) as it starts;
            # gunicorn does not, and its workers must not race each other to write them.
            _ckan_with(paths, ini, "translation", "js", what="ckan translation js")
        processes.spawn(server_command(paths, ini=ini, host=host, port=port, server=server,
                                       workers=workers),
                        pidfile=pidfile, logfile=logfile,
                        env=paths.settings.child_environment(UTF8_ENV))
    if not processes.wait_until(lambda: api_answers(url), timeout=timeout):
        raise StackError(f"{what} did not answer at {url} within {timeout:.0f} s; "
                         f"see {logfile}")


def server_command(paths: StackPaths, *, ini: Path, host: str, port: int, server: str,
                   workers: int) -> list[str]:
    """The command line of a CKAN server; each names ``ini``, the marker ``server_pid`` finds."""
    if server == "dev":
        return [str(paths.venv_bin("ckan")), "-c", str(ini), "run", "-H", host, "-p", str(port),
                "--disable-reloader", "--threaded"]
    if server != "gunicorn":
        raise StackError(f"unknown CKAN server {server!r}; use gunicorn or dev")
    return [str(paths.venv_bin("gunicorn")), "--bind", f"{host}:{port}",
            "--workers", str(workers),
            # Sync workers (one request each at a time), not threads: under concurrent
            # datastore_search, `ckan run --threaded` fails some with "cursor already closed"
            # (CKAN 2.11's DataStore shares a connection; flows.benchmark_load shows it).
            # A slow upload or big DataStore write may take minutes on two cores; 30 s (the
            # default timeout) would kill the worker mid-way.
            "--timeout", str(WORKER_TIMEOUT),
            # Below stop_pid's 20 s before SIGKILL, so workers finish requests and exit first.
            "--graceful-timeout", str(GRACEFUL_TIMEOUT),
            # gunicorn 27 opens a control socket at ~/.gunicorn/gunicorn.ctl by default: one
            # path for every server (agency, national, other instances) of this user. Unused.
            "--no-control-socket",
            "--access-logfile", "-",
            "--env", f"CKAN_INI={ini}", "--pythonpath", str(paths.catalog_config),
            "ckan_wsgi:application"]


def stop_server(pidfile: Path, ini: Path) -> bool:
    """Stop the CKAN server started with ``ini``; True if it was running.

    gunicorn's master stops its workers on SIGTERM; any that outlive it (the master killed
    after the grace period) are stopped too, so no orphan keeps the port or the database.
    """
    pid = server_pid(pidfile, ini)
    if pid is None:
        return False
    workers = processes.child_pids(pid)
    processes.stop_pid(pid, str(ini))
    for worker in workers:
        if processes.process_matches(worker, str(ini)):
            processes.stop_pid(worker, str(ini), timeout=5)
    return True


def server_pid(pidfile: Path, ini: Path) -> int | None:
    """The PID of the CKAN server started with ``ini`` (its path is on the command line)."""
    return processes.running_pid(pidfile, str(ini))


def describe_server(pidfile: Path, ini: Path) -> dict[str, object] | None:
    """What the running server with ``ini`` is: ``{"kind": "gunicorn", "workers": 2}``
    (``dev``: ``ckan run``, workers None), read from its processes; None if it is stopped."""
    pid = server_pid(pidfile, ini)
    if pid is None:
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it stopped since server_pid looked
        return None
    if b"ckan_wsgi:application" in cmdline:
        return {"kind": "gunicorn", "workers": len(processes.child_pids(pid))}
    return {"kind": "dev", "workers": None}


def api_answers(url: str) -> bool:
    return processes.http_ok(f"{url}/api/3/action/status_show", timeout=5)


def ensure_admin_token(paths: StackPaths, settings: StackSettings, password: Secret) -> bool:
    """Make sure the token file holds a working sysadmin token; return True if one was made."""
    if paths.token.exists() and token_works(settings.ckan_url, paths.token):
        return False
    request = {"user": ADMIN_USER, "email": "data-catalog@senate.go.th",
               "fullname": "Senate data catalog pipeline", "password": password.reveal(),
               "token_file": str(paths.token), "token_name": "senate-catalog-pipeline"}
    run([str(paths.venv_bin("python")), str(paths.catalog_config / "ckan_bootstrap.py"),
         str(paths.ckan_ini)], stdin=json.dumps(request),
        env=paths.settings.child_environment(UTF8_ENV),
        what="create the sysadmin's API token", umask=processes.PRIVATE_UMASK)
    if not token_works(settings.ckan_url, paths.token):
        raise StackError(f"the new API token in {paths.token} is refused by {settings.ckan_url}")
    return True


def token_works(url: str, token_file: Path, *, user: str = ADMIN_USER) -> bool:
    """True if CKAN accepts the token as that sysadmin (the pipeline's by default)."""
    token = token_file.read_text(encoding="utf-8").strip()
    request = urllib.request.Request(f"{url}/api/3/action/api_token_list?user_id={user}",
                                     headers={"Authorization": token})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def _ckan(paths: StackPaths, *args: str, what: str) -> str:
    return _ckan_with(paths, paths.ckan_ini, *args, what=what)


def _ckan_with(paths: StackPaths, ini: Path, *args: str, what: str) -> str:
    # CKAN's commands write into its storage too (e.g. `db init`): private, as the server's.
    return run([str(paths.venv_bin("ckan")), "-c", str(ini), *args], what=what,
               env=paths.settings.child_environment(UTF8_ENV), umask=processes.PRIVATE_UMASK)


def _install_fingerprint(paths: StackPaths) -> str:
    """Hash of everything that decides what CKAN's virtualenv must contain."""
    config = paths.catalog_config
    files = [config / REQUIREMENTS, config / CONSTRAINTS]
    files += [config / name / build for name in LOCAL_PACKAGES
              for build in ("pyproject.toml", "setup.py", "setup.cfg")]
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + (file.read_bytes() if file.exists() else b""))
    return digest.hexdigest()
