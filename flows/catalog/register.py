"""Gate, map, plan and publish one described dataset (and its private companion, if any)."""

from __future__ import annotations

from pathlib import Path
from typing import Collection

from flows.catalog.counting import ActionCaller
from flows.catalog.gate import decide
from flows.catalog.payload import (dataset_to_ckan_package, internal_companion_package,
                                   internal_name)
from flows.catalog.plan import Plan, plan_dataset, plan_not_written
from flows.catalog.publish import PublishOutcome, apply_plan
from flows.catalog.retry import NO_RETRY, RetryPolicy
from flows.describe.described import DescribedDataset
from flows.validation.findings import ValidationResult

PlannedPackage = tuple[Plan, dict[str, Path]]


def plan_described(client: ActionCaller, described: DescribedDataset, result: ValidationResult,
                   *, owner_org: str, managed_groups: Collection[str] = (),
                   retry: RetryPolicy = NO_RETRY) -> list[PlannedPackage]:
    """The plans (read-only) for the dataset and its companion, each with its files by kind."""
    decision = decide(described, result)
    name = described.fields["name"]
    if not decision.writes:
        names = [name] + ([internal_name(name)] if described.internal_data else [])
        return [(plan_not_written(client, each, decision, retry=retry), {}) for each in names]
    main = dataset_to_ckan_package(described, decision, owner_org=owner_org)
    plans = [(plan_dataset(client, main, reasons=decision.reasons,
                           managed_groups=managed_groups, retry=retry),
              {r.kind: r.path for r in described.resources})]
    companion = internal_companion_package(described, decision, owner_org=owner_org)
    if companion is not None and described.internal_data is not None:
        plans.append((plan_dataset(client, companion, reasons=decision.reasons, retry=retry),
                      {described.internal_data.kind: described.internal_data.path}))
    return plans


def publish_described(client: ActionCaller, described: DescribedDataset,
                      result: ValidationResult, *, owner_org: str,
                      managed_groups: Collection[str] = (),
                      retry: RetryPolicy = RetryPolicy()) -> list[PublishOutcome]:
    """Plan, then apply: the public (or private) dataset first, then its companion."""
    planned = plan_described(client, described, result, owner_org=owner_org,
                             managed_groups=managed_groups, retry=retry)
    return [apply_plan(client, plan, files, retry=retry) for plan, files in planned]
