"""`senate-catalog national ...`: the national Government Data Catalog that harvests ours.

The logic is in flows/national/ (``status.py`` compares, ``answer.py`` keeps the answer for
the pipeline).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from flows.cli.options import echo_utf8
from flows.config import load_config
from flows.national.ask import ask_national
from flows.errors import EXIT_DATA_ERRORS

#: Columns of the table: (header, how to show a DatasetStatus).
_HEADERS = ("ชุดข้อมูล / dataset", "ต้องลงทะเบียน / required",
            "ในระบบบัญชีข้อมูลภาครัฐ / national", "เก็บเกี่ยวล่าสุด / last harvested",
            "ต่างกัน / differences")
_VALUE_WIDTH = 60


@click.group(name="national")
def national_group() -> None:
    """The national Government Data Catalog (GD Catalog) that harvests this catalog.

    Settings: NATIONAL_CKAN_URL and NATIONAL_CKAN_TOKEN_FILE (default: the local stack's
    stand-in national CKAN); see docs/operator.md.
    """


@national_group.command(name="status")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder for national/status.json (default: the pipeline's).")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
def status(names: tuple[str, ...], out_dir: Path | None, as_json: bool) -> None:
    """Which agency datasets the national catalog holds, when each was last harvested and
    which DGA fields differ; the answer is also kept in <out>/national/status.json for the
    KPI 1.3 conditions (condition 7). NAME: only these agency catalog datasets (the answer
    file is then not written: it must cover the whole catalog).

    Exit code 0 when every public dataset with allow_harvest "True" is there, 1 when one is
    missing, 2 for a configuration error, 3 when a catalog does not answer.

    Example:

    \b
        senate-catalog national status
        senate-catalog national status senators senate-votes
        NATIONAL_CKAN_URL=https://gdcatalog.go.th senate-catalog national status --json
    """
    answer = ask_national(load_config(out_dir=out_dir), names)
    if as_json:
        echo_utf8(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        echo_utf8(status_text(answer))
    if answer.missing:
        raise SystemExit(EXIT_DATA_ERRORS)


def status_text(answer) -> str:
    """Thai-first table, one line per agency dataset, then each difference and a summary."""
    rows = [_HEADERS] + [_row(d) for d in answer.datasets]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADERS) - 1)]
    lines = ["  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[-1]]).rstrip()
             for row in rows]
    for dataset in answer.datasets:
        for difference in dataset.differences:
            lines.append(f"  {dataset.name}: {difference.field}: "
                         f"หน่วยงาน/agency {_shown(difference.agency)} ≠ "
                         f"ภาครัฐ/national {_shown(difference.national)}")
    lines.append(summary_line(answer))
    return "\n".join(lines)


def _row(dataset) -> tuple[str, ...]:
    required = "ใช่ / yes" if dataset.required else f"ไม่ / no ({dataset.not_required_because})"
    if dataset.registered:
        where = dataset.national_url or "-"
        if dataset.unexpected:
            where += " (ไม่ควรมี / should not be there)"
    else:
        where = "ไม่พบ / MISSING" if dataset.required else "ไม่มี / absent"
    when = (f"{dataset.harvested_at} ({dataset.harvested_from})" if dataset.harvested_at
            else "-")
    count = len(dataset.differences)
    return (dataset.name, required, where, when,
            f"{count} เขตข้อมูล / field(s)" if dataset.registered else "-")


def _shown(value: Any) -> str:
    text = "(ว่าง / empty)" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _VALUE_WIDTH else text[:_VALUE_WIDTH - 1] + "…"


def summary_line(answer) -> str:
    required = [d for d in answer.datasets if d.required]
    text = (f"ระบบบัญชีข้อมูลภาครัฐ {answer.national_url}: ลงทะเบียนแล้ว {len(answer.registered)} "
            f"จาก {len(required)} ชุดที่ต้องลงทะเบียน / national catalog {answer.national_url}: "
            f"{len(answer.registered)} of {len(required)} required dataset(s) registered")
    if answer.missing:
        names = ", ".join(d.name for d in answer.missing)
        text += f"\nยังไม่มีในระบบบัญชีข้อมูลภาครัฐ / missing there: {names}"
    unexpected = [d.name for d in answer.datasets if d.unexpected]
    if unexpected:
        text += (f"\nมีในระบบบัญชีข้อมูลภาครัฐทั้งที่ไม่ควรมี (ส่วนตัวหรือไม่อนุญาตให้ดึงข้อมูล) / "
                 f"there though private or not harvestable: {', '.join(unexpected)}")
    return text
