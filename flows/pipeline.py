"""The whole pipeline without Prefect: validate → describe → gate → plan → publish, dataset by
dataset (the scheduled, cached, recorded version is flows.pipelines.catalog_flow).

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
from flows.catalog.retry import RetryPolicy
from flows.describe.described import DescribedDataset
from flows.datasets import discover_datasets
from flows.describe.dictionary import write_catalog_dictionary
from flows.describe.stakeholders import load_organization_profile
from flows.errors import CatalogError
from flows.pipelines import stages
from flows.validation.findings import ValidationResult

log = logging.getLogger(__name__)


@dataclass
class DatasetRun:
    """What happened to one dataset in one run."""

    id: str
    result: ValidationResult
    report_files: dict[str, Path]
    described: DescribedDataset | None = None
    plans: list[Plan] = field(default_factory=list)
    write_calls: int = 0
    error: str | None = None


def run_pipeline(root: Path, *, out_dir: Path, today: date, client: CatalogClient,
                 dry_run: bool, dataset_ids: Sequence[str] = (),
                 retry: RetryPolicy = RetryPolicy()) -> list[DatasetRun]:
    """Validate and describe every dataset, then plan (and unless ``dry_run``, publish) each.

    The same stages as the Prefect flow (flows.pipelines), run in order without Prefect, caches
    or run records: what `senate-catalog plan` and the stage tests use.
    """
    profile = load_organization_profile(root / "catalog_config" / "organization.yaml")
    ids = list(dataset_ids) or [spec.id for spec in discover_datasets(root)]
    prepared = [stages.prepare(root, dataset_id, out_dir=out_dir, today=today,
                               organization=profile, catalog_url=client.url)
                for dataset_id in ids]
    runs = [DatasetRun(id=p.dataset, result=p.report.result, report_files=p.report.files,
                       described=p.described, error=p.error) for p in prepared]
    write_catalog_dictionary_of([run.described for run in runs], out_dir)
    if not dry_run:
        ensure_layout(client, profile.layout)
    options = {"owner_org": profile.layout.organization["name"], "retry": retry,
               "managed_groups": [group["name"] for group in profile.layout.groups]}
    for run, ready in zip(runs, prepared):
        if run.described is not None:
            _catalog(run, ready, client, dry_run=dry_run, **options)
    return runs


def _catalog(run: DatasetRun, prepared: stages.Prepared, client: CatalogClient, *,
             dry_run: bool, **options) -> None:
    try:
        registered = stages.register(client, prepared, dry_run=dry_run, **options)
        run.plans, run.write_calls = registered.plans, registered.write_calls
    except CatalogError:
        raise  # the catalog is unreachable: stop the run, the next one converges
    except (ckanapi.ValidationError, ckanapi.NotAuthorized, ckanapi.NotFound) as exc:
        log.warning("catalog refused %s: %s", run.id, exc)
        run.error = f"CKAN refused {run.id}: {exc}"


def write_catalog_dictionary_of(described: Sequence[DescribedDataset | None],
                                out_dir: Path) -> None:
    """One dictionary of every described dataset (the agency's metadata repository)."""
    entries = [entry for each in described if each is not None for entry in each.dictionary]
    if entries:
        write_catalog_dictionary(entries, out_dir / "catalog")
