"""Finish a parsed query against the schema: default fields, validation, empty terms.

* Unfielded leaves get the default field (``df``) or, for edismax, a dismax over ``qf``.
* Unknown fields and unparsable numbers/dates raise a 400, as Solr does.
* Terms that analyse to nothing (``title:&``) are dropped, as Solr's analyzers drop them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional

from solr_compat.analysis import has_thai, query_tokens
from solr_compat.datemath import InvalidDate, parse_date_math
from solr_compat.errors import BadRequest, UnknownFieldError
from solr_compat.query_ast import (
    LEAF_TYPES, BooleanQuery, Clause, DisMaxQuery, FuzzyQuery, LeafQuery, MatchNoneQuery,
    PhraseQuery, Query, RangeQuery, TermQuery, with_field)
from solr_compat.schema import FieldInfo, Schema


@dataclass(frozen=True)
class DefaultFields:
    """Where unfielded terms go: one ``df`` field, or weighted ``qf`` fields with a ``tie``."""

    fields: tuple[tuple[str, float], ...]
    tie: float = 0.0
    dismax: bool = False


def resolve_query(query: Query, schema: Schema, defaults: DefaultFields | None) -> Query:
    """Return ``query`` ready for evaluation (never None: an emptied query matches nothing)."""
    resolved = _resolve(query, schema, defaults)
    return resolved if resolved is not None else MatchNoneQuery()


def _resolve(query: Query, schema: Schema, defaults: DefaultFields | None) -> Optional[Query]:
    if isinstance(query, BooleanQuery):
        return _resolve_boolean(query, schema, defaults)
    if isinstance(query, DisMaxQuery):
        parts = [p for p in (_resolve(d, schema, defaults) for d in query.disjuncts) if p]
        return dataclasses.replace(query, disjuncts=tuple(parts)) if parts else None
    if isinstance(query, LEAF_TYPES):
        return _resolve_leaf(query, schema, defaults)
    return query


def _resolve_boolean(query: BooleanQuery, schema: Schema,
                     defaults: DefaultFields | None) -> Optional[Query]:
    clauses = []
    for clause in query.clauses:
        inner = _resolve(clause.query, schema, defaults)
        if inner is not None:
            clauses.append(Clause(clause.occur, inner))
    if not clauses:
        return None
    return dataclasses.replace(query, clauses=tuple(clauses))


def _resolve_leaf(query: LeafQuery, schema: Schema,
                  defaults: DefaultFields | None) -> Optional[Query]:
    if query.field is not None:
        return _checked_leaf(query, _field_info(query.field, schema), strict=True)
    if defaults is None or not defaults.fields:
        raise BadRequest("no field name specified in query and no default specified via "
                         "'df' param")
    if not defaults.dismax:
        name = defaults.fields[0][0]
        return _checked_leaf(with_field(query, name), _field_info(name, schema), strict=True)
    disjuncts = []
    for name, boost in defaults.fields:
        leaf = _checked_leaf(with_field(query, name, boost), _field_info(name, schema),
                             strict=False)
        if leaf is not None:
            disjuncts.append(leaf)
    return DisMaxQuery(tuple(disjuncts), tie=defaults.tie) if disjuncts else None


def _field_info(name: str, schema: Schema) -> FieldInfo:
    info = schema.field(name)
    if info is None:
        raise UnknownFieldError(name)
    return info


def _checked_leaf(query: LeafQuery, info: FieldInfo, *, strict: bool) -> Optional[LeafQuery]:
    """Validate a leaf against its field; None if it cannot match (dropped, as in Solr).

    ``strict`` leaves come from the user's own field syntax and raise on bad values; dismax
    leaves are generated for every ``qf`` field and are quietly dropped where they do not fit.
    """
    if info.kind == "text" and isinstance(query, (TermQuery, PhraseQuery, FuzzyQuery)):
        return query if has_thai(query.text) or query_tokens(query.text, info.type.analysis) \
            else None
    if info.kind in ("integer", "float", "date"):
        try:
            _check_typed_values(query, info.kind)
        except (ValueError, InvalidDate) as exc:
            if strict:
                raise BadRequest(str(exc)) from exc
            return None
    return query


def _check_typed_values(query: LeafQuery, kind: str) -> None:
    if isinstance(query, RangeQuery):
        values = [v for v in (query.lower, query.upper) if v is not None]
    elif isinstance(query, (TermQuery, PhraseQuery)):
        values = [query.text]
    else:
        return
    for value in values:
        if kind == "date":
            parse_date_math(value)
        else:
            try:
                float(value)
            except ValueError:
                raise ValueError(f"Invalid Number: {value}") from None

