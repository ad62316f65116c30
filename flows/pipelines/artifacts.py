"""The run's Prefect artifacts: what the IT bureau sees in the Prefect UI after each run.

Keyed (``catalog-run-summary``, ``catalog-run-datasets``, ``report-<id>``), so Prefect keeps the
history of each across runs. The builders are pure; ``publish_artifacts`` sends them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from flows.orchestrate.outcome import NOT_PUBLISHED, DatasetOutcome, RunInfo

SUMMARY_KEY = "catalog-run-summary"
TABLE_KEY = "catalog-run-datasets"

_STATUS_TH = {"published": "เผยแพร่แล้ว", "unchanged": "ไม่เปลี่ยนแปลง", "held": "ระงับการเผยแพร่",
              "skipped": "ไม่ลงทะเบียน", "withdrawn": "ถอนจากการเผยแพร่",
              "purged": "ลบออกจากบัญชีข้อมูล", "failed": "ล้มเหลว", "planned": "วางแผน"}


def table_rows(outcomes: Sequence[DatasetOutcome], run: RunInfo) -> list[dict[str, Any]]:
    """One row per dataset: the columns of the run's table artifact and the CLI's summary."""
    rows = []
    for outcome in outcomes:
        counts = outcome.counts or {}
        rows.append({
            "dataset": outcome.dataset,
            "rows": outcome.prepared.report.result.rows if counts else None,
            "errors": counts.get("errors"), "warnings": counts.get("warnings"),
            "waived": counts.get("waived"),
            "validation": "cached" if outcome.cached else ("ran" if counts else "-"),
            "status": outcome.status,
            "why": outcome.reason or "",
            "link": outcome.catalog_page(run.catalog_url) or "",
        })
    return rows


def summary_markdown(outcomes: Sequence[DatasetOutcome], run: RunInfo) -> str:
    """A short Thai-first Markdown summary of the run, with links to reports and datasets."""
    failing = [o for o in outcomes if o.status in NOT_PUBLISHED]
    writes = sum(o.registered.write_calls for o in outcomes if o.registered)
    head = (f"# ผลการทำงานรอบ {run.run_name} / Catalog run {run.run_name}\n\n"
            f"- วันที่ใช้ตรวจ (today): {run.today.isoformat()}\n"
            f"- บัญชีข้อมูล (catalog): {run.catalog_url}\n"
            f"- ชุดข้อมูล {len(outcomes)} ชุด, ไม่ผ่าน/ล้มเหลว {len(failing)} ชุด, "
            f"เขียนบัญชีข้อมูล {writes} ครั้ง / {len(outcomes)} datasets, "
            f"{len(failing)} held or failed, {writes} catalog write calls\n\n")
    lines = ["| ชุดข้อมูล / dataset | สถานะ / status | errors | warnings | waived | "
             "รายงาน / report | บัญชีข้อมูล / catalog |", "|---|---|---:|---:|---:|---|---|"]
    for outcome, row in zip(outcomes, table_rows(outcomes, run)):
        report = outcome.report_files.get("html")
        lines.append(
            f"| {row['dataset']} | {_STATUS_TH.get(row['status'], row['status'])} "
            f"({row['status']}) | {_cell(row['errors'])} | {_cell(row['warnings'])} | "
            f"{_cell(row['waived'])} | {_link(report)} | {row['link'] or '-'} |")
    reasons = [f"- **{o.dataset}** ({o.status}): {o.reason}" for o in outcomes if o.reason]
    tail = ("\n\n## เหตุผล / Why\n\n" + "\n".join(reasons)) if reasons else ""
    return head + "\n".join(lines) + tail + "\n"


def publish_artifacts(outcomes: Sequence[DatasetOutcome], run: RunInfo) -> None:
    """Create the keyed artifacts in the current flow run (needs a Prefect run context)."""
    from prefect.artifacts import (create_link_artifact, create_markdown_artifact,
                                   create_table_artifact)

    create_markdown_artifact(summary_markdown(outcomes, run), key=SUMMARY_KEY,
                             description="Senate catalog run summary (Thai / English)")
    create_table_artifact(table_rows(outcomes, run), key=TABLE_KEY,
                          description="One row per dataset: counts, status, catalog link")
    for dataset, link in new_report_links(outcomes, run).items():
        create_link_artifact(link, link_text=f"{dataset}: report.html", key=f"report-{dataset}",
                             description="The validation report a data steward reads")


def new_report_links(outcomes: Sequence[DatasetOutcome], run: RunInfo) -> dict[str, str]:
    """The report link of each dataset whose report or catalog copy may have changed this run.
    An unchanged dataset whose validation came from the cache keeps the link its keyed
    artifact already holds: a thousand of them would add a thousand artifacts (and 9 s) to
    every run that changed nothing."""
    links = {}
    for outcome in outcomes:
        if outcome.cached and outcome.status == "unchanged":
            continue
        link = report_link(outcome, run)
        if link is not None:
            links[outcome.dataset] = link
    return links


def report_link(outcome: DatasetOutcome, run: RunInfo) -> str | None:
    """The report in the catalog when it is registered there, else the local file."""
    for entry in (outcome.registered.catalog if outcome.registered else []):
        if "report" in entry.get("resources", {}):
            return f"{run.catalog_url}/dataset/{entry['name']}/resource/{entry['resources']['report']}"
    report = outcome.report_files.get("html")
    return report.resolve().as_uri() if report is not None else None


def _link(path: Path | None) -> str:
    return f"[report.html]({path.resolve().as_uri()})" if path else "-"


def _cell(value: Any) -> str:
    return "-" if value is None else str(value)
