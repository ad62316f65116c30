"""The DataStore's own PostgreSQL database, in the instance's cluster, with a read-only role.

CKAN's ``datastore`` plugin keeps the rows of each public data file in ``datastore_default``.
CKAN's role (``ckan_default``) owns and writes it; the public API reads it through
``datastore_ro``, a role that may only SELECT: CKAN checks that at start-up, and the rights
come from CKAN's own ``ckan datastore set-permissions`` script, run as the superuser.

``ensure_database`` and ``ensure_permissions`` look at real state first, so a second ``up``
does nothing. Passwords travel on psql's stdin or in its environment, never in argv.
"""

from __future__ import annotations

from flows.errors import StackError
from flows.settings import Secret
from flows.stack import postgres
from flows.stack.paths import StackPaths
from flows.stack.shell import run

DB_NAME = "datastore_default"
READ_ROLE = "datastore_ro"
#: Thai has no stemmer in PostgreSQL and English stemming mangles Thai words: ``simple`` (split
#: on spaces and punctuation, lower-case) for the full-text column the trigger fills.
TEXT_SEARCH_CONFIG = "pg_catalog.simple"


def ensure_database(*, host: str, port: int, superuser_password: Secret,
                    read_password: Secret) -> bool:
    """Create the read-only role and the DataStore database if missing; True if anything was made."""
    created = False
    if not _superuser(host, port, superuser_password,
                      f"SELECT 1 FROM pg_roles WHERE rolname = '{READ_ROLE}'"):
        _superuser(host, port, superuser_password,
                   f"CREATE ROLE {READ_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                   f"PASSWORD '{read_password.reveal()}'")
        created = True
    if not _superuser(host, port, superuser_password,
                      f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"):
        _superuser(host, port, superuser_password,
                   f"CREATE DATABASE {DB_NAME} OWNER {postgres.DB_ROLE} ENCODING 'UTF8' "
                   "TEMPLATE template0")
        _superuser(host, port, superuser_password,
                   f"ALTER DATABASE {DB_NAME} SET default_text_search_config = "
                   f"'{TEXT_SEARCH_CONFIG}'")
        created = True
    return created


def ensure_permissions(paths: StackPaths, *, host: str, port: int,
                       superuser_password: Secret) -> bool:
    """Apply CKAN's DataStore permissions script once (it needs the rendered ckan.ini).

    The script's last objects (the ``_table_metadata`` view and the full-text trigger function)
    mark it as applied; True if it ran now.
    """
    if permissions_applied(host=host, port=port, superuser_password=superuser_password):
        return False
    script = run([str(paths.venv_bin("ckan")), "-c", str(paths.ckan_ini), "datastore",
                  "set-permissions"], what="ckan datastore set-permissions",
                 env=paths.settings.child_environment(
                     {"PYTHONUTF8": "1", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}))
    if "GRANT" not in script:   # CKAN prints warnings before the SQL; no SQL is a failure
        raise _no_sql(script)
    _superuser(host, port, superuser_password, _sql_only(script), database=DB_NAME)
    # The script revokes CONNECT to CKAN's database from the read-only role, but every role
    # still has it through PUBLIC (PostgreSQL's default): only CKAN's role (the owner) keeps it.
    _superuser(host, port, superuser_password,
               f"REVOKE CONNECT ON DATABASE {postgres.DB_NAME} FROM PUBLIC")
    return True


def permissions_applied(*, host: str, port: int, superuser_password: Secret) -> bool:
    """Whether the permissions script has run on the DataStore database."""
    return bool(_superuser(
        host, port, superuser_password,
        "SELECT 1 FROM pg_views v JOIN pg_proc p ON p.proname = 'populate_full_text_trigger' "
        f"WHERE v.viewname = '_table_metadata' AND has_database_privilege('{READ_ROLE}', "
        f"'{DB_NAME}', 'CONNECT') AND NOT has_database_privilege('{READ_ROLE}', "
        f"'{postgres.DB_NAME}', 'CONNECT')", database=DB_NAME))


def write_url(*, host: str, port: int, password: Secret) -> str:
    """CKAN's role on the DataStore database (writes the tables)."""
    return f"postgresql://{postgres.DB_ROLE}:{password.reveal()}@{host}:{port}/{DB_NAME}"


def read_url(*, host: str, port: int, password: Secret) -> str:
    """The read-only role on the DataStore database (the public's searches)."""
    return f"postgresql://{READ_ROLE}:{password.reveal()}@{host}:{port}/{DB_NAME}"


def _no_sql(output: str) -> StackError:
    tail = "\n".join(output.strip().splitlines()[-5:])
    return StackError("`ckan datastore set-permissions` printed no SQL; check "
                     "ckan.datastore.write_url/read_url in catalog_config/ckan.ini.template "
                     f"(its output ended with: {tail})")


def _sql_only(script: str) -> str:
    """The SQL of the script's output (from its first comment or statement on)."""
    lines = script.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(("/*", "\\connect"))), 0)
    return "\n".join(lines[start:]).rstrip().rstrip(";")


def _superuser(host: str, port: int, password: Secret, sql: str, *,
               database: str = "postgres") -> str:
    return postgres._query(host, port, password, sql, database=database)
