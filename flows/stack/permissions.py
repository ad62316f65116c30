"""File modes of an instance's state: the data folders are their owner's alone.

The services are started with umask 077 (``processes.spawn``), so what they create from then on
is 0600 in 0700 folders. ``restrict_instance`` creates the folders that way on a fresh instance
and, on every ``up``, takes away the group and other bits that older versions of the stack left
on what already exists (uploaded files were 0644, folders 0755).

PostgreSQL's folder is left to ``cluster_dir``: its files belong to the ``postgres`` user, its
folders are 0700 wherever it lives, and initdb and the server (umask 077) write 0600 files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from flows.stack.paths import StackPaths

#: The services whose folders hold data and are owned by the stack's own user.
#: ``prefect`` is the instance's PREFECT_HOME (database, cached task results).
PRIVATE_SERVICES = ("redis", "search", "ckan", "prefect")
PRIVATE_DIR_MODE = 0o700
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def restrict_instance(paths: StackPaths) -> list[str]:
    """Make each service folder (and CKAN's storage) 0700 with nothing in it readable by
    others; return the services where a mode had to change."""
    folders = {service: paths.service_dir(service) for service in PRIVATE_SERVICES}
    for folder in (*folders.values(), paths.ckan_storage):
        folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    return [service for service, folder in folders.items() if restrict_tree(folder)]


def restrict_tree(root: Path) -> int:
    """Take the group and other bits off ``root`` and everything below it; return how many
    modes changed. Symbolic links are neither changed nor followed."""
    changed = _restrict(root)
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            changed += _restrict(Path(folder, name))
    return changed


def _restrict(path: Path) -> int:
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode) or not mode & _OTHERS:
        return 0
    os.chmod(path, stat.S_IMODE(mode) & ~_OTHERS)
    return 1
