"""The national catalog: a second CKAN 2.11, stand-in for the GD Catalog, that harvests the
agency catalog with ckanext-harvest.

It shares the stack's PostgreSQL cluster (its own database and role), Redis (its own database
number) and CKAN's virtualenv; the search service serves one core per process, so it gets its
own search process, port and password. Its ckan.ini comes from
catalog_config/national_ckan.ini.template (0600), with the same DGA scheming schema and the
project's extension, no theme and no DataStore. Every step checks real state first, like the
agency catalog's, so a second ``up`` does nothing. An instance whose ports name no ``national``
has no national catalog (``enabled``).
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from pathlib import Path

from flows.errors import StackError
from flows.national.settings import stack_token_file, stack_url
from flows.settings import Secret, StackSettings
from flows.stack import ckan, permissions, postgres, processes, redis, search
from flows.stack.paths import StackPaths
from flows.stack.secrets_store import write_private
from flows.stack.shell import run

SERVICE = "national"
SEARCH_SERVICE = "national-search"
SEARCH_CORE = "national"
DB_NAME = DB_ROLE = "ckan_national"
#: The agency catalog uses Redis database 0.
REDIS_DB = 1
ADMIN_USER = "national_admin"
TEMPLATE = "national_ckan.ini.template"
#: ckanext-harvest's tables (``ckan db upgrade -p harvest``) and CKAN's activity plugin's.
PLUGIN_TABLES = (("activity", "activity"), ("harvest", "harvest_source"))


def enabled(settings: StackSettings) -> bool:
    """True if this instance has ports for the national catalog and its search process."""
    return SERVICE in settings.ports and "national_search" in settings.ports


@dataclass(frozen=True)
class NationalPaths:
    """The national catalog's files, under .stack/<instance>/national/."""

    stack: StackPaths

    @property
    def folder(self) -> Path:
        return self.stack.service_dir(SERVICE)

    @property
    def ini(self) -> Path:
        return self.folder / "ckan.ini"

    @property
    def storage(self) -> Path:
        return self.folder / "storage"

    @property
    def token(self) -> Path:
        return stack_token_file(self.stack.settings)

    @property
    def pidfile(self) -> Path:
        return self.stack.pidfile(SERVICE)

    @property
    def logfile(self) -> Path:
        return self.stack.logfile(SERVICE)


def url(settings: StackSettings) -> str:
    return stack_url(settings)


def restrict_folders(paths: NationalPaths) -> bool:
    """Create the national catalog's folders 0700 and take others' bits off what is there."""
    changed = 0
    for folder in (paths.folder, paths.storage, paths.stack.service_dir(SEARCH_SERVICE)):
        folder.mkdir(mode=permissions.PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        changed += permissions.restrict_tree(folder)
    return changed > 0


def ensure_database(settings: StackSettings, *, superuser_password: Secret,
                    db_password: Secret) -> bool:
    """The national catalog's own role and database in the stack's cluster."""
    return postgres.ensure_database(
        StackPaths(settings), host=settings.host, port=settings.ports["postgres"],
        superuser_password=superuser_password, ckan_password=db_password,
        role=DB_ROLE, database=DB_NAME)


def solr_url(settings: StackSettings) -> str:
    return search.solr_url(host=settings.host, port=settings.ports["national_search"],
                           core=SEARCH_CORE)


def start_search(paths: NationalPaths, *, password: Secret) -> None:
    settings = paths.stack.settings
    search.start(paths.stack, host=settings.host, port=settings.ports["national_search"],
                 password=password, service=SEARCH_SERVICE, core=SEARCH_CORE)


def stop_search_if_open(paths: NationalPaths, *, password: Secret) -> bool:
    settings = paths.stack.settings
    return search.stop_if_open(paths.stack, host=settings.host,
                               port=settings.ports["national_search"], password=password,
                               service=SEARCH_SERVICE, core=SEARCH_CORE)


def search_pid(paths: NationalPaths) -> int | None:
    return search.running_pid(paths.stack, service=SEARCH_SERVICE)


def write_config(paths: NationalPaths, *, db_password: Secret, redis_password: Secret,
                 search_password: Secret, secret_key: Secret) -> bool:
    """Render the national template to its ckan.ini (0600); True if the file changed."""
    settings = paths.stack.settings
    host = settings.host
    template = string.Template((paths.stack.catalog_config / TEMPLATE).read_text(encoding="utf-8"))
    text = template.substitute(
        secret_key=secret_key.reveal(), site_url=url(settings), instance=settings.instance,
        sqlalchemy_url=postgres.sqlalchemy_url(host=host, port=settings.ports["postgres"],
                                               password=db_password, role=DB_ROLE,
                                               database=DB_NAME),
        solr_url=solr_url(settings), solr_user=search.USER,
        solr_password=search_password.reveal(),
        redis_url=redis.url(host=host, port=settings.ports["redis"], password=redis_password,
                            db=REDIS_DB),
        storage_path=paths.storage, catalog_config=paths.stack.catalog_config,
        host=host, port=settings.ports[SERVICE])
    if paths.ini.exists() and paths.ini.read_text(encoding="utf-8") == text:
        return False
    write_private(paths.ini, text)
    return True


def ensure_database_tables(paths: NationalPaths, *, db_password: Secret) -> list[str]:
    """``ckan db init``, then the activity and harvest plugins' migrations, where missing."""
    settings = paths.stack.settings
    where = {"host": settings.host, "port": settings.ports["postgres"], "password": db_password,
             "role": DB_ROLE, "database": DB_NAME}
    done = []
    if not postgres.has_table(table="package", **where):
        _ckan(paths, "db", "init", what="ckan db init (national catalog)")
        done.append("db init")
    for plugin, table in PLUGIN_TABLES:
        if not postgres.has_table(table=table, **where):
            _ckan(paths, "db", "upgrade", "-p", plugin,
                  what=f"ckan db upgrade -p {plugin} (national catalog)")
            done.append(f"db upgrade -p {plugin}")
    return done


def start(paths: NationalPaths, *, timeout: float = 240) -> None:
    """Start the national CKAN if it is not running and wait until its API answers."""
    settings = paths.stack.settings
    ckan.start_server(paths.stack, ini=paths.ini, host=settings.host,
                      port=settings.ports[SERVICE], url=url(settings), pidfile=paths.pidfile,
                      logfile=paths.logfile, what="the national CKAN",
                      server=settings.ckan_server, workers=settings.ckan_workers,
                      timeout=timeout)


def stop(paths: NationalPaths) -> bool:
    return ckan.stop_server(paths.pidfile, paths.ini)


def running_pid(paths: NationalPaths) -> int | None:
    return ckan.server_pid(paths.pidfile, paths.ini)


def ensure_admin_token(paths: NationalPaths, *, password: Secret) -> bool:
    """The national sysadmin and a working API token in its own 0600 file; True if made now."""
    site = url(paths.stack.settings)
    if paths.token.exists() and ckan.token_works(site, paths.token, user=ADMIN_USER):
        return False
    request = {"user": ADMIN_USER, "email": "national-catalog@example.invalid",
               "fullname": "National catalog harvester", "password": password.reveal(),
               "token_file": str(paths.token), "token_name": "senate-national-harvest"}
    run([str(paths.stack.venv_bin("python")),
         str(paths.stack.catalog_config / "ckan_bootstrap.py"), str(paths.ini)],
        stdin=json.dumps(request), env=paths.stack.settings.child_environment(ckan.UTF8_ENV),
        what="create the national sysadmin's API token", umask=processes.PRIVATE_UMASK)
    if not ckan.token_works(site, paths.token, user=ADMIN_USER):
        raise StackError(f"the new API token in {paths.token} is refused by {site}")
    return True


def run_harvest_job(paths: NationalPaths, source: str, *, timeout: float = 1800) -> str:
    """One synchronous harvest job of ``source`` (catalog_config/national_harvest.py: the
    stages of ``ckan harvester run-test``, without its dev-only dependency); the job's id."""
    output = run([str(paths.stack.venv_bin("python")),
                  str(paths.stack.catalog_config / "national_harvest.py"), str(paths.ini), source],
                 what=f"harvest job of {source} on the national catalog (log: {paths.logfile})",
                 env=paths.stack.settings.child_environment(ckan.UTF8_ENV),
                 umask=processes.PRIVATE_UMASK, timeout=timeout)
    return json.loads(output.strip().splitlines()[-1])["job_id"]


def _ckan(paths: NationalPaths, *args: str, what: str, timeout: float = 900) -> str:
    return run([str(paths.stack.venv_bin("ckan")), "-c", str(paths.ini), *args], what=what,
               env=paths.stack.settings.child_environment(ckan.UTF8_ENV),
               umask=processes.PRIVATE_UMASK, timeout=timeout)
