"""The query tree the parsers build and the evaluator walks.

Leaf queries name a field; ``field=None`` means "the default field", filled in after parsing
(``df`` for the lucene parser, the ``qf`` fields for edismax). Every node carries a ``boost``.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import Optional, Union


class Occur(enum.Enum):
    """How a clause takes part in a boolean query (Lucene's BooleanClause.Occur)."""

    MUST = "+"
    SHOULD = ""
    MUST_NOT = "-"


@dataclass(frozen=True)
class MatchAllQuery:
    boost: float = 1.0


@dataclass(frozen=True)
class MatchNoneQuery:
    boost: float = 1.0


@dataclass(frozen=True)
class TermQuery:
    field: Optional[str]
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class PhraseQuery:
    field: Optional[str]
    text: str
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class WildcardQuery:
    """``pattern`` uses ``*`` and ``?``; escaped characters are already literal in ``regex``."""

    field: Optional[str]
    pattern: str
    regex: str
    boost: float = 1.0


@dataclass(frozen=True)
class RegexQuery:
    field: Optional[str]
    pattern: str
    boost: float = 1.0


@dataclass(frozen=True)
class FuzzyQuery:
    field: Optional[str]
    text: str
    max_edits: int
    boost: float = 1.0


@dataclass(frozen=True)
class RangeQuery:
    """``lower``/``upper`` of None mean an open end (``*``)."""

    field: Optional[str]
    lower: Optional[str]
    upper: Optional[str]
    include_lower: bool = True
    include_upper: bool = True
    boost: float = 1.0


@dataclass(frozen=True)
class ExistsQuery:
    """``field:*`` or ``field:[* TO *]``: the field has any value."""

    field: Optional[str]
    boost: float = 1.0


@dataclass(frozen=True)
class Clause:
    occur: Occur
    query: "Query"


@dataclass(frozen=True)
class BooleanQuery:
    clauses: tuple[Clause, ...]
    min_should_match: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class DisMaxQuery:
    """Best of ``disjuncts`` plus ``tie`` times the others (dismax over the ``qf`` fields)."""

    disjuncts: tuple["Query", ...]
    tie: float = 0.0
    boost: float = 1.0


LeafQuery = Union[TermQuery, PhraseQuery, WildcardQuery, RegexQuery, FuzzyQuery, RangeQuery,
                  ExistsQuery]
Query = Union[MatchAllQuery, MatchNoneQuery, LeafQuery, BooleanQuery, DisMaxQuery]
LEAF_TYPES = (TermQuery, PhraseQuery, WildcardQuery, RegexQuery, FuzzyQuery, RangeQuery,
              ExistsQuery)


def with_boost(query: Query, boost: float) -> Query:
    """A copy of ``query`` with its boost multiplied by ``boost``."""
    if boost == 1.0:
        return query
    return dataclasses.replace(query, boost=query.boost * boost)


def with_field(query: LeafQuery, field: str, boost: float = 1.0) -> LeafQuery:
    """A copy of leaf ``query`` aimed at ``field`` (boost multiplied by ``boost``)."""
    return dataclasses.replace(query, field=field, boost=query.boost * boost)
