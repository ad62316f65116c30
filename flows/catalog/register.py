"""Plan and apply one dataset's records in the catalog, from the gate's decision.

A dataset has up to two records: ``<name>`` and its private ``<name>-internal`` companion
(the full file of a dataset with personal-data fields). The decision says what each becomes:
created or updated from the metadata, withdrawn (private, marked, files removed when the data
are withheld), purged, or left as it is (held). Planning only reads the catalog; ``apply``
writes what the plans say.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Collection

from flows.catalog.counting import ActionCaller
from flows.catalog.gate import Decision, Outcome, Reason, decide
from flows.catalog.payload import (dataset_to_ckan_package, internal_companion_package,
                                   internal_name)
from flows.catalog.plan import (Plan, plan_dataset, plan_deletion, plan_not_written,
                                plan_withdrawal, show_package)
from flows.catalog.publish import PublishOutcome, apply_plan
from flows.catalog.retry import NO_RETRY, RetryPolicy
from flows.describe.described import DescribedDataset
from flows.validation.findings import ValidationResult

PlannedPackage = tuple[Plan, dict[str, Path]]

_COMPANION_NOT_NEEDED = Reason(
    "ไม่ต้องมีชุดข้อมูลฉบับภายใน (-internal) แล้ว จึงลบออก",
    "the -internal companion is no longer needed: deleted")


def plan_catalog(client: ActionCaller, name: str, decision: Decision, *,
                 described: DescribedDataset | None, owner_org: str, today: date,
                 managed_groups: Collection[str] = (),
                 retry: RetryPolicy = NO_RETRY) -> list[PlannedPackage]:
    """The plans (read-only) for the dataset ``name`` and its companion, each with its files.

    ``described`` is needed when the decision writes the record from the metadata; a dataset
    that could not be described, or whose files are gone, is only withdrawn or left alone.
    """
    plans = [_main_plan(client, name, decision, described=described, owner_org=owner_org,
                        today=today, managed_groups=managed_groups, retry=retry)]
    companion = internal_name(name)
    if decision.writes and decision.internal_companion and described is not None:
        package = internal_companion_package(described, decision, owner_org=owner_org)
        if package is not None and described.internal_data is not None:
            plans.append((plan_dataset(client, package, reasons=decision.reasons, retry=retry),
                          {described.internal_data.kind: described.internal_data.path}))
    elif not decision.keeps_companion:
        current = show_package(client, companion, retry)
        if current is not None:
            plans.append((plan_deletion(current, (_COMPANION_NOT_NEEDED,)), {}))
    elif described is not None and described.internal_data is not None:
        plans.append((plan_not_written(client, companion, decision, retry=retry), {}))
    return plans


def plan_described(client: ActionCaller, described: DescribedDataset, result: ValidationResult,
                   *, owner_org: str, managed_groups: Collection[str] = (),
                   retry: RetryPolicy = NO_RETRY, today: date | None = None
                   ) -> list[PlannedPackage]:
    """``plan_catalog`` with the gate's decision on ``described`` and ``result``."""
    return plan_catalog(client, described.fields["name"], decide(described, result),
                        described=described, owner_org=owner_org, today=today or date.today(),
                        managed_groups=managed_groups, retry=retry)


def publish_described(client: ActionCaller, described: DescribedDataset,
                      result: ValidationResult, *, owner_org: str,
                      managed_groups: Collection[str] = (), retry: RetryPolicy = RetryPolicy(),
                      today: date | None = None) -> list[PublishOutcome]:
    """Plan, then apply: the dataset first, then its companion."""
    planned = plan_described(client, described, result, owner_org=owner_org,
                             managed_groups=managed_groups, retry=retry, today=today)
    return apply(client, planned, retry=retry)


def apply(client: ActionCaller, planned: list[PlannedPackage], *,
          retry: RetryPolicy = RetryPolicy()) -> list[PublishOutcome]:
    """Carry out the plans in order: the dataset first, then its companion."""
    return [apply_plan(client, plan, files, retry=retry) for plan, files in planned]


def _main_plan(client: ActionCaller, name: str, decision: Decision, *,
               described: DescribedDataset | None, owner_org: str, today: date,
               managed_groups: Collection[str], retry: RetryPolicy) -> PlannedPackage:
    if decision.writes:
        if described is None:
            raise ValueError(f"{name}: a {decision.outcome.value} decision needs the "
                             "described dataset")
        package = dataset_to_ckan_package(described, decision, owner_org=owner_org)
        files = ({r.kind: r.path for r in described.resources}
                 if decision.outcome is not Outcome.METADATA_ONLY else {})
        return plan_dataset(client, package, reasons=decision.reasons,
                            managed_groups=managed_groups, retry=retry), files
    if decision.withdrawal is not None:
        return plan_withdrawal(client, name, decision, today=today, retry=retry), {}
    return plan_not_written(client, name, decision, retry=retry), {}
