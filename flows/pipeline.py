"""The whole pipeline for the CLI (and, later, the Prefect flows): validate → describe → gate →
plan → publish, dataset by dataset.

One dataset's failure (bad metadata, the catalog refusing it) is recorded on that dataset and the
run goes on with the others. ``dry_run`` stops after planning: no write call is made.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Sequence

import ckanapi

from flows.catalog import CatalogClient, ensure_layout
from flows.catalog.plan import Plan
from flows.catalog.publish import PublishOutcome
from flows.catalog.register import plan_described, publish_described
from flows.catalog.retry import RetryPolicy
from flows.datasets import load_dataset
from flows.describe.described import DescribedDataset
from flows.describe.describe import describe_dataset
from flows.describe.dictionary import write_catalog_dictionary
from flows.describe.stakeholders import load_organization_profile
from flows.errors import CatalogError, SenateCatalogError
from flows.validation.findings import ValidationResult
from flows.validation.stage import DatasetReport, run_validation

log = logging.getLogger(__name__)


@dataclass
class DatasetRun:
    """What happened to one dataset in one run."""

    id: str
    result: ValidationResult
    report_files: dict[str, Path]
    described: DescribedDataset | None = None
    plans: list[Plan] = field(default_factory=list)
    outcomes: list[PublishOutcome] = field(default_factory=list)
    error: str | None = None

    @property
    def write_calls(self) -> int:
        return sum(outcome.writes for outcome in self.outcomes)


def run_pipeline(root: Path, *, out_dir: Path, today: date, client: CatalogClient,
                 dry_run: bool, dataset_ids: Sequence[str] = (),
                 retry: RetryPolicy = RetryPolicy()) -> list[DatasetRun]:
    """Validate and describe every dataset, then plan (and unless ``dry_run``, publish) each."""
    profile = load_organization_profile(root / "catalog_config" / "organization.yaml")
    reports = run_validation(root, out_dir=out_dir, today=today, dataset_ids=dataset_ids)
    runs = [_describe(root, report, out_dir, profile, client.url) for report in reports]
    _write_catalog_dictionary(runs, out_dir)
    if not dry_run:
        ensure_layout(client, profile.layout)
    managed = [group["name"] for group in profile.layout.groups]
    owner = profile.layout.organization["name"]
    for run in runs:
        if run.described is not None:
            _catalog(run, client, owner_org=owner, managed_groups=managed, dry_run=dry_run,
                     retry=retry)
    return runs


def _describe(root: Path, report: DatasetReport, out_dir: Path, profile, catalog_url: str) -> DatasetRun:
    run = DatasetRun(id=report.result.dataset, result=report.result, report_files=report.files)
    try:
        run.described = describe_dataset(load_dataset(root, run.id), result=report.result,
                                         out_dir=out_dir, organization=profile,
                                         catalog_url=catalog_url)
    except SenateCatalogError as exc:
        run.error = str(exc)
    return run


def _catalog(run: DatasetRun, client: CatalogClient, *, owner_org: str,
             managed_groups: list[str], dry_run: bool, retry: RetryPolicy) -> None:
    try:
        options = {"owner_org": owner_org, "managed_groups": managed_groups, "retry": retry}
        if dry_run:
            run.plans = [plan for plan, _ in plan_described(client, run.described, run.result,
                                                            **options)]
        else:
            run.outcomes = publish_described(client, run.described, run.result, **options)
            run.plans = [outcome.plan for outcome in run.outcomes]
    except CatalogError:
        raise  # the catalog is unreachable: stop the run, the next one converges
    except (ckanapi.ValidationError, ckanapi.NotAuthorized, ckanapi.NotFound) as exc:
        log.warning("catalog refused %s: %s", run.id, exc)
        run.error = f"CKAN refused {run.id}: {exc}"


def _write_catalog_dictionary(runs: list[DatasetRun], out_dir: Path) -> None:
    """One dictionary of every described dataset (the agency's metadata repository)."""
    entries = [entry for run in runs if run.described is not None
               for entry in run.described.dictionary]
    if entries:
        write_catalog_dictionary(entries, out_dir / "catalog")
