"""The configuration: the only module that reads (or writes) the process environment.

    config = load_config()           # once, at an entry point: the CLI, the flow, a benchmark
    config.pipeline.check()          # raises ConfigError saying what to fix, before any work

``Config`` holds everything configurable, typed: the local stack (``StackSettings``), the
pipeline (``PipelineConfig``: catalog, token, output folder, publishing and flow settings), the
national catalog and the Prefect server. It is passed down; nothing else under flows/ looks at
``os.environ`` (tests/test_layout.py checks). Child processes get ``StackSettings.environ``,
a copy taken here, with their own variables on top (``StackSettings.child_environment``).

Precedence, highest first: a command-line option (``out_dir``), an environment variable, the
file (``catalog_config/pipeline.yaml``, or the one ``SENATE_CONFIG`` names), the local stack's
defaults. docs/operator.md lists every variable.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlparse

import yaml

from flows.catalog.retry import RetryPolicy
from flows.errors import ConfigError
from flows.national.settings import (NationalSettings, has_national, stack_token_file,
                                    stack_url)
from flows.settings import (CKAN_SERVERS, DEFAULT_INSTANCE, DEFAULT_PG_BIN, DEFAULT_PORTS,
                            PROJECT_ROOT, CatalogSettings, Secret, StackSettings,
                            read_secret_file)
from flows.yaml_text import load_yaml

DEFAULT_CONFIG = PROJECT_ROOT / "catalog_config" / "pipeline.yaml"

#: Keys of the file, each with the environment variable that overrides it.
_KEYS: dict[tuple[str, ...], str] = {
    ("catalog", "url"): "CKAN_URL",
    ("catalog", "token_file"): "CKAN_API_TOKEN_FILE",
    ("catalog", "timeout_seconds"): "SENATE_CKAN_TIMEOUT",
    ("output_dir",): "SENATE_OUT_DIR",
    ("publish", "retries"): "SENATE_PUBLISH_RETRIES",
    ("publish", "write_concurrency"): "SENATE_WRITE_CONCURRENCY",
    ("flow", "max_workers"): "SENATE_MAX_WORKERS",
    ("flow", "task_runner"): "SENATE_TASK_RUNNER",
}
#: How the flow runs its per-dataset tasks: threads of the flow's process, a local Dask
#: cluster, or an existing Dask scheduler (``dask://host:8786``).
TASK_RUNNERS = ("threads", "dask")
_PATH_VARIABLES = {"CKAN_API_TOKEN_FILE", "SENATE_OUT_DIR"}


@dataclass(frozen=True)
class PipelineConfig:
    """Where the catalog is, how to authenticate, where outputs go, how to publish."""

    catalog_url: str
    token: Secret = field(repr=False)
    token_source: str           # "CKAN_API_TOKEN" or the token file's path, for messages
    timeout: float
    out_dir: Path
    retries: int
    write_concurrency: int
    config_file: Path | None
    max_workers: int = 4          # datasets worked on at the same time in one run
    task_runner: str = "threads"  # threads | dask | dask://host:port

    @property
    def catalog(self) -> CatalogSettings:
        return CatalogSettings(url=self.catalog_url, token=self.token, timeout=self.timeout)

    @property
    def retry(self) -> RetryPolicy:
        return RetryPolicy(retries=self.retries)

    @property
    def history_file(self) -> Path:
        return self.out_dir / "runs" / "history.jsonl"

    def check(self, *, needs_token: bool = True) -> None:
        """Fail early, before any dataset is touched, with what to fix."""
        where = f" (set in {self.config_file})" if self.config_file else ""
        parsed = urlparse(self.catalog_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ConfigError(f"catalog URL {self.catalog_url!r}{where} is not an http(s) URL; "
                              "set CKAN_URL or catalog.url, e.g. https://catalog.example.go.th")
        if needs_token and not self.token:
            raise ConfigError(f"no API token for {self.catalog_url}: {self.token_source} is "
                              "missing or empty; set CKAN_API_TOKEN_FILE (a 0600 file) or "
                              "CKAN_API_TOKEN, or run `senate-catalog stack up` for the local "
                              "catalog")
        _check_writable(self.out_dir)


@dataclass(frozen=True)
class PrefectSettings:
    """Which Prefect server flow runs report to, and the settings this process runs them with.

    ``local``: the local stack's server (the CLI then makes the client impatient, and runs on a
    temporary server when the stack's is not up); otherwise the operator's ``PREFECT_API_URL``.
    """

    home: Path
    api_url: str
    ui_url: str | None
    local: bool
    #: Client settings for interactive runs on the local server, unless the environment sets
    #: them: 5 s per request and one retry, instead of 60 s and five (flows.pipelines.tracked_run).
    client: Mapping[str, str] = field(default_factory=dict)

    def settings(self, *, temporary_server: bool = False) -> dict[str, Any]:
        """Updates for Prefect's settings context (``prefect.settings.temporary_settings``);
        ``temporary_server``: no API URL, so Prefect starts a temporary server of its own."""
        values: dict[str, Any] = {"PREFECT_HOME": str(self.home), **_PREFECT_OFFLINE,
                                  **self.client}
        values["PREFECT_API_URL"] = None if temporary_server else self.api_url
        values["PREFECT_UI_URL"] = None if temporary_server else self.ui_url
        if temporary_server:
            # Not the stack server's SQLite file: that server may be stopped in the middle of a
            # write, holding the lock the temporary server would wait on until it gives up.
            values["PREFECT_API_DATABASE_CONNECTION_URL"] = (
                f"sqlite+aiosqlite:///{self.home / 'temporary-server.db'}")
        return values


@dataclass(frozen=True)
class Config:
    """Everything configurable, read once (``load_config``) and passed down."""

    stack: StackSettings
    pipeline: PipelineConfig
    national: NationalSettings
    prefect: PrefectSettings


#: Prefect's settings for a machine that stays on loopback: no analytics, and a temporary
#: server given the time two slow cores need to start it (the default 20 s is too short).
_PREFECT_OFFLINE = {"PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
                    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "60"}
#: The impatient client of interactive runs (see ``PrefectSettings.client``).
CLIENT_PATIENCE = {"PREFECT_API_REQUEST_TIMEOUT": "5", "PREFECT_CLIENT_MAX_RETRIES": "1"}


def load_config(environ: Mapping[str, str] | None = None, *, out_dir: Path | None = None,
                project_root: Path = PROJECT_ROOT) -> Config:
    """Read the whole configuration: ``environ`` (default: this process's environment), the
    config file, the stack's defaults; ``out_dir`` (a --out option) wins over them all."""
    env = os.environ if environ is None else environ
    stack = load_stack_settings(env, project_root=project_root)
    return Config(stack=stack, pipeline=load_pipeline_config(stack, env, out_dir=out_dir),
                  national=load_national_settings(stack, env),
                  prefect=load_prefect_settings(stack, env))


def opt_out_of_telemetry() -> None:
    """Keep Prefect's client analytics off in this process (``DO_NOT_TRACK``, which Prefect
    reads from the environment, not from its settings): the stack stays on loopback."""
    os.environ.setdefault("DO_NOT_TRACK", "1")


def load_stack_settings(environ: Mapping[str, str] | None = None,
                        *, project_root: Path = PROJECT_ROOT) -> StackSettings:
    """The local stack from ``SENATE_*`` variables, with per-instance defaults."""
    env = os.environ if environ is None else environ
    instance = env.get("SENATE_STACK_INSTANCE", DEFAULT_INSTANCE)
    if instance not in DEFAULT_PORTS:
        raise ConfigError(f"SENATE_STACK_INSTANCE={instance!r} is unknown; "
                          f"use one of {', '.join(DEFAULT_PORTS)}")
    ports = {name: _port(env, f"SENATE_{name.upper()}_PORT", default)
             for name, default in DEFAULT_PORTS[instance].items()}
    state_dir = Path(env.get("SENATE_STACK_DIR", project_root / ".stack"))
    return StackSettings(project_root=project_root, state_dir=state_dir.resolve(),
                         instance=instance, host=env.get("SENATE_STACK_HOST", "127.0.0.1"),
                         ports=ports, python=env.get("SENATE_STACK_PYTHON", "python3.11"),
                         ckan_server=_ckan_server(env), ckan_workers=_ckan_workers(env),
                         pg_bin=Path(env.get("SENATE_PG_BIN") or DEFAULT_PG_BIN),
                         environ=dict(env))


def load_national_settings(stack: StackSettings,
                           environ: Mapping[str, str] | None = None) -> NationalSettings:
    """``NATIONAL_CKAN_URL`` / ``NATIONAL_CKAN_TOKEN_FILE``, else the local stack's national
    CKAN (None for an instance without one: flows.national.settings says what to set)."""
    env = os.environ if environ is None else environ
    url = env.get("NATIONAL_CKAN_URL") or (stack_url(stack) if has_national(stack) else None)
    token_file = Path(env.get("NATIONAL_CKAN_TOKEN_FILE") or stack_token_file(stack))
    return NationalSettings(url=url.rstrip("/") if url else None, token_file=token_file,
                            instance=stack.instance)


def load_prefect_settings(stack: StackSettings,
                          environ: Mapping[str, str] | None = None) -> PrefectSettings:
    """The operator's Prefect server (``PREFECT_API_URL``), else the local stack's."""
    env = os.environ if environ is None else environ
    home = Path(env.get("PREFECT_HOME") or stack.prefect_home)
    if env.get("PREFECT_API_URL"):
        return PrefectSettings(home=home, api_url=env["PREFECT_API_URL"].rstrip("/"),
                               ui_url=env.get("PREFECT_UI_URL") or None, local=False)
    client = {name: value for name, value in CLIENT_PATIENCE.items() if not env.get(name)}
    return PrefectSettings(home=home, api_url=stack.prefect_api_url, ui_url=stack.prefect_ui_url,
                           local=True, client=client)


def prefect_environment(settings: StackSettings,
                        environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Variables that point a Prefect process (the server, a worker, the flow runs it starts)
    at this instance's server, offline and without telemetry.

    Merge them over the environment of the process to start. A ``PREFECT_API_URL`` already in
    ``environ`` wins: the operator then means another Prefect server, so neither the API URL
    nor the UI URL of the local one is set.
    """
    env = os.environ if environ is None else environ
    values = {
        "PREFECT_HOME": str(settings.prefect_home),
        **_PREFECT_OFFLINE,
        "DO_NOT_TRACK": "1",
        # What the browser UI served by the local server calls, whatever clients use.
        "PREFECT_UI_API_URL": settings.prefect_api_url,
    }
    if not env.get("PREFECT_API_URL"):
        values["PREFECT_API_URL"] = settings.prefect_api_url
        values["PREFECT_UI_URL"] = settings.prefect_ui_url
    return values


def load_pipeline_config(stack: StackSettings, environ: Mapping[str, str] | None = None, *,
                         out_dir: Path | None = None) -> PipelineConfig:
    """Read the config file, apply environment overrides and the local stack's defaults."""
    env = os.environ if environ is None else environ
    path = Path(env["SENATE_CONFIG"]) if env.get("SENATE_CONFIG") else DEFAULT_CONFIG
    values = _read_file(path, required=bool(env.get("SENATE_CONFIG")))
    for keys, variable in _KEYS.items():
        if env.get(variable):
            # Paths given in the environment are relative to where the command runs.
            value = (str(Path(env[variable]).expanduser().resolve())
                     if variable in _PATH_VARIABLES else env[variable])
            _set(values, keys, value)
    if out_dir is not None:
        _set(values, ("output_dir",), str(Path(out_dir).expanduser().resolve()))
    token, token_source = _token(values, stack, env)
    return PipelineConfig(
        catalog_url=str(_get(values, ("catalog", "url")) or stack.ckan_url).rstrip("/"),
        token=Secret(token), token_source=token_source,
        timeout=_number(values, ("catalog", "timeout_seconds"), 30.0, float, path),
        out_dir=_resolve(str(_get(values, ("output_dir",)) or "out"), stack.project_root),
        retries=_number(values, ("publish", "retries"), 3, int, path),
        write_concurrency=max(1, _number(values, ("publish", "write_concurrency"), 2, int, path)),
        config_file=path if path.exists() else None,
        max_workers=max(1, _number(values, ("flow", "max_workers"), 4, int, path)),
        task_runner=_task_runner(_get(values, ("flow", "task_runner")), path))


def _read_file(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.exists():
        if required:
            raise ConfigError(f"SENATE_CONFIG={path} does not exist; point it at a copy of "
                              f"{DEFAULT_CONFIG.relative_to(PROJECT_ROOT)}")
        return {}
    try:
        values = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(values, dict):
        raise ConfigError(f"{path} must hold a mapping (see {DEFAULT_CONFIG.name})")
    _reject_unknown(values, path)
    return values


def _reject_unknown(values: dict[str, Any], path: Path) -> None:
    known = {".".join(keys) for keys in _KEYS}
    sections = {keys[0] for keys in _KEYS if len(keys) > 1}
    for key, value in values.items():
        names = ([f"{key}.{sub}" for sub in value] if key in sections and isinstance(value, dict)
                 else [key])
        for name in names:
            if name not in known:
                raise ConfigError(f"{path}: unknown setting {name!r}; known settings: "
                                  f"{', '.join(sorted(known))}")


def _token(values: dict[str, Any], stack: StackSettings,
           env: Mapping[str, str]) -> tuple[str, str]:
    if env.get("CKAN_API_TOKEN"):
        return env["CKAN_API_TOKEN"], "CKAN_API_TOKEN"
    configured = _get(values, ("catalog", "token_file"))
    path = _resolve(str(configured), stack.project_root) if configured else stack.token_file
    if not path.exists():
        return "", f"the token file {path}"
    return read_secret_file(path), f"the token file {path}"


def _number(values: dict[str, Any], keys: tuple[str, ...], default: Any, kind: type,
            path: Path) -> Any:
    raw = _get(values, keys)
    if raw in (None, ""):
        return default
    try:
        if isinstance(raw, str) and not raw.strip().isascii():
            # int() reads Thai (and other) digits: "๔" would silently be 4
            raise ValueError(raw)
        number = kind(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{'.'.join(keys)} = {raw!r} is not a number (set in {path} or "
                          f"{_KEYS[keys]})") from exc
    if number < 0:
        raise ConfigError(f"{'.'.join(keys)} = {raw!r} must not be negative")
    return number


def _task_runner(raw: Any, path: Path) -> str:
    value = str(raw or "threads").strip()
    parsed = urlparse(value)
    if value in TASK_RUNNERS or (parsed.scheme == "dask" and parsed.hostname and parsed.port):
        return value
    raise ConfigError(f"flow.task_runner = {raw!r} (set in {path} or SENATE_TASK_RUNNER) is "
                      "not a task runner; use threads, dask (a local Dask cluster) or "
                      "dask://host:8786 (an existing Dask scheduler)")


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise ConfigError(f"the output folder {folder} is not writable ({exc.strerror}); "
                          "set SENATE_OUT_DIR or output_dir to a folder you can write") from exc


def _get(values: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(values, dict):
            return None
        values = values.get(key)  # type: ignore[assignment]
    return values


def _set(values: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    for key in keys[:-1]:
        if not isinstance(values.get(key), dict):
            values[key] = {}
        values = values[key]
    values[keys[-1]] = value


def _resolve(path: str, root: Path) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else root / candidate


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
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name}={raw!r} is not a TCP port number (1-65535)")
    return int(raw)
