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


#: Every command that reads the configuration, with arguments it accepts.
_READING_CONFIGURATION = [
    ("stack", "up"), ("stack", "down"), ("stack", "status"), ("stack", "reset", "--yes"),
    ("status",), ("report", "senators"), ("national", "status"), ("deploy",), ("worker",),
    ("validate", "senators"), ("plan", "senators"), ("run", "senators"),
    ("publish", "senators"), ("ingest", "kpi-scorecard"), ("demo",),
]


@pytest.mark.parametrize("args", _READING_CONFIGURATION, ids=" ".join)
def test_every_command_turns_a_configuration_error_into_exit_2_and_one_line(
        tmp_path: Path, args: tuple[str, ...]) -> None:
    """The one error wrapper (flows/cli/main.py) covers every command: a broken configuration
    is one `Error:` line and exit 2 before anything starts, never a traceback."""
    missing = tmp_path / "nowhere.yaml"
    result = CliRunner().invoke(cli, list(args), env={"SENATE_CONFIG": str(missing),
                                                      "SENATE_STACK_DIR": str(tmp_path)})
    assert result.exit_code == 2, result.output
    assert result.output == (f"Error: SENATE_CONFIG={missing} does not exist; point it at a "
                             "copy of catalog_config/pipeline.yaml\n")
    assert list(tmp_path.iterdir()) == []   # nothing started, nothing written


def test_an_error_class_decides_its_exit_code() -> None:
    from flows.errors import (CatalogError, ConfigError, DataFileError, OrchestrationError,
                              StackError)

    assert [error.exit_code for error in (DataFileError, ConfigError, CatalogError,
                                          OrchestrationError, StackError)] == [1, 2, 3, 3, 3]
