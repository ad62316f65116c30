"""Turn an incoming document into an indexed one, following the schema.

Values are coerced to their field's kind (dates to UTC instants, numbers to numbers), defaults
and required fields are applied, and copyFields are filled. Errors are worded like Solr's so
CKAN logs the same messages it would with Apache Solr.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from solr_compat.datemath import InvalidDate, format_instant, parse_date_math, parse_instant
from solr_compat.errors import DocumentError
from solr_compat.schema import FieldInfo, Schema

#: Input documents: field name -> values in the order given (one entry per value).
RawDocument = dict[str, list[Any]]


@dataclass
class IndexedDoc:
    """A document in the index.

    ``source`` is the coerced input (JSON-ready; what is persisted), ``fields`` holds every
    indexed value including copyField targets (dates as datetimes), and ``cache`` keeps
    per-field analysis computed lazily by queries.
    """

    key: str
    source: dict[str, list[Any]]
    fields: dict[str, list[Any]]
    stored_names: tuple[str, ...]
    multi_valued: frozenset[str]
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def stored_value(self, name: str) -> Any:
        """The value Solr returns for ``name``: a list for multiValued fields, else a scalar."""
        values = [_output(v) for v in self.source[name]]
        return values if name in self.multi_valued else values[0]


def _output(value: Any) -> Any:
    return format_instant(value) if isinstance(value, datetime) else value


def build_document(raw: RawDocument, schema: Schema, *, now: datetime) -> IndexedDoc:
    """Validate and coerce ``raw`` into an IndexedDoc; raise DocumentError as Solr would."""
    key = _unique_key(raw, schema)
    typed: dict[str, list[Any]] = {}
    infos: dict[str, FieldInfo] = {}
    for name, values in raw.items():
        info = schema.field(name)
        if info is None:
            raise DocumentError(f"ERROR: [doc={key}] unknown field '{name}'")
        present = [v for v in values if v is not None]
        if not present:
            continue
        typed[name] = [_coerce(v, info, key) for v in present]
        infos[name] = info
        _check_single_value(typed[name], info, key)
    _apply_defaults(typed, infos, schema, key, now)
    _check_required(typed, schema, key)
    source = {name: [_jsonable(v) for v in values] for name, values in typed.items()}
    return IndexedDoc(
        key=key, source=source, fields=_with_copies(typed, schema, key),
        stored_names=tuple(n for n in typed if infos[n].stored),
        multi_valued=frozenset(n for n in typed if infos[n].multi_valued))


def _unique_key(raw: RawDocument, schema: Schema) -> str:
    values = [v for v in raw.get(schema.unique_key, []) if v is not None]
    if not values:
        raise DocumentError(
            f"Document is missing mandatory uniqueKey field: {schema.unique_key}")
    return str(values[0])


def _coerce(value: Any, info: FieldInfo, key: str) -> Any:
    """Coerce one value to the field's kind; dates become datetimes."""
    if isinstance(value, (dict, list)):
        # Solr reads a JSON object as an atomic update or child document; neither is supported.
        raise DocumentError(f"ERROR: [doc={key}] field '{info.name}' has a nested value "
                            f"{json.dumps(value)[:200]}; atomic updates and child documents "
                            "are not supported")
    try:
        return _coerce_kind(value, info.kind)
    except (ValueError, InvalidDate) as exc:
        raise DocumentError(f"ERROR: [doc={key}] Error adding field '{info.name}'='{value}' "
                            f"msg={exc}") from exc


def _coerce_kind(value: Any, kind: str) -> Any:
    if kind == "date":
        if not isinstance(value, str):
            raise InvalidDate(str(value))
        return parse_date_math(value) if value.upper().startswith("NOW") else parse_instant(value)
    if kind == "integer":
        if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
            raise ValueError(f"For input string: \"{value}\"")
        return int(value) if not isinstance(value, str) else _parse_int(value)
    if kind == "float":
        if isinstance(value, bool):
            raise ValueError(f"For input string: \"{value}\"")
        return float(value)
    if kind == "boolean":
        return value if isinstance(value, bool) else str(value).strip().lower() == "true"
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _parse_int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"For input string: \"{text}\"") from None


def _check_single_value(values: list[Any], info: FieldInfo, key: str) -> None:
    # Apache Solr rejects this too (e.g. a list sent for a field only the "*" pattern covers),
    # so a document accepted here is also accepted by the production Solr.
    if len(values) > 1 and not info.multi_valued:
        shown = ", ".join(str(_output(v)) for v in values)
        raise DocumentError(f"ERROR: [doc={key}] multiple values encountered for non "
                            f"multiValued field {info.name}: [{shown}]")


def _apply_defaults(typed: dict[str, list[Any]], infos: dict[str, FieldInfo], schema: Schema,
                    key: str, now: datetime) -> None:
    for name, info in schema.fields.items():
        if name not in typed and info.default is not None:
            value = now if info.kind == "date" and info.default.upper() == "NOW" else info.default
            typed[name] = [value if isinstance(value, datetime) else _coerce(value, info, key)]
            infos[name] = info


def _check_required(typed: dict[str, list[Any]], schema: Schema, key: str) -> None:
    for name, info in schema.fields.items():
        if info.required and name not in typed:
            raise DocumentError(f"[doc={key}] missing required field: {name}")


def _with_copies(typed: dict[str, list[Any]], schema: Schema, key: str) -> dict[str, list[Any]]:
    fields = {name: list(values) for name, values in typed.items()}
    for name, values in typed.items():
        for dest in schema.copy_targets(name):
            info = schema.field(dest)
            if info is None:
                continue  # Solr refuses such a schema at load; here the copy is just skipped
            copied = [_copy_value(v, info, key) for v in values]
            fields.setdefault(dest, []).extend(copied)
    return fields


def _copy_value(value: Any, info: FieldInfo, key: str) -> Any:
    if isinstance(value, datetime):
        value = format_instant(value)
    elif isinstance(value, bool):
        value = "true" if value else "false"
    return _coerce(value, info, key)


def _jsonable(value: Any) -> Any:
    return format_instant(value) if isinstance(value, datetime) else value
