"""The `senate-catalog` group, and the one place errors become exit codes.

Every command runs inside ``SenateGroup.invoke``, so any ``SenateCatalogError`` raised by a
command or by the parsing of its arguments ends as one ``Error: ...`` line and the exit code
its class carries (flows.errors), never as a traceback.
"""

from __future__ import annotations

from typing import Any

import click

from flows.cli.demo import demo
from flows.cli.national import national_group
from flows.cli.onboard import new
from flows.cli.pipeline import ingest, plan, publish, run, validate
from flows.cli.prefect import deploy, worker
from flows.cli.runs import report, status
from flows.cli.stack import stack_group
from flows.config import opt_out_of_telemetry
from flows.errors import SenateCatalogError


class Failure(click.ClickException):
    """A project error, as click prints it: ``Error: <message>``, then the error's exit code."""

    def __init__(self, error: SenateCatalogError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


class SenateGroup(click.Group):
    """A click group whose commands end with their error's exit code, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SenateCatalogError as exc:
            raise Failure(exc) from exc


@click.group(cls=SenateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="senate-data-catalog")
def cli() -> None:
    """Senate Secretariat data catalog: validate, describe and publish datasets to CKAN.

    Settings come from the environment (SENATE_STACK_INSTANCE, SENATE_CKAN_PORT, ...,
    CKAN_URL and CKAN_API_TOKEN for an existing catalog) and catalog_config/pipeline.yaml;
    see docs/operator.md.
    """
    opt_out_of_telemetry()


for command in (stack_group, ingest, validate, plan, run, publish, demo, deploy, worker,
                status, report, national_group, new):
    cli.add_command(command)
