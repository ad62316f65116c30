"""``up``, ``down``, ``status`` and ``reset`` for the local catalog stack.

``up`` is idempotent: each step looks at real state (installed packages, cluster files, running
PIDs, tables, a working token) and does only what is missing, so a second ``up`` takes seconds.
"""

from __future__ import annotations

import shutil
import socket
import time
from dataclasses import dataclass, field
from typing import Callable

from flows.catalog import CatalogClient, ensure_layout, load_layout
from flows.errors import StackError
from flows.settings import CatalogSettings, Secret, StackSettings, read_secret_file
from flows.stack import (ckan, datastore, national, permissions, postgres, prefect_server,
                         prefect_worker, redis, search, secrets_store)
from flows.stack.paths import StackPaths

Echo = Callable[[str], None]
SERVICES = ("postgres", "redis", "search", "ckan", "prefect")


@dataclass
class StepLog:
    """What each step of ``up`` did and how long it took, for the user and the closing note."""

    echo: Echo
    steps: list[tuple[str, float, str]] = field(default_factory=list)

    def run(self, name: str, action: Callable[[], object]) -> object:
        started = time.monotonic()
        result = action()
        took = time.monotonic() - started
        outcome = _describe(result)
        self.steps.append((name, took, outcome))
        self.echo(f"  {name:<28} {outcome:<40} {took:6.1f} s")
        return result


def up(settings: StackSettings, *, echo: Echo = print) -> StepLog:
    """Install what is missing, start every service, ensure sysadmin, token, organisation.

    The Prefect server and its worker come last: the catalog does not need them, and the
    flows need both.
    """
    paths = StackPaths(settings)
    log = StepLog(echo)
    secrets = secrets_store.load_or_create(paths.secrets)
    host, ports = settings.host, settings.ports
    log.run("private state folders", lambda: permissions.restrict_instance(paths))
    log.run("install CKAN", lambda: ckan.ensure_installed(paths, settings))
    log.run("PostgreSQL cluster",
            lambda: postgres.ensure_cluster(paths, secrets["postgres_superuser"]))
    log.run("start PostgreSQL", lambda: _start(
        "postgres", postgres.running_pid(paths), host, ports["postgres"],
        lambda: postgres.start(paths, host=host, port=ports["postgres"])))
    log.run("CKAN database role", lambda: postgres.ensure_database(
        paths, host=host, port=ports["postgres"],
        superuser_password=secrets["postgres_superuser"], ckan_password=secrets["ckan_db"]))
    log.run("DataStore database", lambda: datastore.ensure_database(
        host=host, port=ports["postgres"], superuser_password=secrets["postgres_superuser"],
        read_password=secrets["datastore_ro"]))
    log.run("start Redis", lambda: _start(
        "redis", redis.running_pid(paths), host, ports["redis"],
        lambda: redis.start(paths, host=host, port=ports["redis"], password=secrets["redis"])))
    search_password = secrets["search_password"]
    # One started before it had these credentials would answer anyone: start it anew.
    search.stop_if_open(paths, host=host, port=ports["search"], password=search_password)
    log.run("start search service", lambda: _start(
        "search", search.running_pid(paths), host, ports["search"],
        lambda: search.start(paths, host=host, port=ports["search"], password=search_password)))
    config_changed = log.run("write ckan.ini", lambda: ckan.write_config(
        paths, settings,
        sqlalchemy_url=postgres.sqlalchemy_url(host=host, port=ports["postgres"],
                                               password=secrets["ckan_db"]),
        solr_url=search.solr_url(host=host, port=ports["search"]),
        solr_user=search.USER, solr_password=search_password,
        redis_url=redis.url(host=host, port=ports["redis"], password=secrets["redis"]),
        secret_key=secrets["ckan_secret_key"],
        datastore_write_url=datastore.write_url(host=host, port=ports["postgres"],
                                                password=secrets["ckan_db"]),
        datastore_read_url=datastore.read_url(host=host, port=ports["postgres"],
                                              password=secrets["datastore_ro"])))
    if config_changed and ckan.running_pid(paths):
        ckan.stop(paths)  # CKAN reads its config at start only
    log.run("CKAN database", lambda: ckan.ensure_database(paths, settings, secrets["ckan_db"]))
    # CKAN's script reads the rendered ckan.ini; CKAN checks the read-only role as it starts.
    log.run("DataStore permissions", lambda: datastore.ensure_permissions(
        paths, host=host, port=ports["postgres"],
        superuser_password=secrets["postgres_superuser"]))
    log.run("start CKAN", lambda: _start(
        "ckan", ckan.running_pid(paths), host, ports["ckan"],
        lambda: ckan.start(paths, settings)))
    log.run("sysadmin API token",
            lambda: ckan.ensure_admin_token(paths, settings, secrets["admin_password"]))
    log.run("organisation and groups", lambda: ensure_layout(
        CatalogClient(CatalogSettings(url=settings.ckan_url,
                                      token=Secret(read_secret_file(paths.token)))),
        load_layout(paths.catalog_config / "organization.yaml")))
    if national.enabled(settings):
        _up_national(settings, secrets, log)
    log.run("start Prefect server", lambda: _start(
        "prefect", prefect_server.running_pid(paths), host, ports["prefect"],
        lambda: prefect_server.start(paths, settings)))
    # The worker runs the scheduled flow runs (catalog_config/prefect.yaml) on this stack.
    log.run("start Prefect worker", lambda: prefect_worker.start(paths, settings))
    return log


def _up_national(settings: StackSettings, secrets: dict[str, Secret], log: StepLog) -> None:
    """The national catalog (GD Catalog stand-in): after the agency catalog, which it harvests.

    Its steps are named ``national: ...`` so the closing note can sum its own start time.
    """
    paths = national.NationalPaths(StackPaths(settings))
    host, ports = settings.host, settings.ports
    search_password = secrets["national_search_password"]
    log.run("national: private folders", lambda: national.restrict_folders(paths))
    log.run("national: database role", lambda: national.ensure_database(
        settings, superuser_password=secrets["postgres_superuser"],
        db_password=secrets["national_db"]))
    national.stop_search_if_open(paths, password=search_password)
    log.run("national: start search", lambda: _start(
        "national_search", national.search_pid(paths), host, ports["national_search"],
        lambda: national.start_search(paths, password=search_password)))
    config_changed = log.run("national: write ckan.ini", lambda: national.write_config(
        paths, db_password=secrets["national_db"], redis_password=secrets["redis"],
        search_password=search_password, secret_key=secrets["national_secret_key"]))
    if config_changed and national.running_pid(paths):
        national.stop(paths)  # CKAN reads its config at start only
    log.run("national: CKAN database", lambda: national.ensure_database_tables(
        paths, db_password=secrets["national_db"]))
    log.run("national: start CKAN", lambda: _start(
        "national", national.running_pid(paths), host, ports["national"],
        lambda: national.start(paths)))
    log.run("national: sysadmin API token", lambda: national.ensure_admin_token(
        paths, password=secrets["national_admin_password"]))


def down(settings: StackSettings) -> list[str]:
    """Stop this instance's services (only processes the stack started); return those stopped."""
    paths = StackPaths(settings)
    national_paths = national.NationalPaths(paths)
    # The worker first: stopped after the server, it would retry the missing server.
    stoppers = {"prefect_worker": prefect_worker.stop, "prefect": prefect_server.stop,
                "national": lambda _: national.stop(national_paths),
                "national_search": lambda _: search.stop(paths,
                                                         service=national.SEARCH_SERVICE),
                "ckan": ckan.stop, "search": search.stop,
                "redis": redis.stop, "postgres": postgres.stop}
    return [name for name, stop in stoppers.items() if stop(paths)]


def status(settings: StackSettings) -> dict[str, dict[str, object]]:
    """Per service: PID if running, port, and whether the port is taken by someone else."""
    paths = StackPaths(settings)
    pids = {"postgres": postgres.running_pid(paths), "redis": redis.running_pid(paths),
            "search": search.running_pid(paths), "ckan": ckan.running_pid(paths),
            "prefect": prefect_server.running_pid(paths)}
    report: dict[str, dict[str, object]] = {}
    for name in SERVICES:
        port = settings.ports[name]
        pid = pids[name]
        report[name] = {"pid": pid, "port": port,
                        "foreign": pid is None and _port_in_use(settings.host, port)}
    report["ckan"]["url"] = settings.ckan_url
    report["ckan"]["answers"] = ckan.api_answers(settings.ckan_url)
    report["ckan"]["token_file"] = str(paths.token) if paths.token.exists() else None
    report["ckan"]["server"] = ckan.describe_server(paths.pidfile(ckan.SERVICE), paths.ckan_ini)
    report["prefect"]["url"] = settings.prefect_ui_url
    report["prefect"]["api_url"] = settings.prefect_api_url
    report["prefect"]["answers"] = prefect_server.answers(settings.prefect_api_url)
    report["prefect_worker"] = _worker_status(settings, paths, report["prefect"]["answers"])
    if national.enabled(settings):
        report.update(_national_status(settings, paths))
    return report


def _worker_status(settings: StackSettings, paths: StackPaths,
                   server_answers: object) -> dict[str, object]:
    """The Prefect worker (no port of its own) and, when the server answers, the next
    scheduled run of each deployment on its pool."""
    from flows.pipelines.scheduled_runs import next_runs

    runs = next_runs(settings.prefect_api_url) if server_answers else []
    return {"pid": prefect_worker.running_pid(paths), "port": None, "foreign": False,
            "pool": prefect_worker.WORK_POOL, "name": prefect_worker.worker_name(settings),
            "log": str(prefect_worker.logfile(paths)),
            "next_runs": [{"deployment": run.deployment,
                           "expected": run.expected.isoformat() if run.expected else None,
                           "schedules": list(run.schedules)} for run in runs]}


def _national_status(settings: StackSettings, paths: StackPaths) -> dict[str, dict[str, object]]:
    national_paths = national.NationalPaths(paths)
    pids = {"national": national.running_pid(national_paths),
            "national_search": national.search_pid(national_paths)}
    report: dict[str, dict[str, object]] = {}
    for name, pid in pids.items():
        port = settings.ports[name]
        report[name] = {"pid": pid, "port": port,
                        "foreign": pid is None and _port_in_use(settings.host, port)}
    report["national"]["url"] = national.url(settings)
    report["national"]["answers"] = ckan.api_answers(national.url(settings))
    token = national_paths.token
    report["national"]["token_file"] = str(token) if token.exists() else None
    report["national"]["server"] = ckan.describe_server(national_paths.pidfile,
                                                        national_paths.ini)
    return report


def reset(settings: StackSettings, *, everything: bool = False) -> list[str]:
    """Stop the instance and delete its data; with ``everything`` also CKAN's virtualenv.

    The instance folder holds every service's data, Prefect's database and flow-run history too.
    """
    paths = StackPaths(settings)
    stopped = down(settings)
    postgres.remove_cluster_files(paths)
    shutil.rmtree(paths.instance, ignore_errors=True)
    if everything:
        shutil.rmtree(paths.ckan_venv, ignore_errors=True)
    return stopped


def _start(name: str, pid: int | None, host: str, port: int, start: Callable[[], None]) -> str:
    """Start a service unless it runs; refuse if a foreign program holds its port."""
    if pid is not None:
        return f"already running (pid {pid})"
    if _port_in_use(host, port):
        raise StackError(f"{host}:{port} is taken by another program, so {name} cannot start; "
                         f"stop that program or set SENATE_{name.upper()}_PORT to a free port")
    start()
    return f"started on {host}:{port}"


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _describe(result: object) -> str:
    if result is True:
        return "done"
    if result is False or result is None or result == []:
        return "already in place"
    if isinstance(result, list):
        return "; ".join(map(str, result))
    return str(result)
