"""Carry out a plan on CKAN, in an order that any later run can finish from.

Ordering (why): a new dataset is created **private** with its metadata and groups, then its
files are uploaded, and only the last write makes it public. A dataset going private (or being
withdrawn) turns private in its first write, and unwanted files are deleted before any other
field changes (the catalog refuses a file on a dataset classified ลับ, so a withheld dataset's
files must go before its new classification arrives). So whatever write fails, the public never
sees a half-made dataset, and the next run's plan (upsert by name, resources matched by kind,
duplicates deleted) simply finishes the job: a dataset created without its files is an
``update`` next time. A purge deletes the files first, so the catalog's storage lets them go.
A new dataset's files go up in one call (``package_revise``), so CKAN re-indexes it once.
The DataStore rows and preview of a public data file (flows.catalog.datastore) are written
after its upload and before that last write, so a new dataset goes public with its Data API.

Every write goes through the retry policy passed in; transient failures only (see retry.py).
Writes are counted by a ``CountingClient`` and returned in the outcome.
"""

from __future__ import annotations

import json
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from flows.catalog.counting import ActionCaller, CountingClient
from flows.catalog.datastore import apply_step
from flows.catalog.owned import KIND_FIELD
from flows.catalog.plan import Action, FieldChange, Plan, ResourceStep
from flows.catalog.retry import RetryPolicy, call_with_retry
from flows.errors import CatalogError

#: Calls that give the same result when sent twice (safe to resend after a timeout or 5xx).
_IDEMPOTENT = frozenset({"package_patch", "resource_patch", "resource_delete", "member_create",
                         "member_delete", "senate_datastore_replace"})


@dataclass(frozen=True)
class PublishOutcome:
    """What one ``apply_plan`` did."""

    name: str
    action: Action
    package_id: str | None
    writes: int                   # write calls made (attempts, failed ones included)
    write_actions: tuple[str, ...]
    seconds: float
    plan: Plan                    # what was applied (for printing and run records)


def apply_plan(client: ActionCaller, plan: Plan, files: Mapping[str, Path], *,
               retry: RetryPolicy = RetryPolicy()) -> PublishOutcome:
    """Write what ``plan`` says; ``files`` maps each resource kind to the local file to upload."""
    started = time.monotonic()
    counter = CountingClient(client)
    writer = _Writer(counter, retry, files)
    package_id = plan.package_id
    if plan.action is Action.DELETE:
        writer.resources(plan, package_id)          # each file leaves the catalog's storage
        writer.call("dataset_purge", id=package_id)
    elif plan.action is Action.WITHDRAW:
        writer.patch_fields(plan, package_id, plan.changes)   # out of public view first
        writer.resources(plan, package_id)
        writer.datastore(plan)
    elif plan.writes:
        package_id = _write_dataset(writer, plan)
    return PublishOutcome(plan.name, plan.action, package_id, counter.write_count,
                          tuple(counter.writes), round(time.monotonic() - started, 3), plan)


def _write_dataset(writer: "_Writer", plan: Plan) -> str | None:
    """Create or update, in the order that never shows the public a half-made dataset."""
    package_id = plan.package_id
    changes = list(plan.changes)
    if plan.action is Action.CREATE:
        package_id = writer.create_private(plan)
    elif _going_private(plan):   # a dataset leaving public view leaves it in its first write
        writer.patch_fields(plan, package_id, [c for c in changes if c.field == "private"])
        changes = [c for c in changes if c.field != "private"]
    writer.resources(plan, package_id, deletions=True)
    if _going_public(plan):      # ... and one going public becomes public in its last write
        changes = [c for c in changes if c.field != "private"]
    writer.patch_fields(plan, package_id, changes)
    writer.resources(plan, package_id, deletions=False)
    writer.datastore(plan)       # the Data API and preview are ready before the public looks
    writer.groups(plan, package_id)
    if _going_public(plan):
        writer.call("package_patch", id=package_id, private=False)
    return package_id


class _Writer:
    """The write calls of one plan, each through the retry policy."""

    def __init__(self, client: ActionCaller, retry: RetryPolicy, files: Mapping[str, Path]):
        self._client, self._retry, self._files = client, retry, files
        self._uploaded: dict[str, str] = {}   # kind -> id of the resources uploaded now

    def call(self, action: str, *, upload: Path | None = None, **data: Any) -> Any:
        def attempt() -> Any:
            if upload is None:
                return self._client.call(action, **data)
            with upload.open("rb") as handle:   # reopened per attempt: a retry resends it all
                return self._client.call(action, files={"upload": (upload.name, handle)}, **data)
        return call_with_retry(attempt, self._retry, idempotent=action in _IDEMPOTENT)

    def create_private(self, plan: Plan) -> str:
        payload = {**plan.package, "private": True}
        return self.call("package_create", **payload)["id"]

    def patch_fields(self, plan: Plan, package_id: str | None,
                     changes: list[FieldChange] | tuple[FieldChange, ...]) -> None:
        """One ``package_patch`` of the given field changes (none: no call)."""
        if changes:
            self.call("package_patch", id=package_id, **_patch_payload(plan, list(changes)))

    def resources(self, plan: Plan, package_id: str | None, *,
                  deletions: bool | None = None) -> None:
        """The resource steps: all, or only the deletions (True) or only the rest (False);
        the new files last, together."""
        steps = [step for step in plan.resources
                 if deletions is None or (step.action == "delete") == deletions]
        for step in steps:
            if step.action != "create":
                self._resource(step, package_id)
        new_files = [step for step in steps if step.action == "create"]
        if new_files:
            self._upload_new(new_files, package_id)

    def datastore(self, plan: Plan) -> None:
        """The DataStore steps; a file uploaded in this run is found by its kind."""
        for step in plan.datastore:
            resource_id = step.resource_id or self._uploaded.get(step.kind)
            if resource_id is None:
                raise CatalogError(f"{plan.name}: no {step.kind!r} resource to push to the "
                                   "DataStore; the next run plans it again")
            apply_step(self.call, step, resource_id)

    def groups(self, plan: Plan, package_id: str | None) -> None:
        adds = () if plan.action is Action.CREATE else plan.groups_add  # created with its groups
        for group in adds:
            self.call("member_create", id=group, object=package_id, object_type="package",
                      capacity="public")
        for group in plan.groups_remove:
            self.call("member_delete", id=group, object=package_id, object_type="package")

    def _resource(self, step: ResourceStep, package_id: str | None) -> None:
        if step.action == "delete":
            self.call("resource_delete", id=step.resource_id)
        elif step.action == "patch":
            self.call("resource_patch", id=step.resource_id, **step.payload)
        elif step.uploads:
            self._upload(step)

    def _upload(self, step: ResourceStep) -> None:
        """A new file for an existing resource (its id kept)."""
        path = self._file(step)
        strings, structured = _multipart_fields(step.payload)
        patched = self.call("resource_patch", upload=path, url=path.name, id=step.resource_id,
                            **strings)
        self._uploaded[step.kind] = patched["id"]
        if structured:   # lists cannot ride in a multipart form; send them as JSON after
            self.call("resource_patch", id=patched["id"], **structured)

    def _upload_new(self, steps: list[ResourceStep], package_id: str | None) -> None:
        """Every new resource with its file in one ``package_revise``: CKAN validates, stores
        and re-indexes the dataset once, not once per file (a new dataset has six). Its fields
        travel as JSON beside the files, lists included."""
        paths = [self._file(step) for step in steps]
        extend = [{**{k: v for k, v in step.payload.items() if v is not None}, "url": path.name}
                  for step, path in zip(steps, paths)]

        def attempt() -> Any:
            with ExitStack() as stack:   # reopened per attempt: a retry resends them all
                files = {f"update__resources__{index - len(paths)}__upload":
                         (path.name, stack.enter_context(path.open("rb")))
                         for index, path in enumerate(paths)}
                return self._client.call(
                    "package_revise", files=files, match__id=package_id,
                    update__resources__extend=json.dumps(extend, ensure_ascii=False))
        # Not resent after a timeout: it adds resources, as a create does.
        revised = call_with_retry(attempt, self._retry, idempotent=False)["package"]
        created = revised["resources"][-len(steps):]
        for step, resource in zip(steps, created):
            if resource.get(KIND_FIELD) != step.kind:
                raise CatalogError(f"{step.name}: CKAN stored the new resources in another "
                                   "order than sent; the next run plans them again")
            self._uploaded[step.kind] = resource["id"]

    def _file(self, step: ResourceStep) -> Path:
        path = self._files.get(step.kind)
        if path is None:
            raise CatalogError(f"no local file for resource kind {step.kind!r} of {step.name!r}; "
                               "the describe stage must list it in the dataset's resources")
        return path


def files_of(package: Mapping[str, Any], paths: Mapping[str, Path]) -> dict[str, Path]:
    """Restrict ``paths`` (kind → file) to the kinds of ``package``'s resources."""
    return {r[KIND_FIELD]: paths[r[KIND_FIELD]] for r in package.get("resources", [])
            if r[KIND_FIELD] in paths}


def _going_private(plan: Plan) -> bool:
    return plan.wanted_private and any(c.field == "private" for c in plan.changes)


def _going_public(plan: Plan) -> bool:
    if plan.wanted_private:
        return False
    return plan.action is Action.CREATE or any(c.field == "private" for c in plan.changes)


def _patch_payload(plan: Plan, changes: list[FieldChange]) -> dict[str, Any]:
    """The wanted values of the changed fields; a field no longer wanted is cleared."""
    payload: dict[str, Any] = {}
    for change in changes:
        value = plan.package.get(change.field, change.wanted)
        if value is None:
            value = [] if isinstance(change.catalog, list) else ""
        payload[change.field] = value
    return payload


def _multipart_fields(payload: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    strings = {k: str(v) for k, v in payload.items()
               if v is not None and not isinstance(v, (list, dict))}
    structured = {k: v for k, v in payload.items() if isinstance(v, (list, dict))}
    return strings, structured
