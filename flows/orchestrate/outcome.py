"""What one run did with one dataset, and its run record (``out/runs/history.jsonl``).

The record format is documented in flows/records.py; this module only fills it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from flows.catalog.plan import Plan
from flows.describe.described import DescribedDataset
from flows.orchestrate.fingerprint import InputHashes
from flows.validation.findings import ValidationResult
from flows.orchestrate.stages import Prepared, Registered, withdrawals_of

RECORD_VERSION = 1
#: Statuses after which the dataset is not (or not newly) in the catalog: the flow fails on them.
NOT_PUBLISHED = ("held", "failed")


@dataclass
class RunInfo:
    """The flow run the records belong to."""

    run_id: str
    run_name: str
    today: date
    catalog_url: str
    root: Path


@dataclass
class DatasetOutcome:
    """One dataset in one run; filled in stage by stage."""

    dataset: str
    started_at: datetime
    hashes: InputHashes | None = None
    prepared: Prepared | None = None
    cached: bool = False
    registered: Registered | None = None
    status: str = "failed"
    reason: str | None = None
    finished_at: datetime | None = None
    catalog_unreachable: bool = False   # failed because the catalog did not answer (exit 3)
    ingest_notes: list[str] = field(default_factory=list)

    def fail(self, reason: str) -> "DatasetOutcome":
        self.status, self.reason = "failed", reason
        return self

    @property
    def counts(self) -> dict[str, int] | None:
        if self.prepared is None or self.prepared.report is None:
            return None
        return self.prepared.report.result.counts()

    @property
    def report_files(self) -> dict[str, Path]:
        if self.prepared is None or self.prepared.report is None:
            return {}
        return self.prepared.report.files

    @property
    def described(self) -> DescribedDataset | None:
        return self.prepared.described if self.prepared is not None else None

    @property
    def result(self) -> ValidationResult | None:
        """The validation result (with the public-surface findings), or None."""
        if self.prepared is None or self.prepared.report is None:
            return None
        return self.prepared.report.result

    @property
    def plans(self) -> list[Plan]:
        return self.registered.plans if self.registered is not None else []

    @property
    def write_calls(self) -> int:
        return self.registered.write_calls if self.registered is not None else 0

    def catalog_page(self, catalog_url: str) -> str | None:
        """The public (or private) dataset page, when the catalog holds the dataset."""
        if self.registered is None or not self.registered.catalog:
            return None
        return f"{catalog_url}/dataset/{self.registered.catalog[0]['name']}"


def to_record(outcome: DatasetOutcome, run: RunInfo) -> dict[str, Any]:
    """The run record of ``outcome`` (one line of the history)."""
    finished = outcome.finished_at or datetime.now(timezone.utc)
    return {
        "record_version": RECORD_VERSION,
        "run_id": run.run_id,
        "run_name": run.run_name,
        "dataset": outcome.dataset,
        "started_at": _iso(outcome.started_at),
        "finished_at": _iso(finished),
        "today": run.today.isoformat(),
        "inputs": outcome.hashes.as_record() if outcome.hashes else None,
        "validation": _validation(outcome),
        "catalog": _catalog(outcome, run),
        "freshness": _freshness(outcome),
        "status": outcome.status,
        "reason": outcome.reason,
        # KPI 1.3 condition 7 counts the registered datasets by it
        "open_data_score": (outcome.described.fields.get("open_data_score")
                            if outcome.described is not None else None),
        "reports": {kind: _relative(path, run.root)
                    for kind, path in sorted(outcome.report_files.items())},
        "duration_seconds": round((finished - outcome.started_at).total_seconds(), 2),
    }


def _validation(outcome: DatasetOutcome) -> dict[str, Any] | None:
    counts = outcome.counts
    if counts is None:
        return None
    from flows.validation.reports import verdict_of

    result = outcome.prepared.report.result
    return {"cached": outcome.cached, "rows": result.rows, "errors": counts["errors"],
            "warnings": counts["warnings"], "waived": counts["waived"],
            "verdict": verdict_of(result).value, "validated_at": outcome.prepared.validated_at}


def _freshness(outcome: DatasetOutcome) -> dict[str, Any] | None:
    """The data's own last update and the update status sent to the catalog (freshness): the
    KPI 1.3 report's overdue check counts from this date, not from the run's."""
    fields = outcome.described.fields if outcome.described is not None else None
    if fields is None:
        return None
    return {"last_updated_date": fields.get("last_updated_date"),
            "update_status": fields.get("update_status")}


def _catalog(outcome: DatasetOutcome, run: RunInfo) -> dict[str, Any]:
    registered = outcome.registered
    if registered is None:
        return {"url": run.catalog_url, "decision": None, "write_calls": 0, "datasets": [],
                "wanted_sha256": None, "withdrawals": [],
                "unreachable": outcome.catalog_unreachable}
    return {"url": run.catalog_url,
            "decision": registered.decision.outcome.value if registered.decision else None,
            "write_calls": registered.write_calls,
            "write_actions": registered.write_actions, "datasets": registered.catalog,
            "wanted_sha256": registered.wanted_sha256,
            # what left public view or the catalog: withdraw (this run), withdrawn (already),
            # delete (purged); the KPI 1.3 report lists them
            "withdrawals": withdrawals_of(registered.plans), "unreachable": False}


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
