"""The KPI datasets the pipeline computes on each run (see flows.pipelines.derive):

- ``kpi-scorecard``: each KPI's level from kpi-register + kpi-progress, and the weighted total;
  also a Thai-first HTML page registered with the dataset;
- ``kpi-1-3-conditions``: KPI 1.3's conditions 1-7, the pipeline's own items filled from the run
  records; also the KPI 1.3 outcome report (HTML and Markdown) registered with the dataset.
"""

from __future__ import annotations

from flows.csv_source import csv_encoding
from flows.datasets import DatasetSpec, load_dataset
from flows.kpi.conditions import write_conditions_dataset
from flows.kpi.outcome_report import write_outcome_report
from flows.kpi.scorecard import (build_scorecard, read_csv_rows, scorecard_total,
                                 write_scorecard_csv)
from flows.kpi.scorecard_html import write_scorecard_html
from flows.pipelines.derive import DeriveContext, ExtraFile


def derive_scorecard(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    """Write the scorecard CSV and its HTML page (``out/kpi-scorecard/scorecard.html``)."""
    rows = build_scorecard(_dataset_rows(context, "kpi-register"),
                           _dataset_rows(context, "kpi-progress"))
    write_scorecard_csv(rows, spec.csv_path)
    page = write_scorecard_html(rows, scorecard_total(rows),
                                context.out_dir / spec.id / "scorecard.html")
    return [ExtraFile("scorecard-page", page, "HTML")]


def _dataset_rows(context: DeriveContext, dataset_id: str) -> list[dict[str, str | None]]:
    """A source dataset's rows, in the encoding its metadata declare (as validation reads it)."""
    spec = load_dataset(context.root, dataset_id, source="the KPI scorecard's inputs")
    return read_csv_rows(spec.csv_path, encoding=csv_encoding(spec))


def derive_conditions(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    """Write the conditions CSV, then the KPI 1.3 outcome report that cites them."""
    csv_path = write_conditions_dataset(context.root, context.history,
                                        catalog_url=context.catalog_url, today=context.today)
    report = write_outcome_report(root=context.root, records=context.history,
                                  catalog_url=context.catalog_url, today=context.today,
                                  out_dir=context.out_dir / spec.id,
                                  conditions=read_csv_rows(csv_path),
                                  dictionary_path="catalog/dictionary.html",
                                  own_dataset=spec.id)
    return [ExtraFile("outcome-report", report["html"], "HTML"),
            ExtraFile("outcome-report-md", report["md"], "Markdown")]
