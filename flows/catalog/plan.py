"""Plan one dataset: compare the wanted package with what CKAN holds, without writing anything.

Only ``package_show`` is called. The diff covers the fields the pipeline owns
(flows/catalog/owned.py); a field edited by hand in CKAN is neither shown nor overwritten.
Resources are matched by their kind (the ``senate_kind`` extra); resources without a kind were
added by hand and are left alone. ``publish.apply_plan`` carries out a plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Collection

import ckanapi

from flows.catalog.counting import ActionCaller
from flows.catalog.datastore import DatastoreStep
from flows.catalog.gate import Decision, Outcome, Reason
from flows.catalog.normalise import same, tag_names
from flows.catalog.owned import (KIND_FIELD, OWNED_DATASET_FIELDS, OWNED_RESOURCE_FIELDS,
                                 WITHDRAWN_FIELD)
from flows.catalog.retry import NO_RETRY, RetryPolicy, call_with_retry

#: Set by CKAN from the upload, so never diffed.
_SERVER_RESOURCE_FIELDS = frozenset({"size", "url", "url_type", "mimetype"})


class Action(str, Enum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    HOLD = "hold"
    SKIP = "skip"
    WITHDRAW = "withdraw"      # make private, mark withdrawn (and remove files if withheld)
    WITHDRAWN = "withdrawn"    # already withdrawn: nothing left to do
    DELETE = "delete"          # purge the record (a companion no longer needed, or --purge)


@dataclass(frozen=True)
class FieldChange:
    """One owned field whose catalog value differs from the wanted one."""

    field: str
    catalog: Any
    wanted: Any


@dataclass(frozen=True)
class ResourceStep:
    """What to do with one resource: create / replace (new file) / patch / delete / unchanged."""

    action: str
    kind: str
    name: str
    resource_id: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    changes: tuple[FieldChange, ...] = ()

    @property
    def uploads(self) -> bool:
        return self.action in ("create", "replace")


@dataclass(frozen=True)
class Plan:
    """Everything ``apply_plan`` needs, and what ``plan`` prints."""

    name: str
    action: Action
    reasons: tuple[Reason, ...] = ()
    package_id: str | None = None
    package: dict[str, Any] = field(default_factory=dict)   # wanted, without resources
    changes: tuple[FieldChange, ...] = ()
    resources: tuple[ResourceStep, ...] = ()
    groups_add: tuple[str, ...] = ()
    groups_remove: tuple[str, ...] = ()
    exists: bool = False   # for hold / skip: the catalog already holds a version
    #: DataStore pushes, previews and drops (flows.catalog.datastore), after the files
    datastore: tuple[DatastoreStep, ...] = ()

    @property
    def writes(self) -> bool:
        return self.action in (Action.CREATE, Action.UPDATE, Action.WITHDRAW, Action.DELETE)

    @property
    def wanted_private(self) -> bool:
        return bool(self.package.get("private"))


def plan_dataset(client: ActionCaller, package: dict[str, Any],
                 resources: list[dict[str, Any]] | None = None, *,
                 reasons: tuple[Reason, ...] = (), managed_groups: Collection[str] = (),
                 retry: RetryPolicy = NO_RETRY) -> Plan:
    """Plan create / update / unchanged for one wanted package (read-only).

    ``managed_groups``: groups whose membership the pipeline controls (organization.yaml);
    membership of other groups, added by hand, is kept.
    """
    wanted = {key: value for key, value in package.items() if key != "resources"}
    resources = package.get("resources", []) if resources is None else resources
    current = show_package(client, wanted["name"], retry)
    if current is None:
        steps = tuple(ResourceStep("create", r[KIND_FIELD], r["name"], payload=r) for r in resources)
        return Plan(wanted["name"], Action.CREATE, reasons, package=wanted, resources=steps,
                    groups_add=tuple(g["name"] for g in wanted.get("groups", [])))
    changes = diff_fields(current, wanted)
    steps = plan_resources(current.get("resources", []), resources)
    add, remove = _group_changes(current, wanted, managed_groups)
    busy = changes or add or remove or any(step.action != "unchanged" for step in steps)
    return Plan(wanted["name"], Action.UPDATE if busy else Action.UNCHANGED, reasons,
                package_id=current["id"], package=wanted, changes=tuple(changes),
                resources=steps, groups_add=add, groups_remove=remove, exists=True)


def plan_not_written(client: ActionCaller, name: str, decision: Decision, *,
                     retry: RetryPolicy = NO_RETRY) -> Plan:
    """A hold or skip plan; it notes whether the catalog already holds a version (kept as is)."""
    current = show_package(client, name, retry)
    return Plan(name, _not_written(decision), decision.reasons, exists=current is not None,
                package_id=current["id"] if current else None)


def plan_withdrawal(client: ActionCaller, name: str, decision: Decision, *, today: date,
                    retry: RetryPolicy = NO_RETRY) -> Plan:
    """Take ``name`` out of public view: private, marked withdrawn (when, why), and without
    files when the data are withheld; ``--purge`` deletes the record instead. Read-only.

    A record already private and marked, with no file left to remove, needs nothing more: a
    re-run writes nothing (the mark keeps the date of the first withdrawal)."""
    withdrawal = decision.withdrawal
    if withdrawal is None:
        raise ValueError(f"{name}: the decision withdraws nothing; plan it as hold or skip")
    current = show_package(client, name, retry)
    if current is None:
        return Plan(name, _not_written(decision), decision.reasons)
    if withdrawal.purge:
        return plan_deletion(current, decision.reasons)
    changes = []
    if not current.get("private"):
        changes.append(FieldChange("private", False, True))
    if not current.get(WITHDRAWN_FIELD):
        mark = f"{today.isoformat()}: {withdrawal.reason}"
        changes.append(FieldChange(WITHDRAWN_FIELD, current.get(WITHDRAWN_FIELD), mark))
    files = current.get("resources", []) if withdrawal.remove_files else []
    steps = tuple(_delete(resource) for resource in files)
    action = Action.WITHDRAW if changes or steps else Action.WITHDRAWN
    return Plan(name, action, decision.reasons, package_id=current["id"],
                package={"private": True, **{c.field: c.wanted for c in changes}},
                changes=tuple(changes), resources=steps, exists=True)


def _not_written(decision: Decision) -> Action:
    return Action.HOLD if decision.outcome is Outcome.HOLD else Action.SKIP


def plan_deletion(current: dict[str, Any], reasons: tuple[Reason, ...]) -> Plan:
    """Purge a record (its files first, so the catalog's storage lets them go too)."""
    steps = tuple(_delete(resource) for resource in current.get("resources", []))
    return Plan(current["name"], Action.DELETE, reasons, package_id=current["id"],
                resources=steps, exists=True)


def diff_fields(current: dict[str, Any], wanted: dict[str, Any]) -> list[FieldChange]:
    """Owned fields whose values differ (after normalising); a field CKAN lacks counts as empty."""
    changes = []
    for name in OWNED_DATASET_FIELDS:
        if name == "name":
            continue
        catalog, value = _catalog_value(current, name), wanted.get(name)
        if name == "tag_string":   # CKAN answers tag dicts; compare the sets of names
            catalog, value = tag_names(current), tag_names(wanted)
        if name == "owner_org" and _same_org(current, value):
            continue
        if not same(catalog, value):
            changes.append(FieldChange(name, catalog, value))
    if current.get("state") not in (None, "active"):   # a deleted dataset still holds its name
        changes.append(FieldChange("state", current["state"], "active"))
    return changes


def plan_resources(current: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> tuple[ResourceStep, ...]:
    """Match by kind; upload when missing or the sha256 differs; delete unwanted or duplicate kinds."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for resource in current:
        if resource.get(KIND_FIELD):
            by_kind.setdefault(resource[KIND_FIELD], []).append(resource)
    steps: list[ResourceStep] = []
    for resource in wanted:
        candidates = by_kind.pop(resource[KIND_FIELD], [])
        keep = _best_match(candidates, resource)
        steps += [_delete(r) for r in candidates if r is not keep]
        steps.append(_resource_step(keep, resource))
    steps += [_delete(r) for leftovers in by_kind.values() for r in leftovers]
    # Deletions first: an unwanted file leaves the catalog before anything new arrives.
    return tuple(sorted(steps, key=lambda step: step.action != "delete"))


def _resource_step(current: dict[str, Any] | None, wanted: dict[str, Any]) -> ResourceStep:
    kind, name = wanted[KIND_FIELD], wanted["name"]
    if current is None:
        return ResourceStep("create", kind, name, payload=wanted)
    if current.get("hash") != wanted["hash"] or current.get("url_type") != "upload":
        return ResourceStep("replace", kind, name, current["id"], payload=wanted,
                            changes=(FieldChange("hash", current.get("hash"), wanted["hash"]),))
    fields = (set(OWNED_RESOURCE_FIELDS) | set(wanted)) - _SERVER_RESOURCE_FIELDS
    changes = tuple(FieldChange(f, current.get(f), wanted.get(f)) for f in sorted(fields)
                    if not same(current.get(f), wanted.get(f)))
    if not changes:
        return ResourceStep("unchanged", kind, name, current["id"])
    payload = {change.field: "" if change.wanted is None else change.wanted for change in changes}
    return ResourceStep("patch", kind, name, current["id"], payload=payload, changes=changes)


def _best_match(candidates: list[dict[str, Any]], wanted: dict[str, Any]) -> dict[str, Any] | None:
    for candidate in candidates:
        if candidate.get("hash") == wanted["hash"]:
            return candidate
    return candidates[0] if candidates else None


def _delete(resource: dict[str, Any]) -> ResourceStep:
    return ResourceStep("delete", resource.get(KIND_FIELD, ""), resource.get("name", ""),
                        resource["id"])


def _group_changes(current: dict[str, Any], wanted: dict[str, Any],
                   managed: Collection[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    have = {group["name"] for group in current.get("groups") or []}
    want = {group["name"] for group in wanted.get("groups") or []}
    return tuple(sorted(want - have)), tuple(sorted((have & set(managed)) - want))


def _catalog_value(current: dict[str, Any], name: str) -> Any:
    if name == "tag_string":
        return ", ".join(tag_names(current))
    return current.get(name)


def _same_org(current: dict[str, Any], wanted: Any) -> bool:
    organization = current.get("organization") or {}
    return wanted in (current.get("owner_org"), organization.get("name"), organization.get("id"))


def show_package(client: ActionCaller, name: str,
                 retry: RetryPolicy) -> dict[str, Any] | None:
    """``package_show`` (retried when transient), or None when the catalog has no such dataset."""
    try:
        return call_with_retry(lambda: client.call("package_show", id=name), retry,
                               idempotent=True)
    except ckanapi.NotFound:
        return None
