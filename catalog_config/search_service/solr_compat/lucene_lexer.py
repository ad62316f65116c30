"""Split a Lucene/Solr standard query string into tokens.

Follows Lucene's classic QueryParser lexer: ``+ - ! ( ) : ^ ~ " [ ] { } /`` are special at the
start of a term, ``\\`` escapes any character, ``AND OR NOT && ||`` are operators, and range
bounds (``[a TO b]``) may contain anything but spaces, so dates need no escaping there.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from solr_compat.errors import QuerySyntaxError

_TERM_STOP = set(" \t\r\n\u3000():^~\"[]{}")
_OPERATORS = {"AND": "AND", "OR": "OR", "NOT": "NOT", "&&": "AND", "||": "OR"}


class Kind(enum.Enum):
    TERM = "term"
    PHRASE = "phrase"
    RANGE = "range"
    REGEX = "regex"
    LPAREN = "("
    RPAREN = ")"
    COLON = ":"
    PLUS = "+"
    MINUS = "-"
    NOT = "NOT"
    AND = "AND"
    OR = "OR"
    CARET = "^"
    TILDE = "~"
    EOF = "<EOF>"


@dataclass(frozen=True)
class RangeBounds:
    lower: str | None
    upper: str | None
    include_lower: bool
    include_upper: bool


@dataclass(frozen=True)
class Token:
    """One token; ``text`` is unescaped, ``raw`` keeps escapes (wildcards need them)."""

    kind: Kind
    pos: int
    text: str = ""
    raw: str = ""
    bounds: RangeBounds | None = None


def tokenize(query: str) -> list[Token]:
    """Tokens of ``query`` ending with an EOF token; raise QuerySyntaxError on lexical errors."""
    return _Lexer(query).run()


def unescape(raw: str) -> str:
    """Drop backslash escapes: ``a\\:b`` -> ``a:b``."""
    return re.sub(r"\\(.)", r"\1", raw, flags=re.DOTALL)


def has_wildcard(raw: str) -> bool:
    """True if ``raw`` contains an unescaped ``*`` or ``?``."""
    return re.search(r"(?<!\\)(?:\\\\)*[*?]", raw) is not None


def wildcard_regex(raw: str) -> str:
    """A Python regex for a wildcard term; escaped ``*``/``?`` stay literal."""
    out, i = [], 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw):
            out.append(re.escape(raw[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return "".join(out)


class _Lexer:
    def __init__(self, query: str) -> None:
        self.query = query
        self.pos = 0
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        q = self.query
        while True:
            while self.pos < len(q) and q[self.pos] in " \t\r\n\u3000":
                self.pos += 1
            if self.pos >= len(q):
                self.tokens.append(Token(Kind.EOF, self.pos))
                return self.tokens
            self._next_token()

    def _error(self, detail: str) -> QuerySyntaxError:
        return QuerySyntaxError(self.query, f"{detail} at column {self.pos + 1}.")

    def _emit(self, kind: Kind, length: int = 1, **extra: object) -> None:
        self.tokens.append(Token(kind, self.pos, **extra))  # type: ignore[arg-type]
        self.pos += length

    def _next_token(self) -> None:
        q, ch = self.query, self.query[self.pos]
        simple = {"(": Kind.LPAREN, ")": Kind.RPAREN, ":": Kind.COLON, "+": Kind.PLUS,
                  "-": Kind.MINUS, "!": Kind.NOT}
        if q.startswith(("&&", "||"), self.pos):
            self._emit(Kind.AND if ch == "&" else Kind.OR, 2)
        elif ch in simple:
            self._emit(simple[ch])
        elif ch == '"':
            self._phrase()
        elif ch in "[{":
            self._range()
        elif ch == "/":
            self._regex()
        elif ch in "^~":
            self._number_suffix(Kind.CARET if ch == "^" else Kind.TILDE)
        elif ch in "]}":
            raise self._error(f'Encountered "{ch}"')
        else:
            self._term()

    def _read_until(self, closing: str) -> str:
        """Raw text from after the opening char up to an unescaped ``closing`` (consumed)."""
        q, start, i = self.query, self.pos + 1, self.pos + 1
        while i < len(q) and q[i] != closing:
            i += 2 if q[i] == "\\" else 1
        if i >= len(q):
            raise self._error(f"Lexical error: unterminated {closing}...{closing}, "
                              "encountered <EOF>")
        return q[start:i]

    def _phrase(self) -> None:
        raw = self._read_until('"')
        self._emit(Kind.PHRASE, len(raw) + 2, text=unescape(raw), raw=raw)

    def _regex(self) -> None:
        raw = self._read_until("/")
        self._emit(Kind.REGEX, len(raw) + 2, text=raw.replace("\\/", "/"), raw=raw)

    def _number_suffix(self, kind: Kind) -> None:
        match = re.compile(r"\d+(?:\.\d+)?|\.\d+").match(self.query, self.pos + 1)
        number = match.group() if match else ""
        if kind is Kind.CARET and not number:
            raise self._error('Encountered "^" without a boost number')
        self._emit(kind, 1 + len(number), text=number)

    def _term(self) -> None:
        q, i = self.query, self.pos
        while i < len(q) and q[i] not in _TERM_STOP:
            i += 2 if q[i] == "\\" and i + 1 < len(q) else 1
        raw = q[self.pos:i]
        if raw in _OPERATORS:
            self._emit(Kind[_OPERATORS[raw]], len(raw))
        else:
            self._emit(Kind.TERM, len(raw), text=unescape(raw), raw=raw)

    def _range(self) -> None:
        q, start = self.query, self.pos
        i = start + 1
        parts: list[str | None] = []
        while True:
            while i < len(q) and q[i] in " \t\r\n":
                i += 1
            if i >= len(q):
                self.pos = i
                raise self._error("Encountered <EOF> inside a range")
            if q[i] in "]}":
                break
            i, part = _range_part(q, i)
            parts.append(part)
        if len(parts) != 3 or parts[1] != "TO":
            raise self._error("Range queries need the form [lower TO upper]")
        bounds = RangeBounds(parts[0], parts[2], q[start] == "[", q[i] == "]")
        self._emit(Kind.RANGE, i + 1 - start, bounds=bounds)


def _range_part(q: str, i: int) -> tuple[int, str | None]:
    """Read one range bound (quoted, or anything up to a space or closing bracket)."""
    if q[i] == '"':
        end = i + 1
        while end < len(q) and q[end] != '"':
            end += 2 if q[end] == "\\" else 1
        return end + 1, unescape(q[i + 1:end])
    end = i
    while end < len(q) and q[end] not in " \t\r\n]}":
        end += 1
    word = q[i:end]
    return end, None if word == "*" else unescape(word)
