"""The pipeline commands: `ingest`, `validate`, `plan`, `run`, `publish`.

Each reads the configuration once (flows.config), calls the library, prints, and exits with
0, 1 (data errors, a dataset held or failed), 2 (configuration) or 3 (a service unreachable).
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from flows.cli.options import groups_option, pipeline_options, purge_option
from flows.config import Config, load_config
from flows.datasets import discover_datasets, load_dataset, run_order
from flows.errors import EXIT_DATA_ERRORS, EXIT_SERVICE

if TYPE_CHECKING:
    from flows.validation.validate_and_report import DatasetReport

# The pipeline stages import pandas, frictionless and Great Expectations (seconds of start-up);
# they are imported inside the commands that use them so `stack status` stays instant.


@click.command()
@pipeline_options
def ingest(dataset_ids: tuple[str, ...], out_dir: Path | None, today: date,
           project_root: Path) -> None:
    """Convert raw sources (datasets/<id>/raw/) into tidy UTF-8 CSVs (datasets/<id>/<id>.csv),
    and compute the derived datasets (KPI scorecard, KPI 1.3 conditions) from the others and
    the run records.

    Example:

        senate-catalog ingest senate-votes
    """
    specs = ([load_dataset(project_root, i) for i in dataset_ids]
             or discover_datasets(project_root))
    config = None
    for spec in run_order(specs):
        if spec.problem is not None:   # this dataset only: the others are converted
            click.echo(f"{spec.id:<28} not converted: {spec.problem}")
        elif spec.source.get("reader"):
            _convert(spec, project_root)
        elif spec.source.get("derived"):
            config = config or checked_config(out_dir, needs_token=False)
            _derive_now(spec, config, today, project_root)
        else:
            click.echo(f"{spec.id:<28} the CSV is the source (no reader): nothing to convert")
    if any(spec.problem is not None for spec in specs):
        raise SystemExit(EXIT_DATA_ERRORS)


def _convert(spec, root: Path) -> None:
    from flows.sources import build_dataset, write_csv

    frame, findings = build_dataset(spec)
    write_csv(frame, spec.csv_path)
    note = f", {len(findings)} conversion notes" if findings else ""
    click.echo(f"{spec.id:<28} {len(frame):>7} rows -> {spec.csv_path.relative_to(root)}{note}")
    for finding in findings:
        click.echo(f"    [{finding.severity.value}] {finding.rule}: {finding.message_en}")


def _derive_now(spec, config: Config, today: date, root: Path) -> None:
    from flows.datasets import DeriveContext
    from flows.orchestrate.derive import derive
    from flows.records import read_history

    pipeline = config.pipeline
    context = DeriveContext(root=root, out_dir=pipeline.out_dir, today=today,
                            catalog_url=pipeline.catalog_url,
                            history=read_history(pipeline.history_file).records)
    extras = derive(spec, context)
    click.echo(f"{spec.id:<28} derived -> {spec.csv_path.relative_to(root)}"
               + "".join(f", {extra.path}" for extra in extras))


@click.command()
@pipeline_options
def validate(dataset_ids: tuple[str, ...], out_dir: Path | None, today: date,
             project_root: Path) -> None:
    """Validate datasets and write JSON, HTML and Markdown reports per dataset.

    Exit code 1 when any dataset has blocking (unwaived error) findings.

    Example:

        senate-catalog validate            # every dataset
        senate-catalog validate senators --out /tmp/reports
    """
    reports = validate_now(project_root, load_config(out_dir=out_dir).pipeline.out_dir, today,
                           dataset_ids)
    if any(report.result.blocking for report in reports):
        raise SystemExit(EXIT_DATA_ERRORS)


def validate_now(root: Path, out_dir: Path, today: date,
                 dataset_ids: tuple[str, ...]) -> list[DatasetReport]:
    """Validate, write the reports (private: they may quote what a scan did not recognise as
    personal), print one line per dataset; the reports."""
    from flows.private_files import private_umask
    from flows.validation.validate_and_report import run_validation

    with private_umask():
        reports = run_validation(root, out_dir=out_dir, today=today, dataset_ids=dataset_ids)
    print_validation(reports)
    return reports


def print_validation(reports: list[DatasetReport]) -> None:
    from flows.validation.reports import verdict_of

    click.echo(f"{'dataset':<16} {'verdict':<16} {'errors':>7} {'warnings':>8} {'waived':>6}"
               "  report")
    for report in reports:
        counts = report.result.counts()
        click.echo(f"{report.result.dataset:<16} {verdict_of(report.result).value:<16} "
                   f"{counts['errors']:>7} {counts['warnings']:>8} {counts['waived']:>6}  "
                   f"{report.files['html']}")


@click.command()
@pipeline_options
@purge_option
def plan(dataset_ids: tuple[str, ...], out_dir: Path | None, today: date, project_root: Path,
         purge: bool) -> None:
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
    from flows.orchestrate.plan_or_run import plan_or_run

    config = checked_config(out_dir).pipeline
    check_pipeline_catalog(config, project_root)   # an anonymous plan would plan wrongly
    client = CountingClient(CatalogClient(config.catalog))
    started = time.monotonic()
    outcomes = plan_or_run(project_root, client=client, out_dir=config.out_dir, today=today,
                           catalog_url=config.catalog_url, dataset_ids=dataset_ids,
                           dry_run=True, purge=purge, retry=config.retry,
                           max_workers=config.max_workers)
    for outcome in outcomes:
        click.echo(f"{outcome.dataset}: " + (verdict_line(outcome.result) if outcome.result
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
        raise SystemExit(EXIT_SERVICE)
    if any(outcome.status in ("held", "failed") for outcome in outcomes):
        raise SystemExit(EXIT_DATA_ERRORS)


@click.command()
@pipeline_options
@groups_option
@click.option("--no-ingest", is_flag=True, help="Use the committed CSVs; do not convert raw files.")
@purge_option
def run(dataset_ids: tuple[str, ...], out_dir: Path | None, today: date, project_root: Path,
        groups: tuple[str, ...], no_ingest: bool, purge: bool) -> None:
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
    config = checked_config(out_dir)
    records = run_flow(config, project_root, dataset_ids=list(dataset_ids), groups=list(groups),
                       ingest_sources=not no_ingest, today=today, purge=purge)
    raise SystemExit(exit_code_of(records))


@click.command()
@pipeline_options
@purge_option
def publish(dataset_ids: tuple[str, ...], out_dir: Path | None, today: date, project_root: Path,
            purge: bool) -> None:
    """`run` without converting raw files: validate, describe and publish the committed CSVs.

    Same flow, cache, run records and exit codes as `run`.

    Example:

        senate-catalog publish senate-votes
    """
    config = checked_config(out_dir)
    records = run_flow(config, project_root, dataset_ids=list(dataset_ids), groups=[],
                       ingest_sources=False, today=today, purge=purge)
    raise SystemExit(exit_code_of(records))


def checked_config(out_dir: Path | None, *, needs_token: bool = True) -> Config:
    """The configuration (file + environment + --out), checked before any work starts."""
    config = load_config(out_dir=out_dir)
    config.pipeline.check(needs_token=needs_token)
    return config


def run_flow(config: Config, root: Path, *, today: date, **parameters: Any,
             ) -> list[dict[str, Any]]:
    """Run the catalog flow in this process; print the summary; return this run's records.

    The catalog must answer and accept the token first (exit 3 or 2, before Prefect starts).
    The summary is printed from the run records the pipeline writes itself, so it survives a
    Prefect server that stops answering mid-run (then exit 3 at once: end_now). Tracebacks go
    to the run log, never to the terminal.
    """
    from flows.catalog.preflight import check_pipeline_catalog
    from flows.logs import console_without_tracebacks
    from flows.pipelines.tracked_run import end_now, prefect_settings, run_tracked
    from flows.private_files import PRIVATE_UMASK
    from flows.records import read_history

    pipeline = config.pipeline
    check_pipeline_catalog(pipeline, root)
    # For this whole process, not only the flow: Prefect writes some results after it returns.
    os.umask(PRIVATE_UMASK)
    from flows.pipelines.catalog_flow import catalog_flow

    started = time.monotonic()
    with console_without_tracebacks(), prefect_settings(
            config.prefect, warn=lambda message: click.echo(message, err=True)):
        tracked = run_tracked(catalog_flow, {**parameters, "today": today.isoformat(),
                                             "project_root": str(root),
                                             "out_dir": str(pipeline.out_dir)})
        took = time.monotonic() - started
        records = [r for r in read_history(pipeline.history_file).records
                   if r["run_id"] == tracked.run_id]
        if tracked.prefect_lost is not None:
            if records:
                _print_run(records, pipeline, took, None)
            click.echo(f"Error: {tracked.prefect_lost}", err=True)
            end_now(EXIT_SERVICE)
        if not records and tracked.state.is_failed():
            tracked.state.result()  # stopped before any dataset: raise its error (exit 2 or 3)
    _print_run(records, pipeline, took, tracked.state)
    return records


def _print_run(records: list[dict[str, Any]], pipeline, took: float, state) -> None:
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
    click.echo(f"\nReports:  {pipeline.out_dir}/<dataset>/report.html (validation.json, "
               "summary.md)")
    click.echo(f"History:  {pipeline.history_file}")
    click.echo(f"Catalog:  {pipeline.catalog_url}/dataset")
    if state is None:   # the Prefect server went away: the caller says so
        click.echo(f"Run stopped after {took:.1f} s; write calls to the catalog: {writes}")
        return
    click.echo(f"Run {state.name.lower()} in {took:.1f} s; write calls to the catalog: {writes}"
               + (f" ({state.message})" if state.is_failed() and state.message else ""))
    unreachable = next((r["reason"] for r in records
                        if (r.get("catalog") or {}).get("unreachable") and r.get("reason")), None)
    if unreachable:   # exit 3: say which service, once, where errors are read
        click.echo(f"Error: {unreachable}", err=True)


def exit_code_of(records: list[dict[str, Any]]) -> int:
    """0 every dataset in the catalog; 1 one held or failed; 3 the catalog unreachable."""
    if any((r.get("catalog") or {}).get("unreachable") for r in records):
        return EXIT_SERVICE
    return EXIT_DATA_ERRORS if {r["status"] for r in records} & {"held", "failed"} else 0


def verdict_line(result) -> str:
    from flows.validation.reports import verdict_of

    counts = result.counts()
    return (f"validation {verdict_of(result).value} ({counts['errors']} errors, "
            f"{counts['warnings']} warnings, {counts['waived']} waived)")
