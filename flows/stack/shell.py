"""Run the external commands the stack needs, with errors that say what failed and where to look."""

from __future__ import annotations

import os
import subprocess
from typing import Mapping, Sequence

from flows.errors import StackError

#: How much of a failed command's output goes into the error message.
_TAIL_LINES = 15


def run(argv: Sequence[str], *, what: str, env: Mapping[str, str] | None = None,
        stdin: str | None = None, timeout: float = 900, umask: int = -1) -> str:
    """Run ``argv`` and return its stdout; raise StackError with the output's tail on failure.

    Secrets are passed through ``env`` or ``stdin`` only, never in ``argv`` (which other local
    users can read in /proc). ``env`` is the command's whole environment (None: this
    process's; ``StackSettings.child_environment`` builds one). ``umask`` (if not negative) is
    the command's umask.
    """
    try:
        proc = subprocess.run(list(argv), input=stdin, env=env, capture_output=True,
                              text=True, timeout=timeout, check=False, umask=umask)
    except FileNotFoundError as exc:
        raise StackError(f"{what}: {argv[0]} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise StackError(f"{what}: no result after {timeout:.0f} s") from exc
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-_TAIL_LINES:])
        raise StackError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return proc.stdout


def as_user(user: str, argv: Sequence[str]) -> list[str]:
    """Prefix ``argv`` to run as ``user`` when we are root (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return list(argv)
    return ["runuser", "-u", user, "--", *argv]
