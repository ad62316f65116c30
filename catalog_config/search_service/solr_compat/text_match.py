"""Match leaf queries against text (TextField) values.

Latin terms match analysed tokens; terms containing Thai match as substrings of the normalised
text (Thai has no spaces between words, so a token match would only find whole phrases);
n-gram fields (``title_ngram``) match substrings for every term, as n-grams effectively do.
Scores follow Lucene's shape without idf: ``boost * sqrt(tf) / sqrt(field length)``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional

from solr_compat.analysis import (
    AnalysedValue, analyse_value, has_thai, normalise, query_alternatives, query_tokens,
    squash_spaces)
from solr_compat.documents import IndexedDoc
from solr_compat.errors import BadRequest
from solr_compat.query_ast import (
    ExistsQuery, FuzzyQuery, LeafQuery, PhraseQuery, RangeQuery, RegexQuery, TermQuery,
    WildcardQuery)
from solr_compat.schema import FieldInfo, Schema

Matcher = Callable[[IndexedDoc], Optional[float]]


@dataclass(frozen=True)
class FieldText:
    """All values of one text field of one document, analysed (cached on the document)."""

    values: tuple[AnalysedValue, ...]
    counts: Counter
    length: int


def field_text(doc: IndexedDoc, info: FieldInfo) -> FieldText:
    """The analysed values of ``info`` in ``doc``, computed once per document and field."""
    key = ("text", info.name)
    cached = doc.cache.get(key)
    if cached is None:
        values = tuple(analyse_value(str(v), info.type.analysis)
                       for v in doc.fields.get(info.name, ()))
        counts: Counter = Counter()
        for value in values:
            counts.update(value.tokens)
        cached = FieldText(values, counts, sum(len(v.tokens) for v in values))
        doc.cache[key] = cached
    return cached


def analyse_document(doc: IndexedDoc, schema: Schema) -> None:
    """Analyse every text field of ``doc`` now, instead of during its first search."""
    for name in doc.fields:
        info = schema.field(name)
        if info is not None and info.kind == "text":
            field_text(doc, info)


def compile_text_leaf(query: LeafQuery, info: FieldInfo) -> Matcher:
    """A function scoring a document against ``query`` on text field ``info`` (None: no match)."""
    counter = _term_frequency(query, info)
    constant = not isinstance(query, (TermQuery, PhraseQuery))

    def match(doc: IndexedDoc) -> Optional[float]:
        text = field_text(doc, info)
        if not text.values:
            return None
        tf = counter(text)
        if tf <= 0:
            return None
        if constant:
            return query.boost
        return query.boost * math.sqrt(tf) / math.sqrt(max(text.length, 1))

    return match


def _term_frequency(query: LeafQuery, info: FieldInfo) -> Callable[[FieldText], int]:
    analysis = info.type.analysis
    if isinstance(query, ExistsQuery):
        return lambda text: len(text.values)
    if isinstance(query, TermQuery):
        if analysis.ngram or has_thai(query.text):
            needle = normalise(query.text, fold=analysis.fold_ascii)
            return _substring_counter(squash_spaces(needle))
        return _token_counter(query_alternatives(query.text, analysis))
    if isinstance(query, PhraseQuery):
        if analysis.ngram or has_thai(query.text):
            needle = squash_spaces(normalise(query.text, fold=analysis.fold_ascii))
            return lambda text: sum(squash_spaces(v.normalised).count(needle) for v in text.values)
        return _phrase_counter(query_tokens(query.text, analysis), query.slop)
    if isinstance(query, WildcardQuery):
        return _pattern_counter(normalise(query.regex, fold=analysis.fold_ascii),
                                thai=has_thai(query.pattern))
    if isinstance(query, RegexQuery):
        return _pattern_counter(query.pattern, thai=has_thai(query.pattern))
    if isinstance(query, FuzzyQuery):
        return _fuzzy_counter(normalise(query.text, fold=analysis.fold_ascii), query.max_edits)
    if isinstance(query, RangeQuery):
        return _range_counter(query, analysis.fold_ascii)
    raise BadRequest(f"unsupported query on text field {info.name}: {query}")


def _substring_counter(needle: str) -> Callable[[FieldText], int]:
    if not needle:
        return lambda text: 0
    return lambda text: sum(v.normalised.count(needle) for v in text.values)


def _token_counter(runs: list[list[str]]) -> Callable[[FieldText], int]:
    """Every run of the term must match (as a whole token, or as all of its parts)."""
    def count(text: FieldText) -> int:
        total = 0
        for forms in runs:
            found = max((min(text.counts[t] for t in form.split()) for form in forms), default=0)
            if not found:
                return 0
            total += found
        return total
    return count


def _phrase_counter(tokens: list[str], slop: int) -> Callable[[FieldText], int]:
    size = len(tokens)
    wanted = tuple(tokens)

    def count(text: FieldText) -> int:
        if slop > 0:
            # Sloppy phrases are approximated as "all words in the same value".
            return sum(1 for v in text.values if all(t in v.tokens for t in wanted))
        return sum(max(sum(1 for i in range(len(seq) - size + 1) if seq[i:i + size] == wanted)
                       for seq in v.sequences) for v in text.values)
    return count


def _pattern_counter(pattern: str, *, thai: bool) -> Callable[[FieldText], int]:
    try:
        regex = re.compile(pattern, re.DOTALL)
    except re.error as exc:
        raise BadRequest(f"Invalid regular expression /{pattern}/: {exc}") from exc
    if thai:
        # Thai words are not separated, so the pattern may start anywhere in the text.
        return lambda text: sum(1 for v in text.values if regex.search(v.normalised))
    return lambda text: sum(1 for v in text.values for t in v.surface if regex.fullmatch(t))


def _fuzzy_counter(term: str, max_edits: int) -> Callable[[FieldText], int]:
    if has_thai(term):
        return _substring_counter(term)
    return lambda text: sum(1 for v in text.values for t in v.surface
                            if within_edits(t, term, max_edits))


def _range_counter(query: RangeQuery, fold: bool) -> Callable[[FieldText], int]:
    lower = normalise(query.lower, fold=fold) if query.lower is not None else None
    upper = normalise(query.upper, fold=fold) if query.upper is not None else None

    def inside(token: str) -> bool:
        if lower is not None and (token < lower or token == lower and not query.include_lower):
            return False
        return upper is None or token < upper or token == upper and query.include_upper
    return lambda text: sum(1 for v in text.values for t in v.surface if inside(t))


def within_edits(a: str, b: str, max_edits: int) -> bool:
    """True if the Levenshtein distance between ``a`` and ``b`` is at most ``max_edits``."""
    if abs(len(a) - len(b)) > max_edits:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > max_edits:
            return False
        previous = current
    return previous[-1] <= max_edits
