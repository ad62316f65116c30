"""The pipeline's configuration: one file (``catalog_config/pipeline.yaml``) plus environment.

    config = load_pipeline_config(StackSettings.from_env())
    config.check()          # raises ConfigError saying what to fix, before any work starts

Precedence, highest first: environment variable, the file (``SENATE_CONFIG`` names another one),
the local stack's defaults. Read once at an entry point (the CLI or the flow) and passed down.
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
from flows.settings import PROJECT_ROOT, CatalogSettings, Secret, StackSettings, read_secret_file
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


def load_pipeline_config(stack: StackSettings, environ: Mapping[str, str] | None = None,
                         ) -> PipelineConfig:
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
