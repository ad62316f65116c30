"""Redis for CKAN (sessions, job queue), on loopback with a generated password."""

from __future__ import annotations

import os
import shutil
import socket

from flows.errors import StackError
from flows.settings import Secret
from flows.stack import processes
from flows.stack.paths import StackPaths
from flows.stack.secrets_store import write_private
from flows.stack.shell import run

SERVICE = "redis"


def ensure_installed() -> str:
    """Return the redis-server path, installing Debian's package when missing and root."""
    found = shutil.which("redis-server")
    if found:
        return found
    if os.geteuid() != 0:
        raise StackError("redis-server is not installed; run `sudo apt-get install redis-server` "
                         "and try again")
    # apt-get as root, with the standard PATH and nothing else of this process's environment
    apt_env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    run(["apt-get", "update", "-qq"], what="apt-get update", env=apt_env)
    run(["apt-get", "install", "-y", "-qq", "redis-server"], what="apt-get install redis-server",
        env=apt_env)
    found = shutil.which("redis-server")
    if not found:
        raise StackError("apt-get installed redis-server but it is not on PATH")
    return found


def start(paths: StackPaths, *, host: str, port: int, password: Secret) -> None:
    """Start this instance's Redis if it is not running, and wait until it accepts clients."""
    if running_pid(paths):
        return
    binary = ensure_installed()
    service_dir = paths.service_dir(SERVICE)
    service_dir.mkdir(parents=True, exist_ok=True)
    conf = service_dir / "redis.conf"
    # The config holds the password, hence 0600 and not a command-line argument.
    write_private(conf, "\n".join([
        f"bind {host}", f"port {port}", "protected-mode yes", f"dir {service_dir}",
        "daemonize no", "save 60 1", f"requirepass {password.reveal()}",
        # Keep the config path in the process title: it is how `down` recognises our Redis.
        'proc-title-template "{title} {listen-addr} {config-file}"', ""]))
    processes.spawn([binary, str(conf)], pidfile=paths.pidfile(SERVICE),
                    logfile=paths.logfile(SERVICE))
    if not processes.wait_until(lambda: _answers(host, port, password), timeout=20):
        raise StackError(f"Redis did not answer on {host}:{port}; see {paths.logfile(SERVICE)}")


def stop(paths: StackPaths) -> bool:
    pid = running_pid(paths)
    if pid is None:
        return False
    processes.stop_pid(pid, _marker(paths))
    return True


def running_pid(paths: StackPaths) -> int | None:
    return processes.running_pid(paths.pidfile(SERVICE), _marker(paths))


def url(*, host: str, port: int, password: Secret, db: int = 0) -> str:
    """The agency catalog uses database 0; the national catalog its own number."""
    return f"redis://:{password.reveal()}@{host}:{port}/{db}"


def _marker(paths: StackPaths) -> str:
    return str(paths.service_dir(SERVICE) / "redis.conf")


def _answers(host: str, port: int, password: Secret) -> bool:
    """Speak just enough RESP to AUTH and PING (no client library needed)."""
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(f"AUTH {password.reveal()}\r\nPING\r\n".encode())
            reply = b""
            while b"PONG" not in reply and b"-" not in reply:
                chunk = sock.recv(64)
                if not chunk:
                    break
                reply += chunk
            return b"+PONG" in reply
    except OSError:
        return False
