from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import cli


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", [path for path, _ in _commands(cli)], ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    command = dict(_commands(cli))[path]
    if not hasattr(command, "commands"):
        assert "Example:" in result.output


def test_status_of_a_stack_that_is_not_running(tmp_path: Path) -> None:
    env = {"SENATE_STACK_DIR": str(tmp_path), "SENATE_CKAN_PORT": "59991",
           "SENATE_POSTGRES_PORT": "59992", "SENATE_REDIS_PORT": "59993",
           "SENATE_SEARCH_PORT": "59994"}
    result = CliRunner().invoke(cli, ["stack", "status"], env=env)
    assert result.exit_code == 3
    assert "ckan      stopped" in result.output
    assert "CKAN does not answer at http://127.0.0.1:59991" in result.output


def test_configuration_errors_are_messages_not_tracebacks() -> None:
    result = CliRunner().invoke(cli, ["stack", "status"], env={"SENATE_CKAN_PORT": "x"})
    assert result.exit_code == 2
    assert result.output.startswith("Error: SENATE_CKAN_PORT='x' is not a TCP port")
