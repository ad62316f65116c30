import os
from pathlib import Path

import pytest

from flows.errors import ConfigError
from flows.settings import (DEFAULT_PORTS, CatalogSettings, Secret, StackSettings,
                            read_secret_file)


def test_instances_have_distinct_default_ports(tmp_path: Path) -> None:
    demo = StackSettings.from_env({"SENATE_STACK_DIR": str(tmp_path)})
    test = StackSettings.from_env({"SENATE_STACK_DIR": str(tmp_path),
                                   "SENATE_STACK_INSTANCE": "test"})
    assert demo.ports == DEFAULT_PORTS["demo"]
    assert not set(demo.ports.values()) & set(test.ports.values())
    assert demo.token_file != test.token_file


def test_port_override_and_ckan_url(tmp_path: Path) -> None:
    settings = StackSettings.from_env({"SENATE_STACK_DIR": str(tmp_path),
                                       "SENATE_CKAN_PORT": "5123"})
    assert settings.ports["ckan"] == 5123
    assert settings.ckan_url == "http://127.0.0.1:5123"


@pytest.mark.parametrize("value", ["abc", "0", "70000", "-1"])
def test_bad_port_names_the_variable(value: str) -> None:
    with pytest.raises(ConfigError, match=f"SENATE_REDIS_PORT={value!r}"):
        StackSettings.from_env({"SENATE_REDIS_PORT": value})


def test_unknown_instance_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="use one of demo, test"):
        StackSettings.from_env({"SENATE_STACK_INSTANCE": "prod"})


def test_secret_never_shows_itself() -> None:
    secret = Secret("s3cr3t-token")
    assert "s3cr3t" not in repr(secret) and "s3cr3t" not in str(secret)
    assert "s3cr3t" not in f"{secret}"
    settings = CatalogSettings(url="http://x", token=secret)
    assert "s3cr3t" not in repr(settings)
    assert secret.reveal() == "s3cr3t-token"


def test_catalog_settings_prefer_environment_token(tmp_path: Path) -> None:
    stack = StackSettings.from_env({"SENATE_STACK_DIR": str(tmp_path)})
    settings = CatalogSettings.from_env(stack, {"CKAN_URL": "https://catalog.example/",
                                                "CKAN_API_TOKEN": "abc"})
    assert settings.url == "https://catalog.example"
    assert settings.token.reveal() == "abc"


def test_catalog_settings_read_the_stack_token_file(tmp_path: Path) -> None:
    stack = StackSettings.from_env({"SENATE_STACK_DIR": str(tmp_path)})
    stack.token_file.parent.mkdir(parents=True)
    stack.token_file.write_text("tok\n")
    os.chmod(stack.token_file, 0o600)
    assert CatalogSettings.from_env(stack, {}).token.reveal() == "tok"


def test_token_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("tok")
    os.chmod(token, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        read_secret_file(token)
