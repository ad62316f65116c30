"""The DataStore (CKAN's Data API) rows of each public data file, and its table preview.

What is pushed: the public UTF-8 CSV the pipeline uploads (resource kind ``data``) of a dataset
the gate makes PUBLIC, read by ``flows.csv_source``, typed by its Table Schema (the ``schema``
resource: the public one, without personal-data fields), with each field's title and Thai +
English description as the DataStore data dictionary (``info``) and the schema's primary key.
Never pushed, checked here and not only trusted: a personal-data field, the ``-internal``
companion, any other file kind, or a dataset that is not public.

The digest (fields, info, primary key, and the CSV's sha256, which fixes the rows) is stored
with the table, in the same transaction as the rows (the extension's
``senate_datastore_replace``), and read back by ``senate_datastore_digest``: the plan pushes
only when it differs, so unchanged data make no DataStore call. ``plan_datastore`` is
read-only; ``publish`` sends the steps before the dataset goes public.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from flows.catalog.counting import ActionCaller
from flows.catalog.datastore_types import CastError, cast_cell, pg_type
from flows.catalog.retry import NO_RETRY, RetryPolicy, call_with_retry
from flows.csv_source import read_csv_table
from flows.describe.described import DescribedDataset
from flows.errors import DataFileError

#: The file kinds whose rows go to the DataStore.
PUSHED_KINDS = ("data",)
VIEW_TYPE = "datatables_view"
VIEW_TITLE = "ตารางข้อมูล / Data table"
#: Part of every digest: a change to how cells are cast or described re-pushes every table.
_DIGEST_VERSION = 1


@dataclass(frozen=True)
class DatastoreTable:
    """The table one data file becomes: columns with their data dictionary, key, rows."""

    kind: str
    path: Path
    fields: tuple[dict[str, Any], ...]          # {"id", "type", "info": {"label", "notes"}}
    primary_key: tuple[str, ...]
    digest: str
    schema: dict[str, Any] = field(repr=False, default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        """The rows, cast to the column types (``DataFileError`` naming the first bad cell)."""
        return read_records(self.path, self.schema, [f["id"] for f in self.fields])

    def request(self, resource_id: str) -> dict[str, Any]:
        """The ``senate_datastore_replace`` call's data."""
        return {"resource_id": resource_id, "fields": [dict(f) for f in self.fields],
                "records": self.records(), "primary_key": list(self.primary_key),
                "digest": self.digest}


@dataclass(frozen=True)
class DatastoreStep:
    """One DataStore or view write: push (replace the table), view (create it), drop."""

    action: str
    kind: str
    resource_id: str | None      # None: the file is uploaded in this run (id known then)
    table: DatastoreTable | None = field(default=None, repr=False)
    catalog_digest: str | None = None

    def describe(self) -> str:
        """One line for `senate-catalog plan`."""
        if self.action == "push":
            was = (self.catalog_digest or "none")[:12]
            return (f"datastore {self.kind}: push {len(self.table.fields)} columns "
                    f"(digest {was} -> {self.table.digest[:12]})")
        if self.action == "view":
            return f"view {self.kind}: create {VIEW_TYPE}"
        return f"datastore {self.kind}: drop the table (not public)"


def public_tables(described: DescribedDataset, *, public: bool) -> list[DatastoreTable]:
    """The tables of ``described``'s public data files (none unless ``public``)."""
    if not public:
        return []
    if described.fields.get("name", "").endswith("-internal"):
        raise DataFileError(f"{described.id}: a private -internal companion is never pushed "
                            "to the DataStore")
    schema_file = next((r for r in described.resources if r.kind == "schema"), None)
    files = [r for r in described.resources if r.kind in PUSHED_KINDS]
    if files and schema_file is None:
        raise DataFileError(f"{described.id}: its data file has no Table Schema resource, so "
                            "its DataStore columns cannot be typed; describe it again")
    schema = json.loads(schema_file.path.read_text(encoding="utf-8")) if files else {}
    internal = described.internal_data.path if described.internal_data else None
    return [build_table(r.kind, r.path, r.sha256, schema, personal=described.personal_fields,
                        internal=internal, dataset=described.id) for r in files]


def build_table(kind: str, path: Path, sha256: str, schema: dict[str, Any], *,
                personal: list[str], internal: Path | None, dataset: str) -> DatastoreTable:
    """The columns, key and digest of one public data file (its rows are read on ``records``)."""
    header = _header(path)
    if internal is not None and path.resolve() == internal.resolve():
        raise DataFileError(f"{dataset}: {path} is the internal (full) file; only the public "
                            "copy may go to the DataStore")
    _refuse_personal(dataset, header, schema, personal)
    specs = {f.get("name"): f for f in schema.get("fields", [])}
    unknown = [name for name in header if name not in specs]
    if unknown:
        raise DataFileError(f"{dataset}: column(s) {unknown} of {path.name} are not in its "
                            "Table Schema, so their DataStore types are unknown; fix the schema")
    fields = tuple({"id": name, "type": pg_type(specs[name]), "info": field_info(specs[name])}
                   for name in header)
    key = _as_list(schema.get("primaryKey") or [])
    primary_key = tuple(key) if key and set(key) <= set(header) else ()
    digest = _sha256({"version": _DIGEST_VERSION, "fields": fields,
                      "primary_key": primary_key, "rows_sha256": sha256})
    return DatastoreTable(kind, path, fields, primary_key, digest, schema)


def field_info(spec: dict[str, Any]) -> dict[str, str]:
    """The DataStore data dictionary of one field: its title, Thai then English description."""
    english = " ".join(str(spec.get("description") or "").split())
    thai = " ".join(str(spec.get("description_th") or spec.get("descriptionTh") or "").split())
    notes = [text for text in dict.fromkeys([thai or english, english]) if text]
    return {"label": str(spec.get("title") or spec.get("name")), "notes": "\n\n".join(notes)}


def read_records(path: Path, schema: dict[str, Any], columns: list[str]) -> list[dict[str, Any]]:
    """The CSV's rows as typed dicts of ``columns`` (``DataFileError`` on a cell that does not
    cast: the row, the field and what the field expects)."""
    rows = read_csv_table(path).rows
    header, data = list(rows[0]), rows[1:]
    specs = {f.get("name"): f for f in schema.get("fields", [])}
    missing = frozenset(schema.get("missingValues", [""]))
    index = [header.index(name) for name in columns]
    records = []
    for number, row in enumerate(data, start=2):
        if not row:
            continue
        record = {}
        for name, at in zip(columns, index):
            cell = row[at] if at < len(row) else None
            try:
                record[name] = cast_cell(cell, specs[name], missing)
            except CastError as exc:
                raise DataFileError(f"{path.name} row {number}, field {name!r}: {exc}; the "
                                    "DataStore gets typed values only, so fix the value or "
                                    "the field's schema") from exc
        records.append(record)
    return records


def plan_datastore(client: ActionCaller, tables: list[DatastoreTable],
                   resource_ids: Mapping[str, str | None], *, keep_public: bool,
                   retry: RetryPolicy = NO_RETRY) -> tuple[DatastoreStep, ...]:
    """The DataStore and view writes that make the catalog match (read-only).

    ``resource_ids``: kind → the resource's id (None: uploaded in this run) of the files the
    record keeps. With ``keep_public`` false every pushed table of them is dropped.
    """
    read = _reader(client, retry)
    steps: list[DatastoreStep] = []
    for table in tables if keep_public else []:
        resource_id = resource_ids.get(table.kind)
        current = read("senate_datastore_digest", resource_id=resource_id) if resource_id else None
        if current is None or current.get("digest") != table.digest:
            table.records()   # a cell that does not cast fails the plan, not the write
            steps.append(DatastoreStep("push", table.kind, resource_id, table,
                                       (current or {}).get("digest")))
        if resource_id is None or not _has_view(read, resource_id):
            steps.append(DatastoreStep("view", table.kind, resource_id))
    pushed = {table.kind for table in tables} if keep_public else set()
    for kind in PUSHED_KINDS:
        resource_id = resource_ids.get(kind)
        if kind not in pushed and resource_id and \
                read("senate_datastore_digest", resource_id=resource_id).get("exists"):
            steps.append(DatastoreStep("drop", kind, resource_id))
    return tuple(steps)


def apply_step(call: Callable[..., Any], step: DatastoreStep, resource_id: str) -> None:
    """Send one step (``call`` is the publish writer's, with its retry policy)."""
    if step.action == "push":
        call("senate_datastore_replace", **step.table.request(resource_id))
    elif step.action == "view":
        call("resource_view_create", resource_id=resource_id, view_type=VIEW_TYPE,
             title=VIEW_TITLE)
    elif step.action == "drop":
        call("datastore_delete", resource_id=resource_id, force=True)
    else:
        raise ValueError(f"unknown DataStore step {step.action!r}")


def _has_view(read: Callable[..., Any], resource_id: str) -> bool:
    views = read("resource_view_list", id=resource_id)
    return any(view.get("view_type") == VIEW_TYPE for view in views)


def _reader(client: ActionCaller, retry: RetryPolicy) -> Callable[..., Any]:
    def read(action: str, **data: Any) -> Any:
        return call_with_retry(lambda: client.call(action, **data), retry, idempotent=True)
    return read


def _header(path: Path) -> list[str]:
    rows = read_csv_table(path).rows
    if not rows:
        raise DataFileError(f"{path} is empty; it cannot be pushed to the DataStore")
    return list(rows[0])


def _refuse_personal(dataset: str, header: list[str], schema: dict[str, Any],
                     personal: list[str]) -> None:
    marked = {f.get("name") for f in schema.get("fields", []) if f.get("personalData")}
    found = sorted((set(personal) | marked) & set(header))
    if found:
        raise DataFileError(f"{dataset}: the public data file holds personal-data field(s) "
                            f"{found}; it is never pushed to the DataStore (check the public "
                            "copy in the describe stage)")


def _sha256(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
