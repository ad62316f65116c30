"""`senate-catalog deploy` and `senate-catalog worker`: the schedules and the process that
runs them (flows.pipelines.deployments does the work, with Prefect's own CLI)."""

from __future__ import annotations

import os

import click

from flows.config import Config, load_config, prefect_environment


@click.command()
def deploy() -> None:
    """Apply the schedules of catalog_config/prefect.yaml to the stack's Prefect server.

    Creates the process work pool `senate-catalog` when missing. Runs start when a worker polls
    the pool: the local stack runs one (`stack up`), and `senate-catalog demo` applies the
    schedules itself; elsewhere run `senate-catalog worker`.

    Example:

        senate-catalog stack up && senate-catalog deploy
    """
    from flows.pipelines.deployments import declared_deployments
    from flows.pipelines.deployments import deploy as apply_deployments

    config = load_config()
    environment = _prefect_process_environment(config)
    root = config.stack.project_root
    for name in apply_deployments(root, environment):
        click.echo(f"deployed {name}")
    for declared in declared_deployments(root):
        for schedule in declared.get("schedules") or []:
            click.echo(f"  {declared['name']}: cron {schedule['cron']!r} "
                       f"({schedule.get('timezone', 'UTC')})")
    click.echo(f"Prefect UI: {environment.get('PREFECT_UI_URL', environment['PREFECT_API_URL'])}")


@click.command()
@click.option("--run-once", is_flag=True, help="Poll once, run what is due, then exit.")
def worker(run_once: bool) -> None:
    """Run a Prefect process worker on the `senate-catalog` pool (foreground; Ctrl-C stops it).

    It runs each scheduled or requested flow run in a subprocess, with this environment
    (catalog URL, token file, output folder). For a Prefect server outside the local stack
    (production); `stack up` already runs a worker for the stack's own server.

    Example:

        senate-catalog worker
    """
    from flows.pipelines.deployments import worker_command
    from flows.private_files import PRIVATE_UMASK

    command = worker_command(run_once=run_once)
    environment = _prefect_process_environment(load_config())
    os.umask(PRIVATE_UMASK)  # inherited by the worker and the flow runs it starts
    os.execve(command[0], command, environment)


def _prefect_process_environment(config: Config) -> dict[str, str]:
    """This process's environment plus what points Prefect at the stack's server, with the
    configuration's PREFECT_HOME (the environment's own, e.g. a test harness's, else the
    stack's)."""
    stack = config.stack
    return stack.child_environment({**prefect_environment(stack, stack.environ),
                                    "PREFECT_HOME": str(config.prefect.home)})
