"""One dataset's way through the pipeline, as plain functions the Prefect flow wires into tasks.

    ingest(spec)                         raw files → datasets/<id>/<id>.csv (readers only)
    prepare(root, id, out_dir=..., ...)  validate → reports, describe → metadata + dictionary
    with_quality_history(...)            the dataset's quality history as one more resource
    register(client, name, decision, ...) skip if unchanged → plan → publish or withdraw

Nothing here knows Prefect, so every stage runs in tests and in `senate-catalog plan` without a
Prefect server. Data problems never raise: they become findings, or a ``Prepared.error``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from contextlib import nullcontext
from typing import Any, Callable, Collection, ContextManager

from flows.catalog.counting import ActionCaller, CountingClient
from flows.catalog.gate import Decision, Outcome
from flows.catalog.payload import internal_name
from flows.catalog.plan import Action, Plan, show_package
from flows.catalog.register import apply, datastore_in_place, plan_catalog
from flows.catalog.retry import RetryPolicy
from flows.datasets import DatasetSpec, load_dataset
from flows.describe.described import DescribedDataset
from flows.describe.scheming import load_classification_policy, load_schema_rules
from flows.describe.describe import add_resource, describe_dataset
from flows.describe.stakeholders import OrganizationProfile
from flows.errors import SenateCatalogError
from flows.orchestrate.fingerprint import json_sha256
from flows.sources import SourceError, ingest_dataset
from flows.validation.validate_and_report import DatasetReport, run_validation_with_tables

log = logging.getLogger(__name__)

#: The resource kind of the run records' summary published with each dataset.
QUALITY_HISTORY = "quality-history"


@dataclass
class Prepared:
    """A dataset validated and described (or why not), ready for the catalog stage."""

    dataset: str
    report: DatasetReport | None = None
    described: DescribedDataset | None = None
    error: str | None = None
    validated_at: str | None = None   # UTC ISO time the checks ran (kept when cached)


@dataclass
class Registered:
    """What the catalog stage did with one dataset."""

    status: str   # published | unchanged | held | skipped | withdrawn | purged
    decision: Decision | None
    plans: list[Plan] = field(default_factory=list)   # withdrawals included (withdrawals_of)
    write_calls: int = 0
    write_actions: list[str] = field(default_factory=list)   # e.g. ["resource_patch"]
    wanted_sha256: str | None = None
    catalog: list[dict[str, Any]] = field(default_factory=list)   # what the catalog now holds


def ingest(spec: DatasetSpec) -> list[str]:
    """Convert the raw files when the dataset has a reader; the conversion's notes (English).

    Raises ``SourceError`` or ``ConfigError`` (the raw files are unreadable or misdeclared); the
    committed CSV is then left exactly as it was.
    """
    if not spec.source.get("reader"):
        return []  # the CSV is the source (e.g. a steward-maintained file)
    return [f"[{f.severity.value}] {f.rule}: {f.message_en}" for f in ingest_dataset(spec)]


def prepare(root: Path, dataset_id: str, *, out_dir: Path, today: date,
            organization: OrganizationProfile, catalog_url: str) -> Prepared:
    """Validate one dataset (reports in ``out_dir/<id>/``), then describe it."""
    # The checked table goes straight to describe and is dropped with this call: Prepared (what
    # the flow caches) never holds it, and a cache hit skips validation and describe alike.
    [(report, table)] = run_validation_with_tables(root, out_dir=out_dir, today=today,
                                                   dataset_ids=[dataset_id])
    prepared = Prepared(dataset=dataset_id, report=report,
                        validated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    spec = load_dataset(root, dataset_id)
    prepared.error = str(spec.problem) if spec.problem else _undescribable(report)
    if prepared.error is not None:   # its report says why; describing it would only crash
        return prepared
    try:
        # The catalog's rules with this project's classification policy (a project copy may
        # declare its own).
        schema = load_schema_rules(policy=load_classification_policy(root))
        prepared.described = describe_dataset(spec, result=report.result, out_dir=out_dir,
                                              organization=organization, schema=schema,
                                              catalog_url=catalog_url, today=today,
                                              table=table)
    except SenateCatalogError as exc:
        prepared.error = str(exc)
    return prepared


#: Findings after which the dataset cannot be described: its Table Schema (which the data
#: dictionary and the public copy are built from) or its data file is unusable.
_UNDESCRIBABLE = ("config/schema-unreadable", "config/missing-file", "schema/schema-error",
                  "schema/field-error")


def _undescribable(report: DatasetReport) -> str | None:
    """Why the validated dataset cannot be described, or None."""
    found = next((f for f in report.result.findings if f.rule in _UNDESCRIBABLE), None)
    if found is None:
        return None
    return (f"cannot describe it: {found.message_en} ({found.rule}); {found.hint_en} "
            "(its validation report lists every finding)")


def with_quality_history(described: DescribedDataset, history_csv: Path) -> DescribedDataset:
    """Register the dataset's quality history (written by flows.records) as one more resource."""
    return add_resource(described, QUALITY_HISTORY, history_csv, "CSV")


def register(client: ActionCaller, name: str, decision: Decision, *,
             described: DescribedDataset | None, owner_org: str,
             managed_groups: Collection[str], retry: RetryPolicy, dry_run: bool, today: date,
             last_published: dict[str, Any] | None = None,
             write_slot: Callable[[], ContextManager[Any]] = nullcontext) -> Registered:
    """Skip (catalog untouched since the last identical publish), else plan, then write.

    ``decision`` is the gate's (``decide``, or ``decide_unreadable`` / ``decide_removed`` for a
    dataset with no description). ``last_published`` is the dataset's newest run record that
    published or confirmed it; when it wanted exactly what is wanted now and the catalog's
    copies have not been modified since (``metadata_modified``), nothing needs to be planned or
    written. ``write_slot`` is held while writing (the flow passes a Prefect concurrency slot),
    not while checking: an unchanged dataset never waits for another run's writes.
    """
    options = {"owner_org": owner_org, "managed_groups": managed_groups, "retry": retry,
               "today": today, "described": described}
    skipped = unchanged_registration(client, name, decision, described=described,
                                     owner_org=owner_org, managed_groups=managed_groups,
                                     retry=retry, last_published=last_published)
    if skipped is not None:
        return skipped
    wanted = (wanted_sha256(described, decision, owner_org=owner_org,
                            managed_groups=managed_groups)
              if decision.writes and described is not None else None)
    names = catalog_names(name, decision)
    plans = [plan for plan, _ in plan_catalog(client, name, decision, **options)]
    if dry_run or not any(plan.writes for plan in plans):
        return Registered(status=_status(decision, plans), decision=decision,
                          plans=plans, wanted_sha256=wanted,
                          catalog=_held_state(client, decision, names, retry))
    counting = CountingClient(client)
    with write_slot():  # planned again inside: another writer may have changed the catalog
        outcomes = apply(counting, plan_catalog(counting, name, decision, **options),
                         retry=retry)
    plans = [outcome.plan for outcome in outcomes]
    return Registered(status=_status(decision, plans), decision=decision,
                      plans=plans, write_calls=counting.write_count,
                      write_actions=counting.writes, wanted_sha256=wanted,
                      catalog=_held_state(client, decision, names, retry))


def unchanged_registration(client: ActionCaller, name: str, decision: Decision, *,
                           described: DescribedDataset | None, owner_org: str,
                           managed_groups: Collection[str], retry: RetryPolicy,
                           last_published: dict[str, Any] | None) -> Registered | None:
    """``Registered(status="unchanged")`` when the last identical publish still stands in the
    catalog (reads only: one ``package_show`` per record, the DataStore's digest), else None:
    then ``register`` plans and writes."""
    if not decision.writes or described is None or not last_published:
        return None
    wanted = wanted_sha256(described, decision, owner_org=owner_org,
                           managed_groups=managed_groups)
    names = catalog_names(name, decision)
    if _unchanged(client, last_published, wanted, names, retry) and \
            datastore_in_place(client, name, described, decision,
                               last_published["catalog"]["datasets"], retry=retry):
        return Registered(status="unchanged", decision=decision, wanted_sha256=wanted,
                          catalog=last_published["catalog"]["datasets"])
    return None


def catalog_names(name: str, decision: Decision) -> list[str]:
    """The records the decision keeps in the catalog: the dataset, and its companion."""
    return [name] + ([internal_name(name)] if decision.internal_companion else [])


def withdrawals_of(plans: list[Plan]) -> list[dict[str, str]]:
    """What left public view (or the catalog), one entry per record, for the run record."""
    return [{"name": plan.name, "action": plan.action.value,
             "reason": "; ".join(str(reason) for reason in plan.reasons)}
            for plan in plans if plan.action in _WITHDRAWAL_ACTIONS]


_WITHDRAWAL_ACTIONS = (Action.WITHDRAW, Action.WITHDRAWN, Action.DELETE)


def _status(decision: Decision, plans: list[Plan]) -> str:
    """The status the run records; a dry run gets the same, so what it derives from the
    statuses (the KPI 1.3 report) is what the run will derive."""
    if decision.writes:
        return "published"
    if decision.outcome is Outcome.HOLD:
        return "held"
    if decision.withdrawal is not None and decision.withdrawal.purge:
        return "purged"
    withdrawn = plans and plans[0].action in (Action.WITHDRAW, Action.WITHDRAWN)
    return "withdrawn" if withdrawn or decision.outcome is Outcome.WITHDRAWN else "skipped"


def _held_state(client: ActionCaller, decision: Decision, names: list[str],
                retry: RetryPolicy) -> list[dict[str, Any]]:
    """What the catalog now holds of a written or withdrawn dataset (a held one: nothing new)."""
    if decision.outcome is Outcome.HOLD and decision.withdrawal is None:
        return []
    return catalog_state(client, names, retry)


def wanted_sha256(described: DescribedDataset, decision: Decision, *, owner_org: str,
                  managed_groups: Collection[str]) -> str:
    """One hash of everything the catalog stage would send for this dataset."""
    files = [{**vars(resource), "path": None} for resource in described.resources]
    internal = (vars(described.internal_data) | {"path": None}) if described.internal_data else None
    return json_sha256({"fields": described.fields, "groups": described.groups,
                        "resources": files, "internal": internal,
                        "outcome": decision.outcome.value, "owner_org": owner_org,
                        "managed_groups": sorted(managed_groups)})


def catalog_state(client: ActionCaller, names: list[str],
                  retry: RetryPolicy) -> list[dict[str, Any]]:
    """What the catalog holds under ``names``: ids, visibility, last change, resources by kind."""
    state = []
    for name in names:
        package = show_package(client, name, retry)
        if package is None:
            continue
        state.append({"name": package["name"], "id": package["id"],
                      "private": bool(package.get("private")),
                      "metadata_modified": package.get("metadata_modified"),
                      "resources": {r.get("senate_kind"): r["id"]
                                    for r in package.get("resources", []) if r.get("senate_kind")}})
    return state


def _unchanged(client: ActionCaller, last: dict[str, Any] | None, wanted: str,
               names: list[str], retry: RetryPolicy) -> bool:
    if not last or (last.get("catalog") or {}).get("wanted_sha256") != wanted:
        return False
    if (last.get("catalog") or {}).get("url") != getattr(client, "url", None):
        return False
    recorded = {entry["name"]: entry.get("metadata_modified")
                for entry in last["catalog"].get("datasets") or []}
    if sorted(recorded) != sorted(names):
        return False
    for name in names:
        package = show_package(client, name, retry)
        if package is None or package.get("metadata_modified") != recorded[name]:
            return False
    return True


__all__ = ["Prepared", "QUALITY_HISTORY", "Registered", "SourceError", "catalog_names",
           "catalog_state", "ingest", "prepare", "register", "unchanged_registration",
           "wanted_sha256",
           "with_quality_history", "withdrawals_of"]
