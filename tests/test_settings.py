import os
from pathlib import Path

import pytest

from flows.errors import ConfigError
from flows.config import load_pipeline_config, load_stack_settings, prefect_environment
from flows.settings import DEFAULT_PORTS, CatalogSettings, Secret, read_secret_file


def test_instances_have_distinct_default_ports(tmp_path: Path) -> None:
    demo = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path)})
    test = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                   "SENATE_STACK_INSTANCE": "test"})
    assert demo.ports == DEFAULT_PORTS["demo"]
    assert not set(demo.ports.values()) & set(test.ports.values())
    assert demo.token_file != test.token_file


def test_port_override_and_ckan_url(tmp_path: Path) -> None:
    settings = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                       "SENATE_CKAN_PORT": "5123"})
    assert settings.ports["ckan"] == 5123
    assert settings.ckan_url == "http://127.0.0.1:5123"


@pytest.mark.parametrize("value", ["abc", "0", "70000", "-1"])
def test_bad_port_names_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match=f"SENATE_REDIS_PORT={value!r}"):
        load_stack_settings({"SENATE_REDIS_PORT": value})


def test_unknown_instance_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="use one of demo, test"):
        load_stack_settings({"SENATE_STACK_INSTANCE": "prod"})


def test_ckan_server_and_workers_default_to_gunicorn_with_two(tmp_path: Path) -> None:
    default = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path)})
    assert (default.ckan_server, default.ckan_workers) == ("gunicorn", 2)
    chosen = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                     "SENATE_CKAN_SERVER": "dev", "SENATE_CKAN_WORKERS": "5"})
    assert (chosen.ckan_server, chosen.ckan_workers) == ("dev", 5)


@pytest.mark.parametrize(("name", "value", "hint"),
                         [("SENATE_CKAN_SERVER", "uwsgi", "use one of gunicorn, dev"),
                          ("SENATE_CKAN_WORKERS", "0", "1-64"),
                          ("SENATE_CKAN_WORKERS", "two", "1-64")])
def test_a_bad_ckan_server_setting_names_the_variable(name: str, value: str, hint: str) -> None:
    with pytest.raises(ConfigError, match=f"{name}={value!r}.*{hint}"):
        load_stack_settings({name: value})


def test_secret_never_shows_itself() -> None:
    secret = Secret("s3cr3t-token")
    assert "s3cr3t" not in repr(secret) and "s3cr3t" not in str(secret)
    assert "s3cr3t" not in f"{secret}"
    settings = CatalogSettings(url="http://x", token=secret)
    assert "s3cr3t" not in repr(settings)
    assert secret.reveal() == "s3cr3t-token"


def test_catalog_settings_prefer_environment_token(tmp_path: Path) -> None:
    stack = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path)})
    settings = load_pipeline_config(stack, {"CKAN_URL": "https://catalog.example/",
                                            "CKAN_API_TOKEN": "abc"}).catalog
    assert settings.url == "https://catalog.example"
    assert settings.token.reveal() == "abc"


def test_catalog_settings_read_the_stack_token_file(tmp_path: Path) -> None:
    stack = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path)})
    stack.token_file.parent.mkdir(parents=True)
    stack.token_file.write_text("tok\n")
    os.chmod(stack.token_file, 0o600)
    assert load_pipeline_config(stack, {}).catalog.token.reveal() == "tok"


def test_token_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("tok")
    os.chmod(token, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        read_secret_file(token)


def test_prefect_ports_urls_and_home_are_per_instance(tmp_path: Path) -> None:
    demo = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path)})
    test = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                   "SENATE_STACK_INSTANCE": "test"})
    assert (demo.ports["prefect"], test.ports["prefect"]) == (20420, 21420)
    assert demo.prefect_api_url == "http://127.0.0.1:20420/api"
    assert demo.prefect_ui_url == "http://127.0.0.1:20420"
    assert demo.prefect_home == tmp_path / "demo" / "prefect"
    assert test.prefect_home == tmp_path / "test" / "prefect"


def test_prefect_port_override(tmp_path: Path) -> None:
    settings = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                       "SENATE_PREFECT_PORT": "4200"})
    assert settings.ports["prefect"] == 4200
    assert settings.prefect_api_url == "http://127.0.0.1:4200/api"
    with pytest.raises(ConfigError, match="SENATE_PREFECT_PORT='x'"):
        load_stack_settings({"SENATE_PREFECT_PORT": "x"})


def test_prefect_environment_points_at_the_local_server_offline(tmp_path: Path) -> None:
    settings = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path)})
    env = prefect_environment(settings, {})
    assert env["PREFECT_HOME"] == str(tmp_path / "demo" / "prefect")
    assert env["PREFECT_API_URL"] == "http://127.0.0.1:20420/api"
    assert env["PREFECT_UI_URL"] == "http://127.0.0.1:20420"
    assert env["PREFECT_UI_API_URL"] == "http://127.0.0.1:20420/api"
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert env["DO_NOT_TRACK"] == "1"
    assert env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "60"
    assert all(isinstance(value, str) for value in env.values())


def test_prefect_environment_leaves_the_operators_api_url_alone(tmp_path: Path) -> None:
    settings = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path)})
    env = prefect_environment(settings, {"PREFECT_API_URL": "http://prefect.example:4200/api"})
    # Merged over the operator's environment, their server wins and no local UI link is set.
    assert "PREFECT_API_URL" not in env and "PREFECT_UI_URL" not in env
    assert env["PREFECT_HOME"] == str(settings.prefect_home)
    assert env["DO_NOT_TRACK"] == "1"
