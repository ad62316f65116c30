"""Where an instance's PostgreSQL cluster lives: a folder the ``postgres`` user can reach.

The server runs as ``postgres`` (it refuses root), so every path it is given — the data folder,
the socket and lock folder, the log, initdb's password file — must be reachable by that user.
A clone inside a private folder (``mktemp -d`` and home folders are 0700) is not, and loosening
the user's own folders is not ours to do. Run as root, the stack then keeps the cluster under
the postgres user's home, one folder per clone and instance::

    ~postgres/senate-catalog/<sha256 of the state folder, 16 hex>/<instance>/
        data/  run/  postgres.log  ORIGIN

``.stack/<instance>/postgres`` is a symbolic link to it, so ``up``, ``down``, ``status`` and
``reset`` find it again; two clones never share a folder. Where the clone is reachable, the
cluster stays in ``.stack/<instance>/postgres`` itself. Either way its folders are the postgres
user's, 0700, and the server (umask 077) writes 0600 files.

PostgreSQL is always given the *resolved* paths (``locate``): a path through the link would
still pass through the clone's private folder.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
from dataclasses import dataclass
from pathlib import Path

from flows.errors import StackError
from flows.stack import processes
from flows.stack.paths import StackPaths
from flows.stack.shell import as_user, run

SERVICE = "postgres"
#: Under the postgres user's home: one folder per clone (hash of its state folder).
HOME_FOLDER = "senate-catalog"
PRIVATE_DIR_MODE = 0o700


@dataclass(frozen=True)
class ClusterDir:
    """The cluster's folder, as PostgreSQL must be given it (no symbolic link on the way)."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    @property
    def logfile(self) -> Path:
        return self.root / f"{SERVICE}.log"

    @property
    def initdb_pwfile(self) -> Path:
        return self.root / ".initdb-pw"


def locate(paths: StackPaths) -> ClusterDir:
    """Where this instance's cluster is (or would be kept in place); changes nothing."""
    link = paths.service_dir(SERVICE)
    return ClusterDir(link.resolve() if link.is_symlink() else link)


def home_dir(paths: StackPaths) -> Path:
    """The folder under the postgres user's home for this clone's state folder and instance."""
    digest = hashlib.sha256(str(paths.root).encode()).hexdigest()[:16]
    return _postgres_user_home() / HOME_FOLDER / digest / paths.settings.instance


def place(paths: StackPaths) -> ClusterDir:
    """Make the cluster's folders (0700, the postgres user's) where that user can reach them.

    An existing cluster is never moved. Idempotent: a second call only re-tightens the modes.
    """
    link = paths.service_dir(SERVICE)
    link.parent.mkdir(parents=True, exist_ok=True)
    if _must_move_home(link):
        _link_home(paths, link)
    cluster = locate(paths)
    for folder in (cluster.root, cluster.data, cluster.socket_dir):
        make_private_dir(folder)
    return cluster


def remove(paths: StackPaths) -> None:
    """Delete the cluster's files: the link's target and the link, or the folder in place.

    The keyed folder under the postgres home goes too, should its link have been lost.
    """
    link = paths.service_dir(SERVICE)
    targets = [locate(paths).root]
    if os.geteuid() == 0 and _has_postgres_user():
        targets.append(home_dir(paths))
    if link.is_symlink():
        link.unlink()
    for target in targets:
        shutil.rmtree(target, ignore_errors=True)
        _remove_if_empty(target.parent)


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (0700) and give it to the postgres user when we run as root."""
    folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    folder.chmod(PRIVATE_DIR_MODE)
    hand_to_postgres(folder)


def hand_to_postgres(path: Path) -> None:
    """Give ``path`` (not what is below it) to the postgres user when we run as root."""
    if os.geteuid() == 0:
        entry = _postgres_user()
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _must_move_home(link: Path) -> bool:
    """True when, as root, the cluster is not there yet and postgres cannot reach the clone.

    A real folder with a cluster in it stays (never moved); one without (left by a failed
    ``up``) is replaced.
    """
    if os.geteuid() != 0 or link.is_symlink() or (link / "data" / "PG_VERSION").exists():
        return False
    return not _postgres_can_enter(link.parent)


def _link_home(paths: StackPaths, link: Path) -> None:
    target = home_dir(paths)
    pid = processes.running_pid(target / "data" / "postmaster.pid", str(target / "data"))
    if pid is not None:
        raise StackError(f"a PostgreSQL server (pid {pid}) still runs from {target}, whose "
                         "link in the state folder was deleted; stop it as the postgres user "
                         f"(pg_ctl -D {target / 'data'} -m fast stop), then run `up` again")
    # Its link (and the secrets with it) are gone: its passwords are unknown, start afresh.
    shutil.rmtree(target, ignore_errors=True)
    if link.exists():
        shutil.rmtree(link)
    for folder in (target.parent.parent, target.parent, target):
        make_private_dir(folder)
    _write_origin(paths, target)
    link.symlink_to(target, target_is_directory=True)


def _write_origin(paths: StackPaths, target: Path) -> None:
    """A note for whoever finds the folder under the postgres home: whose it is."""
    note = target / "ORIGIN"
    note.write_text(f"senate-catalog stack instance '{paths.settings.instance}' of "
                    f"{paths.root}\nremoved by `senate-catalog stack reset` there\n",
                    encoding="utf-8")
    note.chmod(0o600)
    hand_to_postgres(note)


def _postgres_can_enter(folder: Path) -> bool:
    """True if the postgres user can reach ``folder`` (every folder above it traversable)."""
    try:
        run(as_user(SERVICE, ["test", "-x", str(folder)]), what="access check")
    except StackError:
        return False
    return True


def _remove_if_empty(folder: Path) -> None:
    """Remove a clone's hash folder under the postgres home once its last instance is gone."""
    if folder.parent.name != HOME_FOLDER:
        return
    try:
        folder.rmdir()
    except OSError:
        pass


def _postgres_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(SERVICE)
    except KeyError as exc:
        raise StackError("there is no `postgres` user; install the Debian package "
                         "postgresql-15, which creates it") from exc


def _has_postgres_user() -> bool:
    try:
        pwd.getpwnam(SERVICE)
    except KeyError:
        return False
    return True


def _postgres_user_home() -> Path:
    return Path(_postgres_user().pw_dir)
