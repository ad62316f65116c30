"""Compile a resolved query tree into a function that scores one document.

Boolean semantics are Lucene's: every MUST clause has to match, no MUST_NOT clause may match,
SHOULD clauses add to the score and at least ``min_should_match`` of them (or one, when there is
no MUST clause) have to match. A query made only of MUST_NOT clauses matches every other
document, as Solr does for ``fq=-dataset_type:harvest``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Optional

from solr_compat.documents import IndexedDoc
from solr_compat.errors import UnknownFieldError
from solr_compat.query_ast import (
    LEAF_TYPES, BooleanQuery, DisMaxQuery, MatchAllQuery, MatchNoneQuery, Occur, Query)
from solr_compat.schema import Schema
from solr_compat.text_match import compile_text_leaf
from solr_compat.value_match import compile_value_leaf

#: Scores a document: a float when it matches, None when it does not.
Matcher = Callable[[IndexedDoc], Optional[float]]


def compile_query(query: Query, schema: Schema, *, now: datetime) -> Matcher:
    """Compile ``query`` once per request; call the result for each document."""
    if isinstance(query, MatchAllQuery):
        return lambda doc: query.boost
    if isinstance(query, MatchNoneQuery):
        return lambda doc: None
    if isinstance(query, BooleanQuery):
        return _compile_boolean(query, schema, now)
    if isinstance(query, DisMaxQuery):
        return _compile_dismax(query, schema, now)
    if isinstance(query, LEAF_TYPES) and query.field is not None:
        info = schema.field(query.field)
        if info is None:
            raise UnknownFieldError(query.field)
        if info.kind == "text":
            return compile_text_leaf(query, info)
        return compile_value_leaf(query, info, now=now)
    raise TypeError(f"cannot evaluate unresolved query {query!r}")


def _compile_boolean(query: BooleanQuery, schema: Schema, now: datetime) -> Matcher:
    def parts(occur: Occur) -> list[Matcher]:
        return [compile_query(c.query, schema, now=now) for c in query.clauses
                if c.occur is occur]

    must, should, must_not = parts(Occur.MUST), parts(Occur.SHOULD), parts(Occur.MUST_NOT)
    needed = query.min_should_match or (0 if must or not should else 1)

    def match(doc: IndexedDoc) -> Optional[float]:
        for matcher in must_not:
            if matcher(doc) is not None:
                return None
        score = 0.0
        for matcher in must:
            part = matcher(doc)
            if part is None:
                return None
            score += part
        matched = 0
        for matcher in should:
            part = matcher(doc)
            if part is not None:
                matched += 1
                score += part
        if matched < needed:
            return None
        if not must and not should:
            score = 1.0  # pure negative query: "everything except"
        return score * query.boost

    return match


def _compile_dismax(query: DisMaxQuery, schema: Schema, now: datetime) -> Matcher:
    matchers = [compile_query(d, schema, now=now) for d in query.disjuncts]

    def match(doc: IndexedDoc) -> Optional[float]:
        scores = [s for s in (m(doc) for m in matchers) if s is not None]
        if not scores:
            return None
        best = max(scores)
        return (best + query.tie * (sum(scores) - best)) * query.boost

    return match
