"""A private PostgreSQL 15 cluster for CKAN, on loopback, run as the ``postgres`` user.

Password (scram) authentication everywhere: the superuser and CKAN's role have generated
passwords from the instance's secrets file, sent to psql through the environment or stdin.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
from pathlib import Path

from flows.errors import StackError
from flows.settings import Secret
from flows.stack import processes
from flows.stack.paths import StackPaths
from flows.stack.shell import as_user, run

PG_BIN = Path(os.environ.get("SENATE_PG_BIN", "/usr/lib/postgresql/15/bin"))
DB_NAME = DB_ROLE = "ckan_default"
SERVICE = "postgres"


def ensure_cluster(paths: StackPaths, superuser_password: Secret) -> bool:
    """Create the cluster on first use; return True if it was created now."""
    if (paths.pg_data / "PG_VERSION").exists():
        return False
    if not (PG_BIN / "initdb").exists():
        raise StackError(f"PostgreSQL 15 binaries not found in {PG_BIN}; install the Debian "
                         "package postgresql-15 or set SENATE_PG_BIN to their folder")
    _prepare_service_dir(paths.service_dir(SERVICE))
    paths.pg_data.mkdir(parents=True, exist_ok=True)
    paths.pg_socket_dir.mkdir(parents=True, exist_ok=True)
    _hand_to_postgres(paths.service_dir(SERVICE))
    pwfile = paths.service_dir(SERVICE) / ".initdb-pw"
    pwfile.write_text(superuser_password.reveal(), encoding="utf-8")
    _hand_to_postgres(pwfile)
    try:
        run(as_user("postgres", [str(PG_BIN / "initdb"), "-D", str(paths.pg_data),
                                 "--username=postgres", f"--pwfile={pwfile}",
                                 "--auth=scram-sha-256", "--encoding=UTF8",
                                 "--locale=C.UTF-8"]),
            what="initdb (create the PostgreSQL cluster)")
    finally:
        pwfile.unlink(missing_ok=True)
    return True


def start(paths: StackPaths, *, host: str, port: int) -> None:
    """Start the cluster if it is not running (pg_ctl waits until it accepts connections)."""
    if running_pid(paths):
        return
    options = f"-c listen_addresses={host} -p {port} -k {paths.pg_socket_dir}"
    run(as_user("postgres", [str(PG_BIN / "pg_ctl"), "-D", str(paths.pg_data), "-l",
                             str(paths.logfile(SERVICE)), "-o", options, "-w", "-t", "60",
                             "start"]),
        what=f"start PostgreSQL on {host}:{port} (log: {paths.logfile(SERVICE)})")


def stop(paths: StackPaths) -> bool:
    """Stop the cluster (fast shutdown); return True if it was running."""
    if not running_pid(paths):
        return False
    run(as_user("postgres", [str(PG_BIN / "pg_ctl"), "-D", str(paths.pg_data), "-m", "fast",
                             "-w", "-t", "60", "stop"]),
        what="stop PostgreSQL")
    return True


def running_pid(paths: StackPaths) -> int | None:
    """The postmaster's PID if this instance's cluster is up."""
    # postmaster.pid's first line is the PID; the data dir is in the command line.
    return processes.running_pid(paths.pg_data / "postmaster.pid", str(paths.pg_data))


def ensure_database(paths: StackPaths, *, host: str, port: int,
                    superuser_password: Secret, ckan_password: Secret) -> bool:
    """Create CKAN's role and UTF-8 database if missing; return True if anything was made."""
    created = False
    if not _query(host, port, superuser_password,
                  f"SELECT 1 FROM pg_roles WHERE rolname = '{DB_ROLE}'"):
        # The password travels on stdin, never in argv.
        _query(host, port, superuser_password,
               f"CREATE ROLE {DB_ROLE} LOGIN PASSWORD '{ckan_password.reveal()}'")
        created = True
    if not _query(host, port, superuser_password,
                  f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"):
        _query(host, port, superuser_password,
               f"CREATE DATABASE {DB_NAME} OWNER {DB_ROLE} ENCODING 'UTF8' TEMPLATE template0")
        created = True
    return created


def has_table(*, host: str, port: int, password: Secret, table: str) -> bool:
    """True if CKAN's database already holds ``table`` (i.e. ``ckan db init`` has run)."""
    sql = f"SELECT 1 FROM information_schema.tables WHERE table_name = '{table}'"
    return bool(_query(host, port, password, sql, user=DB_ROLE, database=DB_NAME))


def sqlalchemy_url(*, host: str, port: int, password: Secret) -> str:
    return f"postgresql://{DB_ROLE}:{password.reveal()}@{host}:{port}/{DB_NAME}"


def _query(host: str, port: int, password: Secret, sql: str, *,
           user: str = "postgres", database: str = "postgres") -> str:
    psql = shutil.which("psql") or str(PG_BIN / "psql")
    return run([psql, "-h", host, "-p", str(port), "-U", user, "-d", database,
                "-v", "ON_ERROR_STOP=1", "-tA", "-f", "-"],
               env={"PGPASSWORD": password.reveal(), "PGCONNECT_TIMEOUT": "10"},
               stdin=sql + ";\n", what="psql").strip()


def _prepare_service_dir(service_dir: Path) -> None:
    """Make the cluster's folder; if the postgres user cannot reach it, link it to one it can.

    A clone under a private home (e.g. /root, mode 0700) is not traversable by ``postgres``.
    Rather than loosening the permissions of the user's folders, the cluster then lives under
    the postgres user's home and ``.stack/<instance>/postgres`` is a symlink to it.
    """
    service_dir.parent.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or service_dir.exists():
        return
    try:
        run(as_user("postgres", ["test", "-x", str(service_dir.parent)]), what="access check")
        service_dir.mkdir()
        return
    except StackError:
        pass
    digest = hashlib.sha1(str(service_dir).encode()).hexdigest()[:12]
    target = Path(pwd.getpwnam("postgres").pw_dir) / "senate-catalog" / digest
    target.mkdir(parents=True, exist_ok=True)
    _hand_to_postgres(target.parent)
    service_dir.symlink_to(target, target_is_directory=True)


def remove_cluster_files(paths: StackPaths) -> None:
    """Delete the cluster, following the symlink made by ``_prepare_service_dir``."""
    service_dir = paths.service_dir(SERVICE)
    if service_dir.is_symlink():
        shutil.rmtree(service_dir.resolve(), ignore_errors=True)
        service_dir.unlink()
    else:
        shutil.rmtree(service_dir, ignore_errors=True)


def _hand_to_postgres(path: Path) -> None:
    """Give ``path`` to the postgres user when we run as root (initdb refuses root)."""
    if os.geteuid() != 0:
        return
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise StackError("there is no `postgres` user; install the Debian package "
                         "postgresql-15, which creates it") from exc
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.chown(item, entry.pw_uid, entry.pw_gid)
