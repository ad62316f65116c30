"""Command-line entry point: parse, call the library, print, set the exit code.

Configuration is read once here (environment → settings) and passed down.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Callable

import click

from flows import stack
from flows.errors import SenateCatalogError
from flows.settings import StackSettings


def _errors_as_messages(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's exceptions into ``Error: ...`` and exit code 1, not a traceback."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SenateCatalogError as exc:
            raise click.ClickException(str(exc)) from exc
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="senate-data-catalog")
def cli() -> None:
    """Senate Secretariat data catalog: validate, describe and publish datasets to CKAN.

    Settings come from the environment (SENATE_STACK_INSTANCE, SENATE_CKAN_PORT, ...,
    CKAN_URL and CKAN_API_TOKEN for an existing catalog); see README.md.
    """


@cli.group(name="stack")
def stack_group() -> None:
    """The local catalog stack (PostgreSQL, Redis, search service, CKAN) on 127.0.0.1."""


@stack_group.command()
@_errors_as_messages
def up() -> None:
    """Install what is missing and start the catalog. Safe to repeat.

    Example:

        senate-catalog stack up
    """
    settings = StackSettings.from_env()
    click.echo(f"Bringing up the '{settings.instance}' catalog stack in {settings.state_dir}")
    stack.up(settings, echo=click.echo)
    click.echo(f"CKAN: {settings.ckan_url}  (API token file: {settings.token_file})")


@stack_group.command()
@_errors_as_messages
def down() -> None:
    """Stop the stack's own processes (nothing else). Data is kept.

    Example:

        senate-catalog stack down
    """
    settings = StackSettings.from_env()
    stopped = stack.down(settings)
    click.echo(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@stack_group.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@_errors_as_messages
def status(as_json: bool) -> None:
    """Show which services run, on which ports, and whether CKAN answers.

    Exit code 0 when every service runs and CKAN answers, 3 otherwise.

    Example:

        senate-catalog stack status --json
    """
    settings = StackSettings.from_env()
    report = stack.status(settings)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        for name, info in report.items():
            state = f"running (pid {info['pid']})" if info["pid"] else "stopped"
            if info["foreign"]:
                state += f" - port {info['port']} is used by another program"
            click.echo(f"{name:<9} {state:<24} 127.0.0.1:{info['port']}")
        click.echo(f"CKAN {'answers' if report['ckan']['answers'] else 'does not answer'} "
                   f"at {report['ckan']['url']}")
    healthy = all(info["pid"] for info in report.values()) and report["ckan"]["answers"]
    raise SystemExit(0 if healthy else 3)


@stack_group.command()
@click.option("--all", "everything", is_flag=True,
              help="Also delete CKAN's virtualenv (the next `up` reinstalls it).")
@click.confirmation_option(prompt="Delete this instance's catalog data (database, index, files)?")
@_errors_as_messages
def reset(everything: bool) -> None:
    """Stop the stack and delete its data, so the next `up` starts from nothing.

    Example:

        senate-catalog stack reset --yes
    """
    settings = StackSettings.from_env()
    stack.reset(settings, everything=everything)
    click.echo(f"reset the '{settings.instance}' instance in {settings.state_dir}")


@cli.command()
@_errors_as_messages
def demo() -> None:
    """Bring the local catalog up and print where to browse it (the README's main command).

    Example:

        senate-catalog demo
    """
    settings = StackSettings.from_env()
    stack.up(settings, echo=click.echo)
    url = settings.ckan_url
    click.echo("\nThe catalog is up:")
    click.echo(f"  Catalog (web):      {url}/dataset")
    click.echo(f"  Organisation:       {url}/organization/senate-secretariat")
    click.echo(f"  API status:         {url}/api/3/action/status_show")
    click.echo(f"  DCAT (Turtle):      {url}/catalog.ttl")
    click.echo(f"  API token file:     {settings.token_file} (sysadmin; never printed)")
