"""Query parsing: Lucene's boolean rules, ranges, local params, dismax and mm."""

from __future__ import annotations

import pytest

from solr_compat.errors import QuerySyntaxError
from solr_compat.local_params import split_local_params
from solr_compat.lucene_parser import parse_lucene
from solr_compat.min_should_match import min_should_match
from solr_compat.query_ast import (
    BooleanQuery, DisMaxQuery, ExistsQuery, FuzzyQuery, MatchAllQuery, Occur, PhraseQuery,
    RangeQuery, TermQuery, WildcardQuery)


def _occurs(text: str, *, default_and: bool = True) -> list[str]:
    query = parse_lucene(text, default_and=default_and).query
    assert isinstance(query, BooleanQuery)
    return [c.occur.value + c.query.text for c in query.clauses]  # type: ignore[union-attr]


@pytest.mark.parametrize("text, default_and, expected", [
    ("a b", True, ["+a", "+b"]),
    ("a b", False, ["a", "b"]),
    ("a OR b", True, ["a", "b"]),
    ("a AND b", False, ["+a", "+b"]),
    ("a OR b c", True, ["a", "b", "+c"]),  # Lucene's quirk, kept on purpose
    ("+a -b c", False, ["+a", "-b", "c"]),
    ("a NOT b", True, ["+a", "-b"]),
    ("a && b || c", False, ["+a", "+b", "c"]),
])
def test_boolean_operators_follow_lucene(text: str, default_and: bool,
                                          expected: list[str]) -> None:
    assert _occurs(text, default_and=default_and) == expected


def test_fields_groups_phrases_and_boosts() -> None:
    query = parse_lucene('title:(senate "budget plan"^2) tags: x', default_and=True).query
    assert isinstance(query, BooleanQuery)
    group, tags = (c.query for c in query.clauses)
    assert isinstance(group, BooleanQuery)
    assert group.clauses[0].query == TermQuery("title", "senate")
    assert group.clauses[1].query == PhraseQuery("title", "budget plan", boost=2.0)
    assert tags == TermQuery("tags", "x")


def test_ranges_keep_dates_and_date_math_unescaped() -> None:
    query = parse_lucene("metadata_modified:[2024-01-01T00:00:00Z TO NOW/DAY+1DAY}",
                         default_and=True).query
    assert query == RangeQuery("metadata_modified", "2024-01-01T00:00:00Z", "NOW/DAY+1DAY",
                               include_lower=True, include_upper=False)
    assert parse_lucene("res_format:[* TO *]", default_and=True).query == ExistsQuery("res_format")


def test_special_terms() -> None:
    assert parse_lucene("*:*", default_and=True).query == MatchAllQuery()
    assert parse_lucene("name:senate-*", default_and=True).query == \
        WildcardQuery("name", "senate-*", r"senate\-.*")
    assert parse_lucene(r"name:a\*b", default_and=True).query == TermQuery("name", "a*b")
    assert parse_lucene("title:senat~1", default_and=True).query == FuzzyQuery("title", "senat", 1)
    assert parse_lucene("id:abc-123", default_and=True).query == TermQuery("id", "abc-123")


@pytest.mark.parametrize("text", ['title:"open', "title:(a b", "a AND", "OR a", "title:",
                                  "[a TO b", "x^", "a)"])
def test_malformed_queries_raise_syntax_errors(text: str) -> None:
    with pytest.raises(QuerySyntaxError, match="Cannot parse"):
        parse_lucene(text, default_and=True)


def test_local_params() -> None:
    assert split_local_params("{!tag=org}organization:x") == ({"tag": "org"}, "organization:x")
    assert split_local_params("{!dismax qf='title notes' v=\"a b\"}") == (
        {"type": "dismax", "qf": "title notes", "v": "a b"}, "a b")
    assert split_local_params("plain") == ({}, "plain")


@pytest.mark.parametrize("clauses, expected", [(1, 1), (2, 2), (3, 2), (5, 4), (6, 4), (10, 8)])
def test_ckan_mm_spec(clauses: int, expected: int) -> None:
    assert min_should_match(clauses, "2<-1 5<80%") == expected


def test_simple_mm_specs() -> None:
    assert min_should_match(4, "100%") == 4
    assert min_should_match(4, "0%") == 0
    assert min_should_match(4, "-1") == 3
    assert min_should_match(4, "75%") == 3
    assert min_should_match(2, "3") == 2


def test_dismax_builds_one_disjunction_per_word(service_config) -> None:
    from solr_compat.dismax_parser import parse_dismax
    from solr_compat.query_resolve import DefaultFields
    from solr_compat.schema import load_schema

    schema = load_schema(service_config.schema_xml)
    qf = DefaultFields((("name", 4.0), ("title", 4.0), ("text", 1.0)), tie=0.1, dismax=True)
    query = parse_dismax('senate "vote records" -draft title:(x', schema=schema, qf=qf,
                         mm="2<-1 5<80%", default_and=True)
    assert isinstance(query, BooleanQuery)
    assert [c.occur for c in query.clauses] == [Occur.SHOULD, Occur.SHOULD, Occur.MUST_NOT,
                                                Occur.SHOULD]
    first = query.clauses[0].query
    assert isinstance(first, DisMaxQuery) and first.tie == 0.1
    assert [d.field for d in first.disjuncts] == ["name", "title", "text"]  # type: ignore
    assert query.min_should_match == 2  # 3 optional clauses under "2<-1 5<80%"
