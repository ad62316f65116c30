"""Command-line entry point: parse, call the library, print, set the exit code.

Configuration is read once here (environment → settings) and passed down.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import click

from flows import stack
from flows.dataset_ids import check_dataset_id
from flows.datasets import discover_datasets, load_dataset
from flows.errors import ConfigError, DataFileError, OrchestrationError, SenateCatalogError
from flows.cli_runs import report as report_command
from flows.cli_runs import status as status_command
from flows.cli_national import national_group
from flows.cli_new import new as new_command
from flows.settings import PROJECT_ROOT, StackSettings

if TYPE_CHECKING:
    from flows.validation.stage import DatasetReport

# The pipeline stages import pandas, frictionless and Great Expectations (seconds of start-up);
# they are imported inside the commands that use them so `stack status` stays instant.


#: Exit codes: 0 ok, 1 data errors (blocking findings), 2 configuration or usage error,
#: 3 catalog unreachable or a stack service failed.
EXIT_DATA_ERRORS, EXIT_CONFIG, EXIT_CATALOG = 1, 2, 3


class _Failure(click.ClickException):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _errors_as_messages(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's exceptions into ``Error: ...`` and an exit code, not a traceback."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConfigError as exc:
            raise _Failure(str(exc), EXIT_CONFIG) from exc
        except DataFileError as exc:   # a dataset's file (empty, binary, wrong encoding)
            raise _Failure(str(exc), EXIT_DATA_ERRORS) from exc
        except SenateCatalogError as exc:
            raise _Failure(str(exc), EXIT_CATALOG) from exc
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
            where = f"127.0.0.1:{info['port']}" if info["port"] else f"pool {info.get('pool')}"
            click.echo(f"{name:<9} {state:<24} {where}{_server_note(info.get('server'))}")
        click.echo(f"CKAN {'answers' if report['ckan']['answers'] else 'does not answer'} "
                   f"at {report['ckan']['url']}")
        _echo_next_runs(report.get("prefect_worker", {}).get("next_runs") or [])
    healthy = all(info["pid"] for info in report.values()) and report["ckan"]["answers"]
    raise SystemExit(0 if healthy else 3)


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
@_errors_as_messages
def reset(everything: bool) -> None:
    """Stop the stack and delete its data, so the next `up` starts from nothing.

    Example:

        senate-catalog stack reset --yes
    """
    settings = StackSettings.from_env()
    stack.reset(settings, everything=everything)
    click.echo(f"reset the '{settings.instance}' instance in {settings.state_dir}")


def _out_dir() -> Path:
    """The output folder of the pipeline's configuration (file + environment)."""
    from flows.config import load_pipeline_config

    return load_pipeline_config(StackSettings.from_env()).out_dir


def _dataset_ids(ctx: click.Context, _param: click.Parameter,
                 value: tuple[str, ...]) -> tuple[str, ...]:
    """The DATASET_IDS arguments, checked as they are parsed, with the ids of metadata/ (file
    names, ``id:`` keys, schema references) that every pipeline command reads: a bad or unknown
    one stops the command before it reads its configuration, writes a file or starts Prefect
    (exit 2)."""
    try:
        checked = tuple(check_dataset_id(i, source="command-line argument") for i in value)
        root = _project_of(ctx)
        known = {spec.id for spec in discover_datasets(root)}
        for dataset_id in checked:
            if dataset_id not in known:
                load_dataset(root, dataset_id)  # raises: no dataset ... (known: ...)
    except ConfigError as exc:
        raise _Failure(str(exc), EXIT_CONFIG) from exc
    return checked


def _parse_today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from exc


@cli.command()
@click.argument("dataset_ids", nargs=-1, callback=_dataset_ids)
@_errors_as_messages
def ingest(dataset_ids: tuple[str, ...]) -> None:
    """Convert raw sources (datasets/<id>/raw/) into tidy UTF-8 CSVs (datasets/<id>/<id>.csv),
    and compute the derived datasets (KPI scorecard, KPI 1.3 conditions) from the others and
    the run records.

    Example:

        senate-catalog ingest senate-votes
    """
    from flows.pipelines.derive import run_order

    specs = ([load_dataset(PROJECT_ROOT, i) for i in dataset_ids]
             or discover_datasets(PROJECT_ROOT))
    for spec in run_order(specs):
        if spec.problem is not None:   # this dataset only: the others are converted
            click.echo(f"{spec.id:<28} not converted: {spec.problem}")
        elif spec.source.get("reader"):
            _convert(spec)
        elif spec.source.get("derived"):
            _derive_now(spec)
        else:
            click.echo(f"{spec.id:<28} the CSV is the source (no reader): nothing to convert")
    if any(spec.problem is not None for spec in specs):
        raise SystemExit(EXIT_DATA_ERRORS)


def _convert(spec) -> None:
    from flows.sources import build_dataset, write_csv

    frame, findings = build_dataset(spec)
    write_csv(frame, spec.csv_path)
    note = f", {len(findings)} conversion notes" if findings else ""
    click.echo(f"{spec.id:<28} {len(frame):>7} rows -> "
               f"{spec.csv_path.relative_to(PROJECT_ROOT)}{note}")
    for finding in findings:
        click.echo(f"    [{finding.severity.value}] {finding.rule}: {finding.message_en}")


def _derive_now(spec) -> None:
    from flows.pipelines.derive import DeriveContext, derive
    from flows.records import BANGKOK, read_history

    config = _pipeline_config(None, needs_token=False)
    context = DeriveContext(root=PROJECT_ROOT, out_dir=config.out_dir,
                            today=datetime.now(BANGKOK).date(), catalog_url=config.catalog_url,
                            history=read_history(config.history_file).records)
    extras = derive(spec, context)
    click.echo(f"{spec.id:<28} derived -> {spec.csv_path.relative_to(PROJECT_ROOT)}"
               + "".join(f", {extra.path}" for extra in extras))


@cli.command()
@click.argument("dataset_ids", nargs=-1, callback=_dataset_ids)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Report folder (default: out/, or SENATE_OUT_DIR).")
@click.option("--today", callback=_parse_today, default=None, metavar="YYYY-MM-DD",
              help="The date rules such as 'no future dates' compare with (default: today).")
@_errors_as_messages
def validate(dataset_ids: tuple[str, ...], out_dir: Path | None, today: date) -> None:
    """Validate datasets and write JSON, HTML and Markdown reports per dataset.

    Exit code 1 when any dataset has blocking (unwaived error) findings.

    Example:

        senate-catalog validate            # every dataset
        senate-catalog validate senators --out /tmp/reports
    """
    from flows.private_files import private_umask
    from flows.validation.stage import run_validation

    with private_umask():  # reports may quote what a scan did not recognise as personal
        reports = run_validation(PROJECT_ROOT, out_dir=out_dir or _out_dir(), today=today,
                                 dataset_ids=dataset_ids)
    _print_validation(reports)
    if any(report.result.blocking for report in reports):
        raise SystemExit(EXIT_DATA_ERRORS)


def _print_validation(reports: list[DatasetReport]) -> None:
    from flows.validation.reports import verdict_of

    click.echo(f"{'dataset':<16} {'verdict':<16} {'errors':>7} {'warnings':>8} {'waived':>6}  report")
    for report in reports:
        counts = report.result.counts()
        click.echo(f"{report.result.dataset:<16} {verdict_of(report.result).value:<16} "
                   f"{counts['errors']:>7} {counts['warnings']:>8} {counts['waived']:>6}  "
                   f"{report.files['html']}")


def _pipeline_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by the commands that run the pipeline."""
    command = click.option("--today", callback=_parse_today, default=None, metavar="YYYY-MM-DD",
                           help="The date rules such as 'no future dates' compare with.")(command)
    command = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
                           help="Output folder (default: out/, or SENATE_OUT_DIR).")(command)
    return click.argument("dataset_ids", nargs=-1, callback=_dataset_ids)(command)


_PURGE_OPTION = click.option(
    "--purge", is_flag=True,
    help="Delete from the catalog, instead of withdrawing, the datasets whose files were "
         "removed from the repository.")


@cli.command()
@_pipeline_options
@_PURGE_OPTION
@_errors_as_messages
def plan(dataset_ids: tuple[str, ...], out_dir: Path | None, today: date, purge: bool) -> None:
    """Show what `run` would change in the catalog, field by field (no write call).

    The same path as `run` (derive, validate, describe, scan, gate, plan; withdrawals of
    datasets no longer allowed in public, or gone from the repository, on lines of their own),
    run without Prefect, without converting raw files, and without recording a run.

    Example:

        senate-catalog plan
        CKAN_URL=https://catalog.example CKAN_API_TOKEN_FILE=~/.ckan-token senate-catalog plan
    """
    from flows.catalog import CatalogClient
    from flows.catalog.counting import CountingClient
    from flows.catalog.plan_text import plan_lines
    from flows.catalog.preflight import check_pipeline_catalog
    from flows.pipeline import plan_or_run

    config = _pipeline_config(out_dir)
    check_pipeline_catalog(config, PROJECT_ROOT)   # an anonymous plan would plan wrongly
    client = CountingClient(CatalogClient(config.catalog))
    started = time.monotonic()
    outcomes = plan_or_run(PROJECT_ROOT, client=client, out_dir=config.out_dir, today=today,
                           catalog_url=config.catalog_url, dataset_ids=dataset_ids,
                           dry_run=True, purge=purge, retry=config.retry,
                           max_workers=config.max_workers)
    for outcome in outcomes:
        click.echo(f"{outcome.dataset}: " + (_verdict(outcome.result) if outcome.result
                                             else outcome.status))
        if outcome.status == "failed":
            click.echo(f"    error: {outcome.reason}")
        if outcome.status == "unchanged":   # as last published, the catalog untouched since
            click.echo(f"  {outcome.dataset}: unchanged (as last published; nothing to write)")
        for planned in outcome.plans:
            click.echo("\n".join("  " + line for line in plan_lines(planned)))
    click.echo(f"planned in {time.monotonic() - started:.1f} s; "
               f"write calls to {config.catalog_url}: {client.write_count}")
    # The exit code `run` would give: 1 when a dataset would be held or failed, 3 unreachable.
    if any(outcome.catalog_unreachable for outcome in outcomes):
        raise SystemExit(EXIT_CATALOG)
    if any(outcome.status in ("held", "failed") for outcome in outcomes):
        raise SystemExit(EXIT_DATA_ERRORS)


def _known_groups(ctx: click.Context, _param: click.Parameter,
                  value: tuple[str, ...]) -> tuple[str, ...]:
    """--group values, each one of catalog_config/organization.yaml's groups (else exit 2)."""
    from flows.catalog import load_layout
    from flows.catalog.organization import check_groups

    if not value:
        return value
    try:
        check_groups(load_layout(_project_of(ctx) / "catalog_config" / "organization.yaml"),
                     value, source="--group")
    except ConfigError as exc:
        raise _Failure(str(exc), EXIT_CONFIG) from exc
    return value


def _project_of(ctx: click.Context) -> Path:
    """The project a command works on: --project (parsed first), else this checkout."""
    return ctx.params.get("project_root") or PROJECT_ROOT


def _project_dir(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    if value is not None and not (value / "metadata").is_dir():
        raise _Failure(f"--project {value}: no metadata/ folder there; name the folder that "
                       "holds metadata/, schemas/ and datasets/", EXIT_CONFIG)
    return value.resolve() if value is not None else None


def _iso_day(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--today of `run`, checked here (exit 2) and passed on as text; None stays None (the
    flow then takes today in Bangkok)."""
    if value is not None:
        _parse_today(ctx, param, value)
    return value


@cli.command()
@click.argument("dataset_ids", nargs=-1, callback=_dataset_ids)
@click.option("--group", "groups", multiple=True, metavar="GROUP", callback=_known_groups,
              help="Only datasets in this catalog group (repeatable), e.g. legislation.")
@click.option("--no-ingest", is_flag=True, help="Use the committed CSVs; do not convert raw files.")
@click.option("--today", default=None, metavar="YYYY-MM-DD", callback=_iso_day,
              help="The date rules compare with (default: today in Bangkok).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: output_dir of catalog_config/pipeline.yaml).")
@_PURGE_OPTION
@click.option("--project", "project_root", type=click.Path(path_type=Path, file_okay=False),
              default=None, is_eager=True, callback=_project_dir,
              help="The folder holding metadata/, schemas/ and datasets/ (default: this "
                   "checkout), e.g. a copy of the project.")
@_errors_as_messages
def run(dataset_ids: tuple[str, ...], groups: tuple[str, ...], no_ingest: bool,
        today: str | None, out_dir: Path | None, purge: bool,
        project_root: Path | None) -> None:
    """Run the pipeline as a Prefect flow: ingest, validate, describe, publish, record.

    Unchanged datasets come from the cache and are not published again. Exit code 0 when every
    dataset is in the catalog, 1 when one is held back by data errors or failed, 2 for a
    configuration error (an unknown id or group, a bad date, a token CKAN does not accept), 3
    when the catalog, its search service or the Prefect server does not answer.

    Example:

        senate-catalog run                 # every dataset
        senate-catalog run senators        # one dataset
        senate-catalog run --group legislation --group senators
        senate-catalog run --purge         # delete datasets removed from the repository
    """
    config = _pipeline_config(out_dir)
    records = _run_flow(config, dataset_ids=list(dataset_ids), groups=list(groups),
                        ingest_sources=not no_ingest, today=today, purge=purge,
                        project_root=str(project_root) if project_root else None)
    raise SystemExit(_exit_code(records))


@cli.command()
@_pipeline_options
@_PURGE_OPTION
@_errors_as_messages
def publish(dataset_ids: tuple[str, ...], out_dir: Path | None, today: date,
            purge: bool) -> None:
    """`run` without converting raw files: validate, describe and publish the committed CSVs.

    Same flow, cache, run records and exit codes as `run`.

    Example:

        senate-catalog publish senate-votes
    """
    config = _pipeline_config(out_dir)
    records = _run_flow(config, dataset_ids=list(dataset_ids), groups=[],
                        ingest_sources=False, today=today.isoformat(), purge=purge)
    raise SystemExit(_exit_code(records))


def _pipeline_config(out_dir: Path | None, *, needs_token: bool = True):
    """The pipeline's configuration (file + environment), checked before any work starts."""
    from flows.config import load_pipeline_config

    environ = dict(os.environ)
    if out_dir is not None:
        environ["SENATE_OUT_DIR"] = str(out_dir)
    config = load_pipeline_config(StackSettings.from_env(), environ)
    config.check(needs_token=needs_token)
    return config


def _run_flow(config, **parameters: Any) -> list[dict[str, Any]]:
    """Run the catalog flow in this process; print the summary; return this run's records.

    The catalog must answer and accept the token first (exit 3 or 2, before Prefect starts).
    The summary is printed from the run records the pipeline writes itself, so it survives a
    Prefect server that stops answering mid-run (then exit 3 at once: flows.cli_prefect).
    Tracebacks go to the run log, never to the terminal.
    """
    from flows.catalog.preflight import check_pipeline_catalog
    from flows.cli_prefect import end_now, run_tracked
    from flows.logs import console_without_tracebacks
    from flows.private_files import PRIVATE_UMASK

    check_pipeline_catalog(config, Path(parameters.get("project_root") or PROJECT_ROOT))
    stack_settings = StackSettings.from_env()
    _use_prefect(stack_settings)
    os.environ["SENATE_OUT_DIR"] = str(config.out_dir)  # the flow reads the same configuration
    # For this whole process, not only the flow: Prefect writes some results after it returns.
    os.umask(PRIVATE_UMASK)
    from flows.pipelines.catalog_flow import catalog_flow
    from flows.records import read_history

    started = time.monotonic()
    with console_without_tracebacks():
        tracked = run_tracked(catalog_flow, parameters)
        took = time.monotonic() - started
        records = [r for r in read_history(config.history_file).records
                   if r["run_id"] == tracked.run_id]
        if tracked.prefect_lost is not None:
            if records:
                _print_run(records, config, took, None)
            click.echo(f"Error: {tracked.prefect_lost}", err=True)
            end_now(EXIT_CATALOG)
        if not records and tracked.state.is_failed():
            tracked.state.result()  # stopped before any dataset: raise its error (exit 2 or 3)
    _print_run(records, config, took, tracked.state)
    return records


def _use_prefect(settings: StackSettings) -> None:
    """Point Prefect at the stack's server when it runs, else at a temporary one (slower)."""
    from flows.settings import prefect_environment
    from flows.stack.processes import http_ok

    from flows.cli_prefect import impatient_client_defaults
    from flows.pipelines.prefect_api import unreachable_message

    environment = prefect_environment(settings)
    os.environ.setdefault("PREFECT_HOME", environment.pop("PREFECT_HOME"))  # tests keep their own
    os.environ.update(environment)
    if "PREFECT_API_URL" in environment:   # the local server (or a temporary one), not the
        impatient_client_defaults()        # operator's: fail in seconds, not minutes
    api = os.environ["PREFECT_API_URL"]
    if not http_ok(f"{api}/health"):
        if "PREFECT_API_URL" not in environment:  # the operator's server: do not replace it
            raise OrchestrationError(unreachable_message(api, "its /health does not answer"))
        click.echo(f"Prefect server not running at {api}; using a temporary one "
                   "(start it with `senate-catalog stack up`)", err=True)
        for name in ("PREFECT_API_URL", "PREFECT_UI_URL"):
            os.environ.pop(name, None)
    if "prefect" in sys.modules:  # Prefect reads its settings at import: make it read them again
        from prefect.context import refresh_global_settings_context
        refresh_global_settings_context()


def _print_run(records: list[dict[str, Any]], config, took: float, state) -> None:
    from flows.records import status_rows

    if not records:
        click.echo("No dataset matched the selection (dataset ids / --group); nothing was run.")
    width = max([len("dataset"), *(len(r["dataset"]) for r in records)])
    click.echo(f"\n{'dataset':<{width}} {'status':<10} {'verdict':<16} {'err':>4} {'warn':>5} "
               f"{'waiv':>5} {'cache':<6} catalog / why")
    for row in status_rows(records):
        click.echo(f"{row['dataset']:<{width}} {row['status']:<10} {row['verdict']:<16} "
                   f"{row['errors']:>4} {row['warnings']:>5} {row['waived']:>5} "
                   f"{row['cached']:<6} {row['catalog_or_reason']}")
    writes = sum((r.get("catalog") or {}).get("write_calls") or 0 for r in records)
    click.echo(f"\nReports:  {config.out_dir}/<dataset>/report.html (validation.json, summary.md)")
    click.echo(f"History:  {config.history_file}")
    click.echo(f"Catalog:  {config.catalog_url}/dataset")
    if state is None:   # the Prefect server went away: the caller says so
        click.echo(f"Run stopped after {took:.1f} s; write calls to the catalog: {writes}")
        return
    click.echo(f"Run {state.name.lower()} in {took:.1f} s; write calls to the catalog: {writes}"
               + (f" ({state.message})" if state.is_failed() and state.message else ""))
    unreachable = next((r["reason"] for r in records
                        if (r.get("catalog") or {}).get("unreachable") and r.get("reason")), None)
    if unreachable:   # exit 3: say which service, once, where errors are read
        click.echo(f"Error: {unreachable}", err=True)


def _exit_code(records: list[dict[str, Any]]) -> int:
    statuses = {r["status"] for r in records}
    if any((r.get("catalog") or {}).get("unreachable") for r in records):
        return EXIT_CATALOG
    return EXIT_DATA_ERRORS if statuses & {"held", "failed"} else 0


def _verdict(result) -> str:
    from flows.validation.reports import verdict_of

    counts = result.counts()
    return (f"validation {verdict_of(result).value} ({counts['errors']} errors, "
            f"{counts['warnings']} warnings, {counts['waived']} waived)")


@cli.command()
@_errors_as_messages
def demo() -> None:
    """Bring the local catalog up, run every dataset through the flow, print where to look.

    The README's main command. Running it again is fast and publishes nothing new.

    Example:

        senate-catalog demo
    """
    settings = StackSettings.from_env()
    stack.up(settings, echo=click.echo)
    _apply_schedules(settings)
    click.echo("\nRunning the catalog flow on every dataset:")
    config = _pipeline_config(None)
    records = _run_flow(config, dataset_ids=[], groups=[], ingest_sources=True, today=None)
    before = _national_registrations(config.out_dir)
    national_line = _harvest_into_national(settings)
    if national_line and _national_registrations(config.out_dir) != before:
        # KPI 1.3 condition 7 counts the national catalog's answer: a new answer changes the
        # KPI datasets, so they are published (and harvested) now, not at the next demo.
        click.echo("\nThe national catalog's answer changed KPI 1.3 condition 7; running the "
                   "catalog flow again (cached) and harvesting what changed:")
        records = _run_flow(config, dataset_ids=[], groups=[], ingest_sources=False,
                            today=None)
        national_line = _harvest_into_national(settings)
    url = config.catalog_url
    click.echo("\nThe catalog is up:")
    click.echo(f"  Catalog (web):      {url}/dataset")
    click.echo(f"  Organisation:       {url}/organization/senate-secretariat")
    click.echo(f"  API status:         {url}/api/3/action/status_show")
    click.echo(f"  DCAT (Turtle):      {url}/catalog.ttl")
    click.echo(f"  About, policy:      {url}/about "
               "(data policy, licences, classification, contacts)")
    click.echo(f"  Data API:           {url}/api/3/action/datastore_search?resource_id=<id> "
               "(every public data file; README: Open data for the public)")
    click.echo(f"  Data dictionary:    {url}/dataset/data-dictionary "
               "(every public dataset's fields)")
    click.echo(f"  Prefect UI:         {settings.prefect_ui_url} (flow runs, artifacts, schedules)")
    click.echo(f"  API token file:     {settings.token_file} (sysadmin; never printed)")
    click.echo("  Datasets:")
    for record in records:
        for entry in (record.get("catalog") or {}).get("datasets") or []:
            click.echo(f"    {url}/dataset/{entry['name']}"
                       f"{'  (private)' if entry.get('private') else ''}")
    click.echo(f"  Reports:            {config.out_dir}/<dataset>/report.html, "
               f"{config.out_dir}/catalog/dictionary.html")
    click.echo(f"  KPI scorecard:      {config.out_dir}/kpi-scorecard/scorecard.html, "
               f"{url}/dataset/kpi-scorecard")
    click.echo(f"  KPI 1.3 report:     {config.out_dir}/kpi-1-3-conditions/"
               f"kpi-1-3-outcome-report.html, {url}/dataset/kpi-1-3-conditions")
    click.echo("  Last runs:          senate-catalog status")
    if national_line:
        click.echo(national_line)
    if _exit_code(records):
        raise SystemExit(_exit_code(records))


def _apply_schedules(settings: StackSettings) -> None:
    """Apply catalog_config/prefect.yaml (skipped when already applied), so the stack's worker
    runs the schedules from now on."""
    from flows.stack import prefect_worker

    started = time.monotonic()
    applied = prefect_worker.apply_deployments(settings)
    took = time.monotonic() - started
    what = f"applied {', '.join(applied)}" if applied else "already applied"
    click.echo(f"  {'schedules (prefect.yaml)':<28} {what} ({took:.1f} s)")


def _national_registrations(out_dir: Path) -> tuple[tuple[str, str], ...] | None:
    """What condition 7 reads of the national answer kept in ``out_dir``: the registered
    datasets and their national links (None: never asked)."""
    from flows.national.answer import read_answer

    answer = read_answer(out_dir)
    if answer is None:
        return None
    return tuple(sorted((d.name, d.national_url or "") for d in answer.registered))


def _harvest_into_national(settings: StackSettings) -> str:
    """Harvest the agency catalog into the stack's national catalog (ckanext-harvest's own
    stages); the line naming the national catalog, or "" for an instance without one."""
    from flows.national import local
    from flows.stack import national

    if not national.enabled(settings):
        return ""
    click.echo("\nHarvesting the agency catalog into the national catalog (GD Catalog stand-in):")
    result = local.harvest(settings)
    click.echo(f"  {result.summary()} in {result.seconds:.1f} s")
    # What the national catalog now holds, kept in out/national/status.json: KPI 1.3
    # condition 7 counts it from the next run on (`senate-catalog national status`).
    from flows.cli_national import ask_national, summary_line
    click.echo(f"  {summary_line(ask_national(None, ()))}")
    return (f"  National catalog:   {national.url(settings)}/dataset "
            f"(harvested from this catalog: only public datasets with allow_harvest)")


@cli.command()
@_errors_as_messages
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

    environment = _prefect_process_environment()
    for name in apply_deployments(PROJECT_ROOT, environment):
        click.echo(f"deployed {name}")
    for declared in declared_deployments(PROJECT_ROOT):
        for schedule in declared.get("schedules") or []:
            click.echo(f"  {declared['name']}: cron {schedule['cron']!r} "
                       f"({schedule.get('timezone', 'UTC')})")
    click.echo(f"Prefect UI: {environment.get('PREFECT_UI_URL', environment['PREFECT_API_URL'])}")


@cli.command()
@click.option("--run-once", is_flag=True, help="Poll once, run what is due, then exit.")
@_errors_as_messages
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
    os.umask(PRIVATE_UMASK)  # inherited by the worker and the flow runs it starts
    os.execve(command[0], command, _prefect_process_environment())


def _prefect_process_environment() -> dict[str, str]:
    """This process's environment plus what points Prefect at the stack's server."""
    from flows.settings import prefect_environment

    settings = StackSettings.from_env()
    environment = {**os.environ, **prefect_environment(settings)}
    if "PREFECT_HOME" in os.environ:
        environment["PREFECT_HOME"] = os.environ["PREFECT_HOME"]
    return environment


cli.add_command(status_command)
cli.add_command(report_command)
cli.add_command(national_group)
cli.add_command(new_command)
