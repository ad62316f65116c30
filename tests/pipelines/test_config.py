"""The pipeline's configuration: environment > file (SENATE_CONFIG) > the local stack's defaults,
and every mistake stopped before any work with what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.config import DEFAULT_CONFIG, load_pipeline_config
from flows.errors import ConfigError
from flows.settings import StackSettings
from flows.config import load_stack_settings

STACK_TOKEN = "stack-token-0123456789abcdef"
FILE_TOKEN = "file-token-0123456789abcdef"
ENV_FILE_TOKEN = "env-file-token-0123456789abcdef"


@pytest.fixture
def stack(tmp_path: Path) -> StackSettings:
    """The test instance of a stack living in tmp_path, with its 0600 token file."""
    settings = load_stack_settings({"SENATE_STACK_INSTANCE": "test",
                                       "SENATE_STACK_DIR": str(tmp_path / ".stack")},
                                      project_root=tmp_path)
    secret(settings.token_file, STACK_TOKEN)
    return settings


def secret(path: Path, value: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


def config_file(tmp_path: Path, values: dict) -> Path:
    path = tmp_path / "pipeline.yaml"
    path.write_text(yaml.safe_dump(values), encoding="utf-8")
    return path


def test_the_committed_file_loads_and_leaves_the_stack_defaults(stack: StackSettings) -> None:
    config = load_pipeline_config(stack, {})
    assert config.config_file == DEFAULT_CONFIG
    assert config.catalog_url == "http://127.0.0.1:21500"
    assert config.token.reveal() == STACK_TOKEN
    assert config.out_dir == stack.project_root / "out"
    assert (config.retries, config.write_concurrency, config.timeout) == (3, 2, 30.0)
    assert (config.max_workers, config.task_runner) == (4, "threads")
    assert config.history_file == stack.project_root / "out" / "runs" / "history.jsonl"


def test_the_file_overrides_the_stack_defaults(stack: StackSettings, tmp_path: Path) -> None:
    token_file = secret(tmp_path / "file-token", FILE_TOKEN)
    path = config_file(tmp_path, {
        "catalog": {"url": "https://catalog.example.go.th/", "token_file": str(token_file),
                    "timeout_seconds": 12},
        "output_dir": "reports", "publish": {"retries": 5, "write_concurrency": 2}})
    config = load_pipeline_config(stack, {"SENATE_CONFIG": str(path)})
    assert config.config_file == path
    assert config.catalog_url == "https://catalog.example.go.th"  # no trailing slash
    assert config.token.reveal() == FILE_TOKEN
    assert config.out_dir == stack.project_root / "reports"      # relative to the project
    assert (config.retries, config.write_concurrency, config.timeout) == (5, 2, 12.0)


def test_the_environment_overrides_the_file(stack: StackSettings, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = config_file(tmp_path, {
        "catalog": {"url": "https://file.example", "token_file": str(
            secret(tmp_path / "file-token", FILE_TOKEN)), "timeout_seconds": 12},
        "output_dir": "reports", "publish": {"retries": 5, "write_concurrency": 2}})
    env_token = secret(tmp_path / "env-token", ENV_FILE_TOKEN)
    monkeypatch.chdir(tmp_path)  # a relative SENATE_OUT_DIR is relative to where one runs
    config = load_pipeline_config(stack, {
        "SENATE_CONFIG": str(path), "CKAN_URL": "https://env.example",
        "CKAN_API_TOKEN_FILE": str(env_token), "SENATE_CKAN_TIMEOUT": "7",
        "SENATE_OUT_DIR": "env-out", "SENATE_PUBLISH_RETRIES": "0",
        "SENATE_WRITE_CONCURRENCY": "4"})
    assert config.catalog_url == "https://env.example"
    assert config.token.reveal() == ENV_FILE_TOKEN
    assert config.out_dir == (tmp_path / "env-out").resolve()
    assert (config.retries, config.write_concurrency, config.timeout) == (0, 4, 7.0)


def test_a_token_in_the_environment_wins_over_every_token_file(stack: StackSettings,
                                                               tmp_path: Path) -> None:
    config = load_pipeline_config(stack, {
        "CKAN_API_TOKEN": "inline-token-0123456789",
        "CKAN_API_TOKEN_FILE": str(secret(tmp_path / "t", ENV_FILE_TOKEN))})
    assert config.token.reveal() == "inline-token-0123456789"
    assert config.token_source == "CKAN_API_TOKEN"
    assert "inline-token" not in repr(config)


@pytest.mark.parametrize("values, name", [
    ({"catalog": {"url": None, "colour": "blue"}}, "catalog.colour"),
    ({"outputdir": "out"}, "outputdir"),
    ({"publish": {"retry": 2}}, "publish.retry"),
])
def test_an_unknown_setting_is_named(stack: StackSettings, tmp_path: Path, values: dict,
                                     name: str) -> None:
    path = config_file(tmp_path, values)
    with pytest.raises(ConfigError, match=f"unknown setting '{name}'") as raised:
        load_pipeline_config(stack, {"SENATE_CONFIG": str(path)})
    assert str(path) in str(raised.value)


def test_a_missing_config_file_named_in_the_environment_is_an_error(stack: StackSettings,
                                                                   tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_pipeline_config(stack, {"SENATE_CONFIG": str(tmp_path / "nowhere.yaml")})


@pytest.mark.parametrize("variable, value", [("SENATE_PUBLISH_RETRIES", "many"),
                                             ("SENATE_PUBLISH_RETRIES", "-1"),
                                             ("SENATE_CKAN_TIMEOUT", "soon")])
def test_a_bad_number_is_named(stack: StackSettings, variable: str, value: str) -> None:
    with pytest.raises(ConfigError, match=value):
        load_pipeline_config(stack, {variable: value})


def test_an_output_folder_that_cannot_be_written_is_refused(stack: StackSettings,
                                                            tmp_path: Path) -> None:
    # Under a regular file no folder can be made, whoever runs the test (root included).
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    config = load_pipeline_config(stack, {"SENATE_OUT_DIR": str(blocker / "out")})
    with pytest.raises(ConfigError, match="not writable") as raised:
        config.check()
    assert str(blocker / "out") in str(raised.value)


def test_a_token_file_others_can_read_is_refused(stack: StackSettings, tmp_path: Path) -> None:
    shared = secret(tmp_path / "shared-token", FILE_TOKEN, mode=0o644)
    with pytest.raises(ConfigError, match="chmod 600") as raised:
        load_pipeline_config(stack, {"CKAN_API_TOKEN_FILE": str(shared)})
    assert FILE_TOKEN not in str(raised.value)


def test_no_token_at_all_stops_the_run_before_any_work(tmp_path: Path) -> None:
    bare = load_stack_settings({"SENATE_STACK_INSTANCE": "test",
                                   "SENATE_STACK_DIR": str(tmp_path / "empty")},
                                  project_root=tmp_path)
    config = load_pipeline_config(bare, {})
    with pytest.raises(ConfigError, match="no API token"):
        config.check()
    config.check(needs_token=False)  # plan-like commands may go without one


def test_a_catalog_url_that_is_not_http_is_refused(stack: StackSettings) -> None:
    config = load_pipeline_config(stack, {"CKAN_URL": "catalog.example.go.th"})
    with pytest.raises(ConfigError, match="not an http"):
        config.check()


@pytest.mark.parametrize("value", ["dask", "dask://127.0.0.1:8786", "threads"])
def test_the_task_runner_comes_from_the_environment(stack: StackSettings, value: str) -> None:
    config = load_pipeline_config(stack, {"SENATE_TASK_RUNNER": value, "SENATE_MAX_WORKERS": "7"})
    assert (config.task_runner, config.max_workers) == (value, 7)


@pytest.mark.parametrize("value", ["process", "dask://", "dask://host", "tcp://host:8786"])
def test_an_unknown_task_runner_is_refused_with_the_choices(stack: StackSettings,
                                                            value: str) -> None:
    with pytest.raises(ConfigError, match="use threads, dask .* or dask://host:8786"):
        load_pipeline_config(stack, {"SENATE_TASK_RUNNER": value})


@pytest.mark.parametrize("value", ["๔", "４", "٤"])
def test_digits_of_other_scripts_are_not_read_as_numbers(stack: StackSettings,
                                                         value: str) -> None:
    """int() reads Thai, full-width and Arabic-Indic digits: a typo must not become 4."""
    with pytest.raises(ConfigError, match="SENATE_MAX_WORKERS"):
        load_pipeline_config(stack, {"SENATE_MAX_WORKERS": value})
