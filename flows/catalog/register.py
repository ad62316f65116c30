"""Plan and apply one dataset's records in the catalog, from the gate's decision.

A dataset has up to two records: ``<name>`` and its private ``<name>-internal`` companion
(the full file of a dataset with personal-data fields). The decision says what each becomes:
created or updated from the metadata, withdrawn (private, marked, files removed when the data
are withheld), purged, or left as it is (held). Planning only reads the catalog; ``apply``
writes what the plans say.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Collection

from flows.catalog.counting import ActionCaller
from flows.catalog.datastore import plan_datastore, public_tables
from flows.catalog.gate import Decision, Outcome, Reason, decide
from flows.catalog.payload import (dataset_to_ckan_package, internal_companion_package,
                                   internal_name)
from flows.catalog.owned import KIND_FIELD
from flows.catalog.plan import (Action, Plan, plan_dataset, plan_deletion, plan_not_written,
                                plan_withdrawal, show_package)
from flows.catalog.publish import PublishOutcome, apply_plan
from flows.catalog.retry import NO_RETRY, RetryPolicy
from flows.describe.described import DescribedDataset
from flows.today import bangkok_today
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
                        described=described, owner_org=owner_org, today=today or bangkok_today(),
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
        plan = plan_dataset(client, package, reasons=decision.reasons,
                            managed_groups=managed_groups, retry=retry)
        return with_datastore(client, plan, described, decision, retry=retry), files
    if decision.withdrawal is not None:
        plan = plan_withdrawal(client, name, decision, today=today, retry=retry)
        return _without_datastore(client, plan, retry=retry), {}
    return plan_not_written(client, name, decision, retry=retry), {}


def with_datastore(client: ActionCaller, plan: Plan, described: DescribedDataset,
                   decision: Decision, *, retry: RetryPolicy = NO_RETRY) -> Plan:
    """``plan`` with its DataStore steps: the public data files pushed and previewed, the
    tables of a record that is not public dropped. Only a PUBLIC decision pushes anything."""
    public = decision.outcome is Outcome.PUBLIC and not plan.wanted_private
    kept = {step.kind: step.resource_id for step in plan.resources if step.action != "delete"}
    steps = plan_datastore(client, public_tables(described, public=public), kept,
                           keep_public=public, retry=retry)
    return _with_steps(plan, steps, Action.UPDATE)


def datastore_in_place(client: ActionCaller, name: str, described: DescribedDataset,
                       decision: Decision, catalog: list[dict[str, Any]], *,
                       retry: RetryPolicy = NO_RETRY) -> bool:
    """Whether the DataStore of ``name`` already matches (reads only): for the run that skips
    planning an unchanged dataset, since DataStore writes leave ``metadata_modified`` alone.
    ``catalog`` is the run record's ``datasets`` (name, resources by kind)."""
    entry = next((each for each in catalog if each.get("name") == name), None)
    if entry is None:
        return False
    public = decision.outcome is Outcome.PUBLIC and not entry.get("private")
    return not plan_datastore(client, public_tables(described, public=public),
                              entry.get("resources") or {}, keep_public=public, retry=retry)


def _without_datastore(client: ActionCaller, plan: Plan, *, retry: RetryPolicy) -> Plan:
    """A withdrawal that keeps the files drops their DataStore tables (deleted files take
    theirs with them: CKAN drops the table of a deleted resource)."""
    if plan.action not in (Action.WITHDRAW, Action.WITHDRAWN):
        return plan
    current = show_package(client, plan.name, retry) or {}
    deleted = {step.resource_id for step in plan.resources}
    kept = {r[KIND_FIELD]: r["id"] for r in current.get("resources", [])
            if r.get(KIND_FIELD) and r["id"] not in deleted}
    steps = plan_datastore(client, [], kept, keep_public=False, retry=retry)
    return _with_steps(plan, steps, Action.WITHDRAW)


def _with_steps(plan: Plan, steps: tuple, busy: Action) -> Plan:
    quiet = plan.action in (Action.UNCHANGED, Action.WITHDRAWN)
    return replace(plan, datastore=steps, action=busy if steps and quiet else plan.action)
