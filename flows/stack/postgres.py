"""A private PostgreSQL 15 cluster for CKAN, on loopback, run as the ``postgres`` user.

Password (scram) authentication everywhere: the superuser and CKAN's role have generated
passwords from the instance's secrets file, sent to psql through the environment or stdin.
Where the cluster's files live (a folder the postgres user can reach) is ``cluster_dir``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from flows.errors import StackError
from flows.settings import DEFAULT_PG_BIN, Secret
from flows.stack import cluster_dir, processes
from flows.stack.paths import StackPaths
from flows.stack.shell import as_user, run

DB_NAME = DB_ROLE = "ckan_default"
SERVICE = "postgres"


def ensure_cluster(paths: StackPaths, superuser_password: Secret) -> bool:
    """Create the cluster on first use; return True if it was created now."""
    if not (paths.settings.pg_bin / "initdb").exists():
        raise StackError(f"PostgreSQL 15 binaries not found in {paths.settings.pg_bin}; "
                         "install the Debian package postgresql-15 or set SENATE_PG_BIN to "
                         "their folder")
    cluster = cluster_dir.place(paths)
    if (cluster.data / "PG_VERSION").exists():
        return False
    _write_initdb_password(cluster.initdb_pwfile, superuser_password)
    try:
        initdb = paths.settings.pg_bin / "initdb"
        run(as_user("postgres", [str(initdb), "-D", str(cluster.data),
                                 "--username=postgres", f"--pwfile={cluster.initdb_pwfile}",
                                 "--auth=scram-sha-256", "--encoding=UTF8",
                                 "--locale=C.UTF-8"]),
            what="initdb (create the PostgreSQL cluster)", umask=processes.PRIVATE_UMASK)
    finally:
        cluster.initdb_pwfile.unlink(missing_ok=True)
    return True


def start(paths: StackPaths, *, host: str, port: int) -> None:
    """Start the cluster if it is not running (pg_ctl waits until it accepts connections)."""
    if running_pid(paths):
        return
    cluster = cluster_dir.locate(paths)
    options = f"-c listen_addresses={host} -p {port} -k {cluster.socket_dir}"
    pg_ctl = paths.settings.pg_bin / "pg_ctl"
    run(as_user("postgres", [str(pg_ctl), "-D", str(cluster.data), "-l",
                             str(cluster.logfile), "-o", options, "-w", "-t", "60", "start"]),
        what=f"start PostgreSQL on {host}:{port} (log: {cluster.logfile})",
        umask=processes.PRIVATE_UMASK)


def stop(paths: StackPaths) -> bool:
    """Stop the cluster (fast shutdown); return True if it was running."""
    if not running_pid(paths):
        return False
    data = cluster_dir.locate(paths).data
    pg_ctl = paths.settings.pg_bin / "pg_ctl"
    run(as_user("postgres", [str(pg_ctl), "-D", str(data), "-m", "fast",
                             "-w", "-t", "60", "stop"]),
        what="stop PostgreSQL")
    return True


def running_pid(paths: StackPaths) -> int | None:
    """The postmaster's PID if this instance's cluster is up."""
    # postmaster.pid's first line is the PID; the data dir is in the command line.
    data = cluster_dir.locate(paths).data
    return processes.running_pid(data / "postmaster.pid", str(data))


def ensure_database(paths: StackPaths, *, host: str, port: int,
                    superuser_password: Secret, ckan_password: Secret,
                    role: str = DB_ROLE, database: str = DB_NAME) -> bool:
    """Create a CKAN's role and UTF-8 database if missing; return True if anything was made.

    The agency catalog's by default; the national catalog has its own pair in the same cluster.
    """
    created = False
    if not _query(host, port, superuser_password,
                  f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'"):
        # The password travels on stdin, never in argv.
        _query(host, port, superuser_password,
               f"CREATE ROLE {role} LOGIN PASSWORD '{ckan_password.reveal()}'")
        created = True
    if not _query(host, port, superuser_password,
                  f"SELECT 1 FROM pg_database WHERE datname = '{database}'"):
        _query(host, port, superuser_password,
               f"CREATE DATABASE {database} OWNER {role} ENCODING 'UTF8' TEMPLATE template0")
        created = True
    return created


def has_table(*, host: str, port: int, password: Secret, table: str,
              role: str = DB_ROLE, database: str = DB_NAME) -> bool:
    """True if a CKAN's database already holds ``table`` (i.e. ``ckan db init`` has run)."""
    sql = f"SELECT 1 FROM information_schema.tables WHERE table_name = '{table}'"
    return bool(_query(host, port, password, sql, user=role, database=database))


def sqlalchemy_url(*, host: str, port: int, password: Secret,
                   role: str = DB_ROLE, database: str = DB_NAME) -> str:
    return f"postgresql://{role}:{password.reveal()}@{host}:{port}/{database}"


def _query(host: str, port: int, password: Secret, sql: str, *,
           user: str = "postgres", database: str = "postgres") -> str:
    psql = shutil.which("psql") or str(DEFAULT_PG_BIN / "psql")
    return run([psql, "-h", host, "-p", str(port), "-U", user, "-d", database,
                "-v", "ON_ERROR_STOP=1", "-tA", "-f", "-"],
               # psql's whole environment: the password, and nothing of this process's
               env={"PGPASSWORD": password.reveal(), "PGCONNECT_TIMEOUT": "10",
                    "LC_ALL": "C.UTF-8"},
               stdin=sql + ";\n", what="psql").strip()


def remove_cluster_files(paths: StackPaths) -> None:
    """Delete the cluster, wherever ``cluster_dir`` placed it (the cluster must be stopped)."""
    cluster_dir.remove(paths)


def _write_initdb_password(pwfile: Path, password: Secret) -> None:
    """The superuser's password for initdb: 0600 from the start, the postgres user's."""
    pwfile.unlink(missing_ok=True)
    descriptor = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password.reveal())
    cluster_dir.hand_to_postgres(pwfile)
