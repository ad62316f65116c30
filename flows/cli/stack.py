"""`senate-catalog stack ...`: the local catalog stack (flows.stack does the work)."""

from __future__ import annotations

import json
from typing import Any

import click

from flows import stack
from flows.config import load_config
from flows.errors import EXIT_SERVICE


@click.group(name="stack")
def stack_group() -> None:
    """The local catalog stack (PostgreSQL, Redis, search service, CKAN) on 127.0.0.1."""


@stack_group.command()
def up() -> None:
    """Install what is missing and start the catalog. Safe to repeat.

    Example:

        senate-catalog stack up
    """
    settings = load_config().stack
    click.echo(f"Bringing up the '{settings.instance}' catalog stack in {settings.state_dir}")
    stack.up(settings, echo=click.echo)
    click.echo(f"CKAN: {settings.ckan_url}  (API token file: {settings.token_file})")


@stack_group.command()
def down() -> None:
    """Stop the stack's own processes (nothing else). Data is kept.

    Example:

        senate-catalog stack down
    """
    stopped = stack.down(load_config().stack)
    click.echo(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@stack_group.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Show which services run, on which ports, and whether CKAN answers.

    Exit code 0 when every service runs and CKAN answers, 3 otherwise.

    Example:

        senate-catalog stack status --json
    """
    report = stack.status(load_config().stack)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        for name, info in report.items():
            state = f"running (pid {info['pid']})" if info["pid"] else "stopped"
            if info["foreign"]:
                state += f" - port {info['port']} is used by another program"
            where = f"127.0.0.1:{info['port']}" if info["port"] else f"pool {info.get('pool')}"
            click.echo(f"{name:<9} {state:<24} {where}{_server_note(info.get('server'))}")
        click.echo(f"CKAN {'answers' if report['ckan']['answers'] else 'does not answer'} "
                   f"at {report['ckan']['url']}")
        _echo_next_runs(report.get("prefect_worker", {}).get("next_runs") or [])
    healthy = all(info["pid"] for info in report.values()) and report["ckan"]["answers"]
    raise SystemExit(0 if healthy else EXIT_SERVICE)


def _echo_next_runs(runs: list[dict[str, Any]]) -> None:
    """The next scheduled run of each deployment, Bangkok time first, for `stack status`."""
    from flows.pipelines.scheduled_runs import next_run_line

    if runs:
        click.echo("Next scheduled runs:")
    for run in runs:
        click.echo(f"  {next_run_line(run)}")


def _server_note(server: dict[str, Any] | None) -> str:
    """How a running CKAN is served, for `stack status`: gunicorn and its workers, or dev."""
    if not server:
        return ""
    if server["kind"] == "dev":
        return "  ckan run (dev server)"
    return f"  gunicorn, {server['workers']} workers"


@stack_group.command()
@click.option("--all", "everything", is_flag=True,
              help="Also delete CKAN's virtualenv (the next `up` reinstalls it).")
@click.confirmation_option(prompt="Delete this instance's catalog data (database, index, files)?")
def reset(everything: bool) -> None:
    """Stop the stack and delete its data, so the next `up` starts from nothing.

    Example:

        senate-catalog stack reset --yes
    """
    settings = load_config().stack
    stack.reset(settings, everything=everything)
    click.echo(f"reset the '{settings.instance}' instance in {settings.state_dir}")
