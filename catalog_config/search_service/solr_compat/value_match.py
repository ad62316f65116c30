"""Match leaf queries against untokenised values: strings, numbers, dates, booleans.

String fields match exactly (after NFC normalisation, case-sensitive, as Solr's StrField);
numbers and dates compare by value, so ranges and sorting follow their order, and date bounds
may use date math (``NOW-1DAY``). Matches score ``boost * sqrt(tf)``; ranges, wildcards and
existence checks score a constant ``boost``, as Solr's constant-score queries do.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import datetime
from typing import Any, Callable, Optional

from solr_compat.datemath import format_instant, parse_date_math
from solr_compat.documents import IndexedDoc
from solr_compat.errors import BadRequest
from solr_compat.query_ast import (
    ExistsQuery, FuzzyQuery, LeafQuery, PhraseQuery, RangeQuery, RegexQuery, TermQuery,
    WildcardQuery)
from solr_compat.schema import FieldInfo
from solr_compat.text_match import within_edits

Matcher = Callable[[IndexedDoc], Optional[float]]
Predicate = Callable[[Any], bool]


def compile_value_leaf(query: LeafQuery, info: FieldInfo, *, now: datetime) -> Matcher:
    """A function scoring a document against ``query`` on non-text field ``info``."""
    predicate = _predicate(query, info, now)
    scored = isinstance(query, (TermQuery, PhraseQuery))

    def match(doc: IndexedDoc) -> Optional[float]:
        values = comparable_values(doc, info)
        tf = sum(1 for v in values if predicate(v))
        if not tf:
            return None
        return query.boost * math.sqrt(tf) if scored else query.boost

    return match


def comparable_values(doc: IndexedDoc, info: FieldInfo) -> list[Any]:
    """The field's values in comparable form (strings NFC-normalised), cached per document."""
    key = ("values", info.name)
    cached = doc.cache.get(key)
    if cached is None:
        raw = doc.fields.get(info.name, ())
        cached = [unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in raw]
        doc.cache[key] = cached
    return cached


def typed_value(text: str, info: FieldInfo, now: datetime) -> Any:
    """Convert query text to the field's kind (validated earlier, see query_resolve)."""
    if info.kind == "date":
        return parse_date_math(text, now=now)
    if info.kind in ("integer", "float"):
        return float(text)
    if info.kind == "boolean":
        return text.strip().lower() == "true"
    return unicodedata.normalize("NFC", text)


def _predicate(query: LeafQuery, info: FieldInfo, now: datetime) -> Predicate:
    if isinstance(query, ExistsQuery):
        return lambda value: True
    if isinstance(query, (TermQuery, PhraseQuery)):
        wanted = typed_value(query.text, info, now)
        return lambda value: value == wanted
    if isinstance(query, RangeQuery):
        return _range_predicate(query, info, now)
    if isinstance(query, (WildcardQuery, RegexQuery)):
        pattern = query.regex if isinstance(query, WildcardQuery) else query.pattern
        try:
            regex = re.compile(unicodedata.normalize("NFC", pattern), re.DOTALL)
        except re.error as exc:
            raise BadRequest(f"Invalid regular expression /{pattern}/: {exc}") from exc
        return lambda value: regex.fullmatch(_as_text(value)) is not None
    if isinstance(query, FuzzyQuery):
        text = unicodedata.normalize("NFC", query.text)
        return lambda value: within_edits(_as_text(value), text, query.max_edits)
    raise BadRequest(f"unsupported query on field {info.name}: {query}")


def _range_predicate(query: RangeQuery, info: FieldInfo, now: datetime) -> Predicate:
    lower = typed_value(query.lower, info, now) if query.lower is not None else None
    upper = typed_value(query.upper, info, now) if query.upper is not None else None

    def inside(value: Any) -> bool:
        if lower is not None and (value < lower or value == lower and not query.include_lower):
            return False
        return upper is None or value < upper or value == upper and query.include_upper
    return inside


def _as_text(value: Any) -> str:
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
