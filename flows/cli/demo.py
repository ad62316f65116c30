"""`senate-catalog demo`: the README's main command (stack up, schedules, the flow on every
dataset, the national harvest, then where to look)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from flows.cli.options import project_option, today_option
from flows.cli.pipeline import checked_config, exit_code_of, run_flow
from flows.config import Config
from flows.settings import StackSettings


@click.command()
@today_option
@project_option
def demo(today, project_root: Path) -> None:
    """Bring the local catalog up, run every dataset through the flow, print where to look.

    The README's main command. Running it again is fast and publishes nothing new.

    Example:

        senate-catalog demo
    """
    from flows import stack

    config = checked_config(None, needs_token=False)   # the stack writes the token
    settings = config.stack
    stack.up(settings, echo=click.echo)
    _apply_schedules(settings)
    click.echo("\nRunning the catalog flow on every dataset:")
    config = checked_config(None)   # again: `stack up` has just written the API token
    everything = {"dataset_ids": [], "groups": [], "today": today}
    records = run_flow(config, project_root, ingest_sources=True, **everything)
    before = _national_registrations(config.pipeline.out_dir)
    national_line = _harvest_into_national(config)
    if national_line and _national_registrations(config.pipeline.out_dir) != before:
        # KPI 1.3 condition 7 counts the national catalog's answer: a new answer changes the
        # KPI datasets, so they are published (and harvested) now, not at the next demo.
        click.echo("\nThe national catalog's answer changed KPI 1.3 condition 7; running the "
                   "catalog flow again (cached) and harvesting what changed:")
        records = run_flow(config, project_root, ingest_sources=False, **everything)
        national_line = _harvest_into_national(config)
    _print_where_to_look(config, records)
    if national_line:
        click.echo(national_line)
    if exit_code_of(records):
        raise SystemExit(exit_code_of(records))


def _print_where_to_look(config: Config, records: list[dict]) -> None:
    url, out, settings = config.pipeline.catalog_url, config.pipeline.out_dir, config.stack
    click.echo("\nThe catalog is up:")
    click.echo(f"  Catalog (web):      {url}/dataset")
    click.echo(f"  Organisation:       {url}/organization/senate-secretariat")
    click.echo(f"  API status:         {url}/api/3/action/status_show")
    click.echo(f"  DCAT (Turtle):      {url}/catalog.ttl")
    click.echo(f"  About, policy:      {url}/about "
               "(data policy, licences, classification, contacts)")
    click.echo(f"  Data API:           {url}/api/3/action/datastore_search?resource_id=<id> "
               "(every public data file; docs/operator.md: the Data API)")
    click.echo(f"  Data dictionary:    {url}/dataset/data-dictionary "
               "(every public dataset's fields)")
    click.echo(f"  Prefect UI:         {settings.prefect_ui_url} (flow runs, artifacts, schedules)")
    click.echo(f"  API token file:     {settings.token_file} (sysadmin; never printed)")
    click.echo("  Datasets:")
    for record in records:
        for entry in (record.get("catalog") or {}).get("datasets") or []:
            click.echo(f"    {url}/dataset/{entry['name']}"
                       f"{'  (private)' if entry.get('private') else ''}")
    click.echo(f"  Reports:            {out}/<dataset>/report.html, {out}/catalog/dictionary.html")
    click.echo(f"  KPI scorecard:      {out}/kpi-scorecard/scorecard.html, "
               f"{url}/dataset/kpi-scorecard")
    click.echo(f"  KPI 1.3 report:     {out}/kpi-1-3-conditions/kpi-1-3-outcome-report.html, "
               f"{url}/dataset/kpi-1-3-conditions")
    click.echo("  Last runs:          senate-catalog status")


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


def _harvest_into_national(config: Config) -> str:
    """Harvest the agency catalog into the stack's national catalog (ckanext-harvest's own
    stages); the line naming the national catalog, or "" for an instance without one."""
    from flows.cli.national import summary_line
    from flows.national.ask import ask_national
    from flows.national import local
    from flows.stack import national

    settings = config.stack
    if not national.enabled(settings):
        return ""
    click.echo("\nHarvesting the agency catalog into the national catalog (GD Catalog stand-in):")
    result = local.harvest(settings)
    click.echo(f"  {result.summary()} in {result.seconds:.1f} s")
    # What the national catalog now holds, kept in out/national/status.json: KPI 1.3
    # condition 7 counts it from the next run on (`senate-catalog national status`).
    click.echo(f"  {summary_line(ask_national(config, ()))}")
    return (f"  National catalog:   {national.url(settings)}/dataset "
            f"(harvested from this catalog: only public datasets with allow_harvest)")
