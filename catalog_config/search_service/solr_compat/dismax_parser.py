"""The dismax and edismax query parsers (``defType=dismax|edismax``), as CKAN uses them.

Each word or "phrase" of ``q`` becomes a dismax over the ``qf`` fields (best field score plus
``tie`` times the rest) and ``mm`` decides how many optional words must match. dismax honours
only ``+``, ``-``, quotes and AND/OR; edismax accepts the full lucene syntax (fields, ranges,
wildcards) and, like Solr, falls back to dismax-style escaping when that syntax is broken.
"""

from __future__ import annotations

import dataclasses
import re

from solr_compat.errors import QuerySyntaxError
from solr_compat.lucene_parser import parse_lucene
from solr_compat.min_should_match import min_should_match
from solr_compat.query_ast import BooleanQuery, MatchNoneQuery, Occur, Query
from solr_compat.query_resolve import DefaultFields, resolve_query
from solr_compat.schema import Schema

# Characters dismax escapes (Solr's SolrPluginUtils.partialEscape), so they lose their meaning.
_DISMAX_SPECIAL = re.compile(r'([\\!():^\[\]{}~*?/&|])')
_ALL_SPECIAL = re.compile(r'([\\+\-!():^\[\]{}~*?/&|"])')
_OPERATOR_WORDS = ("AND", "OR", "NOT")


def parse_dismax(q: str, *, schema: Schema, qf: DefaultFields, mm: str | None,
                 default_and: bool) -> Query:
    """Build the dismax query for ``q`` (never raises on syntax: bad syntax is escaped)."""
    text = _strip_dangling_operators(_strip_unbalanced_quotes(_DISMAX_SPECIAL.sub(r"\\\1", q)))
    if not text:
        return MatchNoneQuery()
    try:
        parsed = parse_lucene(text, default_and=False).query
    except QuerySyntaxError:
        escaped = _escape_all(q)
        if not escaped:
            return MatchNoneQuery()
        parsed = parse_lucene(escaped, default_and=False).query
    query = resolve_query(parsed, schema, qf)
    return _apply_mm(query, mm if mm is not None else _default_mm(default_and))


def parse_edismax(q: str, *, schema: Schema, qf: DefaultFields, mm: str | None,
                  default_and: bool) -> Query:
    """Build the edismax query for ``q``; fielded clauses keep their own fields."""
    try:
        parsed = parse_lucene(q, default_and=False)
    except QuerySyntaxError:
        return parse_dismax(q, schema=schema, qf=qf, mm=mm, default_and=default_and)
    query = resolve_query(parsed.query, schema, qf)
    if parsed.explicit_operators:
        # Solr turns mm off for queries with explicit operators unless mm was sent.
        return _apply_mm(query, mm if mm is not None else "0%")
    return _apply_mm(query, mm if mm is not None else _default_mm(default_and))


def _default_mm(default_and: bool) -> str:
    return "100%" if default_and else "0%"


def _apply_mm(query: Query, spec: str) -> Query:
    if not isinstance(query, BooleanQuery):
        return query
    optional = sum(1 for c in query.clauses if c.occur is Occur.SHOULD)
    return dataclasses.replace(query, min_should_match=min_should_match(optional, spec))


def _strip_unbalanced_quotes(text: str) -> str:
    # Solr's dismax drops all quotes when they do not pair up.
    return text if text.count('"') % 2 == 0 else text.replace('"', " ")


def _strip_dangling_operators(text: str) -> str:
    # Lone "+"/"-" words are dropped rather than applied to the next word.
    words = [w for w in text.split() if w.strip("+-")]
    while words and words[-1] in _OPERATOR_WORDS:
        words.pop()
    while words and words[0] in ("AND", "OR"):
        words.pop(0)
    return " ".join(words)


def _escape_all(text: str) -> str:
    words = [_ALL_SPECIAL.sub(r"\\\1", w) for w in text.split() if w not in _OPERATOR_WORDS]
    return " ".join(w for w in words if w)
