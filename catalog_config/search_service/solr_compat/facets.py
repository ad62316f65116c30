"""Field and query facets: ``facet.field``, ``facet.query`` and their limit/mincount/sort options.

Counts come back in Solr's default "flat" JSON form, ``["value", count, "value", count, ...]``,
which is what pysolr hands to CKAN. Text fields facet on their analysed tokens, as in Solr.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Callable, Optional

from solr_compat.datemath import format_instant
from solr_compat.documents import IndexedDoc
from solr_compat.errors import UnknownFieldError
from solr_compat.local_params import split_local_params
from solr_compat.params import Params
from solr_compat.schema import FieldInfo, Schema
from solr_compat.settings import DEFAULT_FACET_LIMIT
from solr_compat.text_match import field_text

#: Compiles a facet.query string into a document matcher (supplied by the search module).
QueryCompiler = Callable[[str], Callable[[IndexedDoc], Optional[float]]]


def facet_counts(params: Params, schema: Schema, matched: list[IndexedDoc],
                 all_docs: list[IndexedDoc], compile_facet_query: QueryCompiler) -> dict[str, Any]:
    """The ``facet_counts`` section of a response."""
    fields: dict[str, list[Any]] = {}
    for spec in params.get_all("facet.field"):
        local, name = split_local_params(spec)
        name = name.strip()
        info = schema.field(name)
        if info is None:
            raise UnknownFieldError(name)
        fields[local.get("key", name)] = _field_facet(params, info, matched, all_docs)
    queries = {}
    for spec in params.get_all("facet.query"):
        matcher = compile_facet_query(spec)
        queries[spec] = sum(1 for doc in matched if matcher(doc) is not None)
    return {"facet_queries": queries, "facet_fields": fields, "facet_ranges": {},
            "facet_intervals": {}, "facet_heatmaps": {}}


def _field_facet(params: Params, info: FieldInfo, matched: list[IndexedDoc],
                 all_docs: list[IndexedDoc]) -> list[Any]:
    name = info.name
    limit = params.field_int(name, "facet.limit", DEFAULT_FACET_LIMIT)
    mincount = params.field_int(name, "facet.mincount", 0)
    offset = max(params.field_int(name, "facet.offset", 0), 0)
    prefix = params.field_param(name, "facet.prefix") or ""
    order = params.field_param(name, "facet.sort") or ("count" if limit > 0 else "index")
    counts: Counter = Counter()
    for doc in matched:
        counts.update(set(facet_terms(doc, info)))
    if mincount <= 0:
        # Solr lists every indexed term when mincount is 0, with the count in this result set.
        for doc in all_docs:
            for term in facet_terms(doc, info):
                counts.setdefault(term, 0)
    items = [(t, c) for t, c in counts.items() if c >= mincount and t.startswith(prefix)]
    items.sort(key=lambda item: _index_order(item[0], info))
    if order == "count":
        items.sort(key=lambda item: -item[1])  # stable: equal counts stay in index order
    items = items[offset:offset + limit] if limit >= 0 else items[offset:]
    flat: list[Any] = []
    for term, count in items:
        flat.extend((term, count))
    if params.get_bool(f"f.{name}.facet.missing", params.get_bool("facet.missing")):
        flat.extend((None, sum(1 for doc in matched if not doc.fields.get(name))))
    return flat


def facet_terms(doc: IndexedDoc, info: FieldInfo) -> list[str]:
    """The facet terms of one document's field: tokens for text, formatted values otherwise."""
    if info.kind == "text":
        return [t for v in field_text(doc, info).values for t in v.tokens]
    return [_term_text(v) for v in doc.fields.get(info.name, ())]


def _term_text(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return format_instant(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _index_order(term: str, info: FieldInfo) -> Any:
    if info.kind in ("integer", "float"):
        try:
            return (0, float(term), "")
        except ValueError:
            pass
    return (1, 0.0, term)
