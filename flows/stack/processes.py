"""Start, find and stop the stack's own background processes.

A PID file alone is not proof: after a reboot the PID may belong to someone else. Each process is
therefore identified by its PID *and* a marker string that must appear in its command line (the
data directory or config path), so ``down`` never signals a process the stack did not start.

Every service holds data (rows, the index, uploaded files, sessions, flow runs), so each is
started with umask 077: whatever it creates is readable by its own user only (files 0600,
folders 0700), and so is its log.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Mapping, Sequence

from flows.errors import StackError

#: The umask of every process ``spawn`` starts: nothing it creates is readable by others.
PRIVATE_UMASK = 0o077


def read_pid(pidfile: Path) -> int | None:
    """Return the PID on the first line of ``pidfile``, or None if absent/garbled."""
    try:
        first = pidfile.read_text(encoding="ascii").splitlines()[0].strip()
    except (OSError, IndexError, UnicodeDecodeError):
        return None
    return int(first) if first.isdigit() else None


def process_matches(pid: int, marker: str) -> bool:
    """True if ``pid`` is alive and its command line contains ``marker``."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return marker.encode() in cmdline.replace(b"\0", b" ")


def running_pid(pidfile: Path, marker: str) -> int | None:
    """The PID recorded in ``pidfile`` if that process is ours and alive."""
    pid = read_pid(pidfile)
    return pid if pid is not None and process_matches(pid, marker) else None


def spawn(argv: Sequence[str], *, pidfile: Path, logfile: Path,
          env: Mapping[str, str] | None = None, cwd: Path | None = None) -> int:
    """Start ``argv`` detached (own session, umask 077), output appended to ``logfile``;
    record its PID in ``pidfile`` (both 0600)."""
    logfile.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(logfile, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "ab") as log:
        proc = subprocess.Popen(list(argv), stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=dict(env) if env else None,
                                cwd=cwd, start_new_session=True, umask=PRIVATE_UMASK)
    descriptor = os.open(pidfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(f"{proc.pid}\n")
    return proc.pid


def child_pids(pid: int) -> list[int]:
    """The PIDs of the live processes whose parent is ``pid`` (e.g. gunicorn's workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The name in parentheses may hold spaces: the parent PID follows its last ")".
            fields = stat.read_text(encoding="ascii", errors="replace").rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            children.append(int(stat.parent.name))
    return sorted(children)


def stop_recorded(pidfile: Path, marker: str) -> bool:
    """Stop the process ``pidfile`` records if it is ours and alive; False if none ran."""
    pid = running_pid(pidfile, marker)
    if pid is None:
        return False
    stop_pid(pid, marker)
    return True


def stop_pid(pid: int, marker: str, *, timeout: float = 20.0) -> None:
    """SIGTERM the process, then SIGKILL it if it outlives ``timeout`` seconds."""
    _signal(pid, signal.SIGTERM)
    if wait_until(lambda: not process_matches(pid, marker), timeout=timeout):
        return
    _signal(pid, signal.SIGKILL)
    if not wait_until(lambda: not process_matches(pid, marker), timeout=5):
        raise StackError(f"process {pid} ({marker}) did not stop; stop it by hand: kill -9 {pid}")


def free_port(host: str = "127.0.0.1", *, first: int = 22000, last: int = 32000) -> int:
    """A port nothing listens on, below Linux's ephemeral range (32768-60999): polling a port
    inside that range while a service starts can connect a socket to itself on that very port
    and block the service's bind (the reason the stack's default ports are there too)."""
    for port in range(first, last):
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise StackError(f"no free port on {host} between {first} and {last}")


def http_ok(url: str, *, timeout: float = 2.0, headers: Mapping[str, str] | None = None) -> bool:
    """True when ``url`` answers HTTP 200; any failure to get a proper answer is False.

    ``headers`` go with the request (e.g. the credentials of a service behind basic auth).
    """
    return http_status(url, timeout=timeout, headers=headers) == 200


def http_status(url: str, *, timeout: float = 2.0,
                headers: Mapping[str, str] | None = None) -> int | None:
    """The HTTP status ``url`` answers with (401 included), or None without a proper answer.

    HTTPException covers a peer that is not an HTTP server (e.g. a socket that, polling a free
    port, ended up connected to itself and echoes the request line back).
    """
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code
    except (OSError, http.client.HTTPException):
        return None


def wait_until(check: Callable[[], bool], *, timeout: float, interval: float = 0.25) -> bool:
    """Poll ``check`` until it is true or ``timeout`` seconds pass; return the last result."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
