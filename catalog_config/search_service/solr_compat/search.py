"""Answer ``/select``: build the main query and filters, find, sort, page, project and facet.

Handles what CKAN 2.11's ``PackageSearchQuery.run`` sends: ``q`` with ``defType=dismax``,
``qf``/``mm``/``tie``/``q.op``/``df``, several ``fq``, ``sort``, ``start``/``rows``, ``fl`` and
``facet.*``. Parameters the service does not know (``wt``, ``bf``, ``hl`` ...) are ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Optional

from solr_compat.dismax_parser import parse_dismax, parse_edismax
from solr_compat.documents import IndexedDoc
from solr_compat.errors import BadRequest, UnknownFieldError
from solr_compat.evaluate import compile_query
from solr_compat.facets import facet_counts
from solr_compat.field_list import FieldList
from solr_compat.local_params import split_local_params
from solr_compat.lucene_parser import parse_lucene
from solr_compat.params import Params
from solr_compat.query_ast import (
    BooleanQuery, Clause, MatchNoneQuery, Occur, PhraseQuery, Query, TermQuery)
from solr_compat.query_resolve import DefaultFields, resolve_query
from solr_compat.schema import Schema
from solr_compat.settings import DEFAULT_ROWS, FALLBACK_DEFAULT_FIELD
from solr_compat.sorting import parse_sort, sort_hits

Matcher = Callable[[IndexedDoc], Optional[float]]


def run_select(params: Params, schema: Schema, docs: list[IndexedDoc], *,
               now: datetime) -> dict[str, Any]:
    """The ``response`` (and ``facet_counts``) part of a /select answer for ``params``."""
    start, rows = params.get_int("start", 0), params.get_int("rows", DEFAULT_ROWS)
    if start < 0 or rows < 0:
        raise BadRequest("'start' and 'rows' parameters cannot be negative")
    sort_keys = parse_sort(params.get("sort"), schema)
    fields = FieldList.parse(params.get("fl"))
    main = compile_query(main_query(params, schema), schema, now=now)
    filters = [compile_query(filter_query(fq, params, schema), schema, now=now)
               for fq in params.get_all("fq") if fq.strip()]
    hits = []
    for doc in docs:
        if all(f(doc) is not None for f in filters):
            score = main(doc)
            if score is not None:
                hits.append((doc, score))
    ordered = sort_hits(hits, sort_keys)
    response: dict[str, Any] = {
        "numFound": len(hits), "start": start, "numFoundExact": True,
        "docs": [fields.project(doc, score) for doc, score in ordered[start:start + rows]]}
    if fields.score:
        response["maxScore"] = max((s for _, s in hits), default=0.0)
    result: dict[str, Any] = {"response": response}
    if params.get_bool("facet"):
        compile_fq: Callable[[str], Matcher] = lambda text: compile_query(
            filter_query(text, params, schema), schema, now=now)
        result["facet_counts"] = facet_counts(params, schema, [d for d, _ in hits], docs,
                                              compile_fq)
    return result


def main_query(params: Params, schema: Schema) -> Query:
    """The query for ``q`` under ``defType`` (or ``{!type}`` local params)."""
    local, text = split_local_params(params.get("q") or "")
    parser = local.get("type") or params.get("defType") or "lucene"
    options = _Options(params, local, schema)
    query = _parse_with(parser, text, options, params)
    for bq in params.get_all("bq") if parser in ("dismax", "edismax") else []:
        boost_query = _parse_with("lucene", bq, options, params)
        query = BooleanQuery((Clause(Occur.MUST, query), Clause(Occur.SHOULD, boost_query)))
    return query


def filter_query(text: str, params: Params, schema: Schema) -> Query:
    """One ``fq`` (lucene syntax unless its local params name another parser)."""
    local, body = split_local_params(text)
    return _parse_with(local.get("type") or "lucene", body, _Options(params, local, schema),
                       params)


class _Options:
    """Parser options from local params first, then request params, then defaults."""

    def __init__(self, params: Params, local: dict[str, str], schema: Schema) -> None:
        def pick(name: str) -> str | None:
            return local.get(name, params.get(name))

        self.schema = schema
        self.default_and = (pick("q.op") or "OR").upper() == "AND"
        self.df = pick("df") or (FALLBACK_DEFAULT_FIELD
                                 if schema.field(FALLBACK_DEFAULT_FIELD) else None)
        self.qf = pick("qf")
        self.mm = pick("mm")
        self.tie = _float_param("tie", pick("tie") or "0")
        self.field = local.get("f")

    def default_fields(self) -> DefaultFields | None:
        return DefaultFields(((self.df, 1.0),)) if self.df else None

    def query_fields(self) -> DefaultFields:
        if not self.qf or not self.qf.strip():
            return DefaultFields(((self.df, 1.0),) if self.df else (), self.tie, dismax=True)
        return DefaultFields(parse_qf(self.qf, self.schema), self.tie, dismax=True)


def _parse_with(parser: str, text: str, options: _Options, params: Params) -> Query:
    if parser in ("lucene", "standard"):
        if not text.strip():
            return MatchNoneQuery()
        parsed = parse_lucene(text, default_and=options.default_and)
        return resolve_query(parsed.query, options.schema, options.default_fields())
    if parser in ("dismax", "edismax"):
        if not text.strip():
            alt = params.get("q.alt")
            return _parse_with("lucene", alt, options, params) if alt else MatchNoneQuery()
        parse = parse_dismax if parser == "dismax" else parse_edismax
        return parse(text, schema=options.schema, qf=options.query_fields(), mm=options.mm,
                     default_and=options.default_and)
    if parser in ("term", "field", "raw"):
        if not options.field:
            raise BadRequest(f"the {parser} query parser needs a field: {{!{parser} f=name}}")
        leaf = TermQuery(options.field, text) if parser != "field" \
            else PhraseQuery(options.field, text)
        return resolve_query(leaf, options.schema, None)
    raise BadRequest(f"Unknown query parser '{parser}'")


def _float_param(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise BadRequest(f"Invalid number for parameter {name}: \"{value}\"") from None


def parse_qf(qf: str, schema: Schema) -> tuple[tuple[str, float], ...]:
    """``name^4 title^4 text`` -> ((name, 4.0), (title, 4.0), (text, 1.0))."""
    fields = []
    for part in qf.split():
        name, _, boost = part.partition("^")
        if schema.field(name) is None:
            raise UnknownFieldError(name)
        fields.append((name, _float_param("qf", boost) if boost else 1.0))
    return tuple(fields)
