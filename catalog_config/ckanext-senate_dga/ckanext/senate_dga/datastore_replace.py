"""Replace a resource's DataStore table in one PostgreSQL transaction, with a digest of it.

CKAN's own way to change a table's columns or rows is ``datastore_delete`` then
``datastore_create``: two transactions, and between them a reader finds no table or an empty
one. ``senate_datastore_replace`` drops and re-creates the table (columns, data dictionary,
rows, primary key, full-text index and trigger, reusing CKAN's DataStore code) and records the
pipeline's ``digest`` as the table's comment, all in one transaction: a reader sees the old
table or the new one, never half of either (PostgreSQL makes a query that waited on the
dropped table look its name up again, so it reads the new one).

Because the digest is written in the same transaction as the rows, it can never claim data
that is not there: ``senate_datastore_digest`` reads it back (None: no table, or one the
pipeline did not write).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan.plugins import toolkit
from ckanext.datastore.backend import postgres as backend
from ckanext.datastore.logic.action import set_datastore_active_flag

#: The table comment's prefix: a comment without it was not written by this action.
DIGEST_PREFIX = "senate_dga:digest:"


def senate_datastore_replace(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Create or replace the DataStore table of ``resource_id`` atomically.

    :param resource_id: the resource (its table is named after it)
    :param fields: ``[{"id", "type", "info"}]``, in column order; every type given
    :param records: the rows, as dicts keyed by field id
    :param primary_key: field ids of the unique key (optional)
    :param digest: the caller's digest of fields + info + rows, stored with the table
    """
    resource_id = toolkit.get_or_bust(data_dict, "resource_id")
    toolkit.check_access("datastore_create", context, {"resource_id": resource_id})
    request = _checked(data_dict)
    if context["model"].Resource.get(resource_id) is None:
        raise toolkit.ObjectNotFound(f"resource {resource_id} not found")
    engine = backend.get_write_engine()
    backend._cache_types(engine)
    with engine.begin() as connection:   # one transaction: commit at the end, or roll back
        _replace(context, connection, request)
    set_datastore_active_flag(context, {"resource_id": resource_id}, True)
    return {"resource_id": resource_id, "rows": len(request["records"]),
            "digest": request["digest"]}


def senate_datastore_digest(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The digest the pipeline stored with ``resource_id``'s table, and its row count.

    ``{"exists": False, "digest": None, "rows": 0}`` when the resource has no table.
    """
    resource_id = toolkit.get_or_bust(data_dict, "resource_id")
    toolkit.check_access("datastore_info", context, {"id": resource_id})
    with backend.get_read_engine().connect() as connection:
        found = connection.execute(sa.text(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname = :name"),
            {"name": resource_id}).fetchone()
        if found is None:
            return {"exists": False, "digest": None, "rows": 0}
        comment = connection.execute(sa.text("SELECT obj_description(:oid, 'pg_class')"),
                                     {"oid": found[0]}).scalar()
        rows = connection.execute(sa.text(
            f"SELECT count(*) FROM {backend.identifier(resource_id)}")).scalar()
    digest = comment[len(DIGEST_PREFIX):] if (comment or "").startswith(DIGEST_PREFIX) else None
    return {"exists": True, "digest": digest, "rows": int(rows or 0)}


def get_actions() -> dict[str, Any]:
    return {"senate_datastore_replace": senate_datastore_replace,
            "senate_datastore_digest": toolkit.side_effect_free(senate_datastore_digest)}


def _replace(context: dict[str, Any], connection: Any, request: dict[str, Any]) -> None:
    table = backend.identifier(request["resource_id"])
    step = {**context, "connection": connection}
    connection.execute(sa.text(f"SET LOCAL statement_timeout TO {backend._TIMEOUT}"))
    connection.execute(sa.text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    try:
        backend.create_table(step, request, {})
        backend._create_fulltext_trigger(connection, request["resource_id"])
        backend.insert_data(step, request)
        backend.create_indexes(step, request)
    except sa.exc.IntegrityError as exc:   # the primary key is not unique
        raise toolkit.ValidationError({"primary_key": [str(exc.orig)]}) from exc
    except sa.exc.DataError as exc:
        raise toolkit.ValidationError({"records": [str(exc.orig)]}) from exc
    comment = backend.literal_string(DIGEST_PREFIX + request["digest"])
    connection.execute(sa.text(f"COMMENT ON TABLE {table} IS {comment}".replace(":", r"\:")))


def _checked(data_dict: dict[str, Any]) -> dict[str, Any]:
    """The request, its shape checked (CKAN's create code trusts what it is given)."""
    fields, records = data_dict.get("fields"), data_dict.get("records")
    digest, key = data_dict.get("digest"), data_dict.get("primary_key") or []
    errors: dict[str, list[str]] = {}
    if not isinstance(fields, list) or not fields or not all(
            isinstance(f, dict) and f.get("id") and f.get("type") for f in fields):
        errors["fields"] = ["a non-empty list of {id, type, info} is required"]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        errors["records"] = ["a list of objects keyed by field id is required"]
    if not isinstance(digest, str) or not digest:
        errors["digest"] = ["the digest of what is sent is required"]
    if not isinstance(key, list) or not all(isinstance(k, str) for k in key):
        errors["primary_key"] = ["a list of field ids is expected"]
    if errors:
        raise toolkit.ValidationError(errors)
    request = {"resource_id": data_dict["resource_id"], "fields": fields, "records": records,
               "digest": digest}
    if key:
        request["primary_key"] = key
    return request
