"""Files the pipeline writes are private to the user that runs it.

Reports and outputs can hold what personal data the scans did not catch, Prefect's cached task
results hold whole validation results, and private resource files hold personal data by design:
none of it is for other users of the host. New files are made private by the process umask
(0600 files, 0700 folders); ``make_private`` tightens what an earlier run left more open.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

#: Masks the group and other permission bits: files 0600, folders 0700.
PRIVATE_UMASK = 0o077


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files and folders 0600 / 0700 for the duration (the umask is per process)."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def make_private(folder: Path) -> None:
    """``folder`` and everything under it: folders 0700, files 0600 (a missing folder: nothing)."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    folder.chmod(0o700)
    for path in folder.rglob("*"):
        if path.is_symlink():
            continue
        path.chmod(0o700 if path.is_dir() else 0o600)
