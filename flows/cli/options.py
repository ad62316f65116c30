"""What several commands share: their options and arguments, checked as they are parsed, and
printing Thai safely. A bad value raises ``ConfigError`` (exit 2, flows/cli/main.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Callable

import click

from flows.dataset_ids import check_dataset_id
from flows.datasets import discover_datasets, load_dataset
from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from flows.today import bangkok_today, parse_day

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def echo_utf8(text: str, *, err: bool = False) -> None:
    """Print ``text`` as UTF-8 whatever the terminal's locale says (Thai must not crash)."""
    click.echo((text + "\n").encode("utf-8"), nl=False, err=err)


def project_of(ctx: click.Context) -> Path:
    """The project a command works on: --project (parsed first), else this checkout."""
    return ctx.params.get("project_root") or PROJECT_ROOT


def _today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    return bangkok_today() if value is None else parse_day(value)


def _project(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    if value is None:
        return PROJECT_ROOT
    if not (value / "metadata").is_dir():
        raise ConfigError(f"--project {value}: no metadata/ folder there; name the folder that "
                          "holds metadata/, schemas/ and datasets/")
    return value.resolve()


def _dataset_ids(ctx: click.Context, _param: click.Parameter,
                 value: tuple[str, ...]) -> tuple[str, ...]:
    """Each id valid and known in the project's metadata/ (file names, ``id:`` keys, schema
    references), before the command reads its configuration, writes a file or starts Prefect."""
    checked = tuple(check_dataset_id(i, source="command-line argument") for i in value)
    root = project_of(ctx)
    known = {spec.id for spec in discover_datasets(root)}
    for dataset_id in checked:
        if dataset_id not in known:
            load_dataset(root, dataset_id)  # raises: no dataset ... (known: ...)
    return checked


def _known_groups(ctx: click.Context, _param: click.Parameter,
                  value: tuple[str, ...]) -> tuple[str, ...]:
    """--group values, each one of catalog_config/organization.yaml's groups."""
    from flows.catalog import load_layout
    from flows.catalog.organization import check_groups

    if value:
        check_groups(load_layout(project_of(ctx) / "catalog_config" / "organization.yaml"),
                     value, source="--group")
    return value


#: --today: the date rules such as "no future dates" compare with; the cache key has it too.
today_option: Decorator = click.option(
    "--today", callback=_today, default=None, metavar="YYYY-MM-DD",
    help="The date rules such as 'no future dates' compare with (default: today in Bangkok).")
out_option: Decorator = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=None,
    help="Output folder (default: output_dir of catalog_config/pipeline.yaml, or "
         "SENATE_OUT_DIR).")
#: Eager, so the dataset ids and groups are checked against the project it names.
project_option: Decorator = click.option(
    "--project", "project_root", type=click.Path(path_type=Path, file_okay=False),
    default=None, is_eager=True, callback=_project,
    help="The folder holding metadata/, schemas/ and datasets/ (default: this checkout).")
dataset_ids_argument: Decorator = click.argument("dataset_ids", nargs=-1, callback=_dataset_ids)
groups_option: Decorator = click.option(
    "--group", "groups", multiple=True, metavar="GROUP", callback=_known_groups,
    help="Only datasets in this catalog group (repeatable), e.g. legislation.")
purge_option: Decorator = click.option(
    "--purge", is_flag=True,
    help="Delete from the catalog, instead of withdrawing, the datasets whose files were "
         "removed from the repository.")


def pipeline_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """DATASET_IDS, --out, --today and --project: what every pipeline command takes."""
    for decorator in (project_option, today_option, out_option, dataset_ids_argument):
        command = decorator(command)
    return command


def checked_id(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
    """A DATASET argument (or several), each a valid dataset id, so no path is built from one
    that is not."""
    if isinstance(value, tuple):
        return tuple(check_dataset_id(i, source="command-line argument") for i in value)
    return check_dataset_id(value, source="command-line argument")
