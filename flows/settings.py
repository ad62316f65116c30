"""The settings' types: where the local stack lives, how to reach a catalog, secrets.

They are built from the environment by flows.config, the only module that reads it, once at an
entry point (the CLI, the flow, a benchmark), and passed down from there.
"""

from __future__ import annotations

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
DEFAULT_PG_BIN = Path("/usr/lib/postgresql/15/bin")


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
    #: PostgreSQL 15's server programs (initdb, pg_ctl).
    pg_bin: Path = DEFAULT_PG_BIN
    #: The environment flows.config read, which the stack's processes start with (PATH, HOME,
    #: locale) under their own variables; never shown, as it may hold a token.
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def child_environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment of a process the stack starts: ``environ``, then ``extra``."""
        return {**self.environ, **(extra or {})}

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


def read_secret_file(path: Path) -> str:
    """Read a secret from a file that only its owner can read (mode 0600 or stricter)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path} is readable by others (mode {mode:o}); "
                          f"run `chmod 600 {path}` and try again")
    return path.read_text(encoding="utf-8").strip()
