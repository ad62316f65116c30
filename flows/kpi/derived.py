"""The KPI datasets the pipeline computes on each run (see flows.orchestrate.derive):

- ``kpi-scorecard``: each KPI's level from kpi-register + kpi-progress (KPI 1.3's from its
  conditions, below), and the weighted total; also a Thai-first HTML page registered with it;
- ``kpi-1-3-conditions``: KPI 1.3's conditions 1-7, the pipeline's own items filled from the run
  records; also the KPI 1.3 outcome report (HTML and Markdown) registered with the dataset.
"""

from __future__ import annotations

from flows.csv_source import csv_encoding
from flows.datasets import DatasetSpec, DeriveContext, ExtraFile, load_dataset
from flows.kpi.conditions import write_conditions_dataset
from flows.kpi.outcome_report import write_outcome_report
from flows.national.answer import read_answer
from flows.kpi.evidence_scoring import (RULE_FILE, EvidenceScore, evidence_score,
                                       load_evidence_rules)
from flows.kpi.scorecard import (ScorecardError, build_scorecard, read_csv_rows,
                                 scorecard_total, write_scorecard_csv)
from flows.kpi.scorecard_html import write_scorecard_html


def derive_scorecard(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    """Write the scorecard CSV and its HTML page (``out/kpi-scorecard/scorecard.html``).

    The KPIs of ``catalog_config/kpi_evidence_scoring.yaml`` (KPI 1.3) are scored from their
    checklist dataset, which ``DERIVERS`` derives before the scorecard in the same run."""
    evidence = _evidence_scores(context)
    rows = build_scorecard(_dataset_rows(context, "kpi-register"),
                           _dataset_rows(context, "kpi-progress"), evidence)
    write_scorecard_csv(rows, spec.csv_path)
    page = write_scorecard_html(rows, scorecard_total(rows),
                                context.out_dir / spec.id / "scorecard.html",
                                evidence=evidence)
    return [ExtraFile("scorecard-page", page, "HTML")]


def _evidence_scores(context: DeriveContext) -> dict[str, EvidenceScore]:
    """Each evidence-scored KPI's completion, from its checklist dataset's derived CSV."""
    scores = {}
    for kpi_id, rule in load_evidence_rules(context.root).items():
        checklist = load_dataset(context.root, rule.conditions_dataset,
                                 source=f"{RULE_FILE} (KPI {kpi_id})")
        if not checklist.csv_path.is_file():
            raise ScorecardError(
                f"KPI {kpi_id} is scored from {rule.conditions_dataset}, which has not been "
                f"derived yet; run the pipeline with {rule.conditions_dataset} too (it is "
                "derived before kpi-scorecard)")
        page = f"{context.catalog_url.rstrip('/')}/dataset/{rule.conditions_dataset}"
        scores[kpi_id] = evidence_score(rule, read_csv_rows(checklist.csv_path), page_url=page)
    return scores


def _dataset_rows(context: DeriveContext, dataset_id: str) -> list[dict[str, str | None]]:
    """A source dataset's rows, in the encoding its metadata declare (as validation reads it)."""
    spec = load_dataset(context.root, dataset_id, source="the KPI scorecard's inputs")
    return read_csv_rows(spec.csv_path, encoding=csv_encoding(spec))


def derive_conditions(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    """Write the conditions CSV, then the KPI 1.3 outcome report that cites them.

    Condition 7 and the report's national links come from the national catalog's last answer,
    the file `senate-catalog national status` keeps in the run's output folder (none: never
    asked, and the evidence says so)."""
    national = read_answer(context.out_dir)
    csv_path = write_conditions_dataset(context.root, context.history,
                                        catalog_url=context.catalog_url, today=context.today,
                                        national=national)
    report = write_outcome_report(root=context.root, records=context.history,
                                  catalog_url=context.catalog_url, today=context.today,
                                  out_dir=context.out_dir / spec.id,
                                  conditions=read_csv_rows(csv_path),
                                  dictionary_path="catalog/dictionary.html",
                                  own_dataset=spec.id, national=national)
    return [ExtraFile("outcome-report", report["html"], "HTML"),
            ExtraFile("outcome-report-md", report["md"], "Markdown")]
