"""Parse Solr's standard ("lucene") query syntax into a query tree.

Boolean operators combine clauses the way Lucene's classic QueryParser does (its ``addClause``
rules), so ``a OR b c`` means the same here as in Solr. Unfielded clauses get ``field=None``;
the caller fills in the default field afterwards (see :mod:`solr_compat.query_resolve`).
"""

from __future__ import annotations

from dataclasses import dataclass

from solr_compat.errors import QuerySyntaxError
from solr_compat.lucene_lexer import Kind, Token, has_wildcard, tokenize, wildcard_regex
from solr_compat.query_ast import (
    BooleanQuery, Clause, ExistsQuery, FuzzyQuery, MatchAllQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery, WildcardQuery, with_boost)
from solr_compat.settings import DEFAULT_FUZZY_EDITS


@dataclass(frozen=True)
class ParsedQuery:
    """The tree plus whether the text used explicit AND/OR (edismax's mm depends on it)."""

    query: Query
    explicit_operators: bool


def parse_lucene(text: str, *, default_and: bool) -> ParsedQuery:
    """Parse ``text``; ``default_and`` is ``q.op=AND`` (clauses without operators are required)."""
    parser = _Parser(text, tokenize(text), default_and=default_and)
    query = parser.query(field=None)
    parser.expect(Kind.EOF)
    return ParsedQuery(query, parser.explicit_operators)


class _Parser:
    def __init__(self, text: str, tokens: list[Token], *, default_and: bool) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0
        self.default_and = default_and
        self.explicit_operators = False

    # -- token helpers -------------------------------------------------------------------
    def peek(self, offset: int = 0) -> Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.index += 1
        return token

    def expect(self, kind: Kind) -> Token:
        if self.peek().kind is not kind:
            raise self.unexpected(f'was expecting "{kind.value}"')
        return self.advance()

    def unexpected(self, hint: str = "") -> QuerySyntaxError:
        token = self.peek()
        shown = token.raw or token.text or token.kind.value
        detail = f'Encountered "{shown}" at column {token.pos + 1}'
        return QuerySyntaxError(self.text, f"{detail}. {hint}".strip())

    # -- grammar -------------------------------------------------------------------------
    def query(self, field: str | None) -> Query:
        """Clauses up to ``)`` or the end: ``[conj] [modifier] clause ...``."""
        clauses: list[Clause] = []
        while self.peek().kind not in (Kind.RPAREN, Kind.EOF):
            conj = None
            if self.peek().kind in (Kind.AND, Kind.OR):
                if not clauses:
                    raise self.unexpected()
                conj = self.advance().kind
                self.explicit_operators = True
            modifier = None
            if self.peek().kind in (Kind.PLUS, Kind.MINUS, Kind.NOT):
                modifier = self.advance().kind
            self._add_clause(clauses, conj, modifier, self.clause(field))
        if not clauses:
            raise self.unexpected("Was expecting a query clause")
        if len(clauses) == 1 and clauses[0].occur is not Occur.MUST_NOT:
            return clauses[0].query
        return BooleanQuery(tuple(clauses))

    def _add_clause(self, clauses: list[Clause], conj: Kind | None, modifier: Kind | None,
                    query: Query) -> None:
        # Lucene's QueryParserBase.addClause, including its quirks.
        if clauses and conj is Kind.AND and clauses[-1].occur is not Occur.MUST_NOT:
            clauses[-1] = Clause(Occur.MUST, clauses[-1].query)
        if clauses and self.default_and and conj is Kind.OR \
                and clauses[-1].occur is not Occur.MUST_NOT:
            clauses[-1] = Clause(Occur.SHOULD, clauses[-1].query)
        prohibited = modifier in (Kind.MINUS, Kind.NOT)
        if self.default_and:
            required = not prohibited and conj is not Kind.OR
        else:
            required = modifier is Kind.PLUS or (conj is Kind.AND and not prohibited)
        occur = Occur.MUST_NOT if prohibited else Occur.MUST if required else Occur.SHOULD
        clauses.append(Clause(occur, query))

    def clause(self, field: str | None) -> Query:
        """``[field:] (term | "phrase" | range | /regex/ | ( query ))`` with suffixes."""
        if self.peek().kind is Kind.TERM and self.peek(1).kind is Kind.COLON:
            field = self.advance().text
            self.advance()
            if field == "*" and self.peek().kind is Kind.TERM and self.peek().raw == "*":
                self.advance()
                return with_boost(MatchAllQuery(), self._boost())
        token = self.advance()
        if token.kind is Kind.LPAREN:
            inner = self.query(field)
            self.expect(Kind.RPAREN)
            return with_boost(inner, self._boost())
        if token.kind is Kind.TERM:
            return self._term(field, token)
        if token.kind is Kind.PHRASE:
            slop = self._tilde(default=0)
            return with_boost(PhraseQuery(field, token.text, int(slop)), self._boost())
        if token.kind is Kind.RANGE and token.bounds is not None:
            b = token.bounds
            if b.lower is None and b.upper is None:
                return with_boost(ExistsQuery(field), self._boost())
            return with_boost(RangeQuery(field, b.lower, b.upper, b.include_lower,
                                         b.include_upper), self._boost())
        if token.kind is Kind.REGEX:
            return with_boost(RegexQuery(field, token.text), self._boost())
        self.index -= 1
        raise self.unexpected("Was expecting a term, phrase, range or group")

    def _term(self, field: str | None, token: Token) -> Query:
        if token.raw == "*":
            # "field:*" asks whether the field has a value; a bare "*" matches everything.
            query: Query = ExistsQuery(field) if field is not None else MatchAllQuery()
        elif has_wildcard(token.raw):
            query = WildcardQuery(field, token.text, wildcard_regex(token.raw))
        elif self.peek().kind is Kind.TILDE:
            edits = self._tilde(default=DEFAULT_FUZZY_EDITS)
            # Lucene allows at most 2 edits; old-style similarities (0.0-1.0) mean the maximum.
            query = FuzzyQuery(field, token.text, min(int(edits), 2) if edits >= 1 else 2)
        else:
            query = TermQuery(field, token.text)
        return with_boost(query, self._boost())

    def _tilde(self, *, default: float) -> float:
        if self.peek().kind is not Kind.TILDE:
            return default
        text = self.advance().text
        return float(text) if text else default

    def _boost(self) -> float:
        if self.peek().kind is not Kind.CARET:
            return 1.0
        return float(self.advance().text)
