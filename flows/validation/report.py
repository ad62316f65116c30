"""Write the reports of one validated dataset into ``out/<dataset-id>/``.

``validation.json`` for machines (the gate, the run record), ``report.html`` for the data steward
and ``summary.md`` for a PR comment, a chat message or a Prefect artifact. Each is rendered in
full before it is written, and written through a temporary file, so a reader never sees half a
report.
"""

from __future__ import annotations

from pathlib import Path

from flows.atomic import write_text_atomic
from flows.validation.findings import ValidationResult
from flows.validation.reports import render_html, render_json, render_markdown

REPORT_FILES = {"json": "validation.json", "html": "report.html", "markdown": "summary.md"}


def write_reports(result: ValidationResult, out_dir: Path, *,
                  trend_svg: str = "") -> dict[str, Path]:
    """Write the three reports; return their paths keyed ``json``, ``html``, ``markdown``.

    ``trend_svg``: the chart of the dataset's quality history (one point per validation whose
    inputs or result changed; drawn by ``ckanext.senate_dga.trend_svg``), shown in the HTML
    report. The pipeline knows it only once the run's record is pending, so it writes the
    reports again then (``flows.describe.quality_history.with_quality_trend``).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = {"json": render_json(result), "html": render_html(result, trend_svg=trend_svg),
             "markdown": render_markdown(result)}
    paths = {kind: out_dir / name for kind, name in REPORT_FILES.items()}
    for kind, path in paths.items():
        write_text_atomic(path, texts[kind])
    return paths

