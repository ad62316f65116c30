"""One typed configuration, read once at the entry point and passed down.

Everything configurable comes from environment variables with the ``SENATE_`` prefix (or the
standard ``CKAN_URL`` / ``CKAN_API_TOKEN`` pair for the catalog). Nothing below the CLI reads the
environment itself.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from flows.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Each stack instance gets its own data and ports, so `make test` never touches the demo catalog.
#: ``national`` / ``national_search``: the national catalog (GD Catalog stand-in) and its own
#: search process; an instance without them has no national catalog.
#: Below Linux's ephemeral range (32768-60999): polling a free port inside that range can make
#: the kernel connect a socket to itself on that very port, which then blocks the service's bind.
DEFAULT_PORTS: dict[str, dict[str, int]] = {
    "demo": {"ckan": 20500, "postgres": 20432, "redis": 20379, "search": 20983,
             "prefect": 20420, "national": 20510, "national_search": 20984},
    "test": {"ckan": 21500, "postgres": 21432, "redis": 21379, "search": 21983,
             "prefect": 21420, "national": 21510, "national_search": 21984},
}
DEFAULT_INSTANCE = "demo"
#: How the stack serves CKAN: a WSGI server with worker processes, or Werkzeug's dev server.
CKAN_SERVERS = ("gunicorn", "dev")
ADMIN_USER = "senate_admin"


class Secret:
    """A string that never shows itself in ``repr``, ``str``, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret; call only where it is sent (an HTTP header)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class StackSettings:
    """Where the local catalog stack lives and which loopback ports it uses."""

    project_root: Path
    state_dir: Path
    instance: str
    host: str
    ports: Mapping[str, int]
    python: str = "python3.11"
    #: How CKAN is served: ``gunicorn`` (worker processes) or ``dev`` (``ckan run``, for
    #: debugging), and gunicorn's number of worker processes.
    ckan_server: str = "gunicorn"
    ckan_workers: int = 2

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None,
                 *, project_root: Path = PROJECT_ROOT) -> "StackSettings":
        """Build settings from ``SENATE_*`` variables, with per-instance defaults."""
        env = os.environ if environ is None else environ
        instance = env.get("SENATE_STACK_INSTANCE", DEFAULT_INSTANCE)
        if instance not in DEFAULT_PORTS:
            raise ConfigError(f"SENATE_STACK_INSTANCE={instance!r} is unknown; "
                              f"use one of {', '.join(DEFAULT_PORTS)}")
        ports = {name: _port(env, f"SENATE_{name.upper()}_PORT", default)
                 for name, default in DEFAULT_PORTS[instance].items()}
        state_dir = Path(env.get("SENATE_STACK_DIR", project_root / ".stack"))
        return cls(project_root=project_root, state_dir=state_dir.resolve(), instance=instance,
                   host=env.get("SENATE_STACK_HOST", "127.0.0.1"), ports=ports,
                   python=env.get("SENATE_STACK_PYTHON", "python3.11"),
                   ckan_server=_ckan_server(env), ckan_workers=_ckan_workers(env))

    @property
    def ckan_url(self) -> str:
        return f"http://{self.host}:{self.ports['ckan']}"

    @property
    def token_file(self) -> Path:
        return self.state_dir / self.instance / "api-token"

    @property
    def prefect_home(self) -> Path:
        """This instance's PREFECT_HOME: the Prefect server's SQLite database and settings."""
        return self.state_dir / self.instance / "prefect"

    @property
    def prefect_api_url(self) -> str:
        return f"http://{self.host}:{self.ports['prefect']}/api"

    @property
    def prefect_ui_url(self) -> str:
        return f"http://{self.host}:{self.ports['prefect']}"


@dataclass(frozen=True)
class CatalogSettings:
    """How the pipeline reaches a CKAN catalog: the local stack by default, or any CKAN."""

    url: str
    token: Secret = field(repr=False)
    timeout: float = 30.0

    @classmethod
    def from_env(cls, stack: StackSettings,
                 environ: Mapping[str, str] | None = None) -> "CatalogSettings":
        """``CKAN_URL`` + ``CKAN_API_TOKEN`` (or ``CKAN_API_TOKEN_FILE``), else the local stack."""
        env = os.environ if environ is None else environ
        url = env.get("CKAN_URL", stack.ckan_url).rstrip("/")
        if env.get("CKAN_API_TOKEN"):
            token = env["CKAN_API_TOKEN"]
        else:
            token_file = Path(env.get("CKAN_API_TOKEN_FILE", stack.token_file))
            token = read_secret_file(token_file) if token_file.exists() else ""
        return cls(url=url, token=Secret(token),
                   timeout=float(env.get("SENATE_CKAN_TIMEOUT", "30")))


def prefect_environment(settings: StackSettings,
                        environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Variables that point Prefect at this instance's server, offline and without telemetry.

    Merge them over the process environment of anything that runs flows, a worker or the
    server. A ``PREFECT_API_URL`` already in ``environ`` wins: the operator then means another
    Prefect server, so neither the API URL nor the UI URL of the local one is set.
    """
    env = os.environ if environ is None else environ
    values = {
        "PREFECT_HOME": str(settings.prefect_home),
        # Analytics and telemetry would call out to the internet; the stack stays on loopback.
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
        # The default 20 s is too short for a temporary server on two slow cores.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "60",
        # What the browser UI served by the local server calls, whatever clients use.
        "PREFECT_UI_API_URL": settings.prefect_api_url,
    }
    if not env.get("PREFECT_API_URL"):
        values["PREFECT_API_URL"] = settings.prefect_api_url
        values["PREFECT_UI_URL"] = settings.prefect_ui_url
    return values


def read_secret_file(path: Path) -> str:
    """Read a secret from a file that only its owner can read (mode 0600 or stricter)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path} is readable by others (mode {mode:o}); "
                          f"run `chmod 600 {path}` and try again")
    return path.read_text(encoding="utf-8").strip()


def _ckan_server(env: Mapping[str, str]) -> str:
    server = env.get("SENATE_CKAN_SERVER", "gunicorn")
    if server not in CKAN_SERVERS:
        raise ConfigError(f"SENATE_CKAN_SERVER={server!r} is unknown; use one of "
                          f"{', '.join(CKAN_SERVERS)} (dev: `ckan run`, for debugging)")
    return server


def _ckan_workers(env: Mapping[str, str]) -> int:
    raw = env.get("SENATE_CKAN_WORKERS", "2")
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 64:  # not "๔"
        raise ConfigError(f"SENATE_CKAN_WORKERS={raw!r} is not a number of worker processes "
                          "(1-64; about 2 per CPU core)")
    return int(raw)


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name}={raw!r} is not a TCP port number (1-65535)")
    return int(raw)
