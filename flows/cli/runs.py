"""Operator commands that read what runs left behind: `status` (the run history) and `report`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from flows.cli.options import checked_id, echo_utf8, out_option
from flows.config import load_config
from flows.errors import EXIT_DATA_ERRORS, ConfigError
from flows.records import (ALERT_STATUSES, History, history_path, last_runs, read_history,
                           status_rows)

#: Columns of the `status` table: (status_rows key, header).
_STATUS_COLUMNS = (("dataset", "dataset"), ("finished", "last run (Bangkok)"),
                   ("status", "status"), ("verdict", "verdict"), ("errors", "errors"),
                   ("warnings", "warnings"), ("waived", "waived"), ("cached", "cached"),
                   ("catalog_or_reason", "catalog or reason"))
_NUMERIC = {"errors", "warnings", "waived"}
_REASON_WIDTH = 120

#: What `report --format` prints: the Markdown summary, the JSON report, or the three paths.
_REPORT_FORMATS = ("md", "json", "paths")

def _resolve_out(out_dir: Path | None) -> Path:
    """--out, else the output folder of the configuration (file + environment)."""
    return load_config(out_dir=out_dir).pipeline.out_dir


@click.command()
@click.argument("dataset_ids", nargs=-1, metavar="[DATASET]...", callback=checked_id)
@out_option
@click.option("--json", "as_json", is_flag=True, help="Print the last run records as JSON.")
def status(dataset_ids: tuple[str, ...], out_dir: Path | None, as_json: bool) -> None:
    """Show the last run of each dataset, from <out>/runs/history.jsonl.

    Exit code 1 when the last run of any dataset shown was held (blocking validation errors)
    or failed, so monitoring can alert on it; 0 otherwise, also when no run is recorded yet;
    2 when a DATASET named has no run in the history.

    Example:

    \b
        senate-catalog status
        senate-catalog status senators --json
    """
    path = history_path(_resolve_out(out_dir))
    history = read_history(path)
    for problem in history.problems:
        echo_utf8(f"warning: {problem}", err=True)
    if not history.records:
        if as_json:
            click.echo("[]")
        echo_utf8(f"no runs recorded yet in {path}; run `senate-catalog run`", err=as_json)
        return
    shown = _select(history, dataset_ids, path)
    if as_json:
        echo_utf8(json.dumps(list(shown.values()), ensure_ascii=False, indent=2))
    else:
        echo_utf8(_status_table(status_rows(list(shown.values()))))
    if any(record["status"] in ALERT_STATUSES for record in shown.values()):
        raise SystemExit(EXIT_DATA_ERRORS)


def _select(history: History, dataset_ids: tuple[str, ...],
            path: Path) -> dict[str, dict[str, Any]]:
    """The last run of each dataset named (all when none is), or a usage error (exit 2)."""
    newest = last_runs(history.records)
    unknown = [dataset for dataset in dataset_ids if dataset not in newest]
    if unknown:
        raise click.BadParameter(
            f"no run of {', '.join(unknown)} in {path}; known: {', '.join(newest)}",
            param_hint="DATASET")
    return {dataset: newest[dataset] for dataset in dataset_ids} if dataset_ids else newest


def _status_table(rows: list[dict[str, str]]) -> str:
    """Plain columns, widths from the content; the free-text last column is not padded."""
    def shorten(text: str) -> str:
        return text if len(text) <= _REASON_WIDTH else text[:_REASON_WIDTH - 1] + "…"

    table = [[header for _, header in _STATUS_COLUMNS]]
    table += [[row[key] if key != "catalog_or_reason" else shorten(row[key])
               for key, _ in _STATUS_COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(_STATUS_COLUMNS) - 1)]
    lines = []
    for line in table:
        cells = [cell.rjust(width) if key in _NUMERIC else cell.ljust(width)
                 for cell, width, (key, _) in zip(line, widths, _STATUS_COLUMNS)]
        lines.append("  ".join([*cells, line[-1]]).rstrip())
    return "\n".join(lines)


@click.command()
@click.argument("dataset", callback=checked_id)
@out_option
@click.option("--format", "output_format", type=click.Choice(_REPORT_FORMATS), default="md",
              show_default=True,
              help="md: the Markdown summary; json: validation.json; paths: the report files.")
def report(dataset: str, out_dir: Path | None, output_format: str) -> None:
    """Print the validation report of DATASET from the last validation (<out>/<id>/).

    Exit code 2 when DATASET has no report yet (run `senate-catalog validate DATASET`).

    Example:

    \b
        senate-catalog report senators
        senate-catalog report senators --format paths
    """
    from flows.validation.report import REPORT_FILES

    folder = _resolve_out(out_dir) / dataset
    wanted = {"md": ["markdown"], "json": ["json"],
              "paths": ["html", "json", "markdown"]}[output_format]
    files = {kind: (folder / REPORT_FILES[kind]).resolve() for kind in wanted}
    if not all(path.is_file() for path in files.values()):
        raise ConfigError(f"no report for {dataset} in {folder}; "
                          f"run `senate-catalog validate {dataset}` first")
    if output_format == "paths":
        echo_utf8("\n".join(str(path) for path in files.values()))
    else:
        click.echo(next(iter(files.values())).read_bytes(), nl=False)
