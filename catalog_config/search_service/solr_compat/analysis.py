"""Text analysis: normalising, tokenising and stemming text, on both the index and query side.

This approximates the analyzers in CKAN's schema (whitespace tokenizer, word-delimiter splitting,
lowercasing, ASCII folding, English stemming) with simple, predictable rules:

* text is NFC-normalised and lowercased, and (when the field type folds) Latin letters lose
  their accents;
* tokens are runs of letters/digits; a Latin run is also split on case changes (``DataSet``)
  and letter/digit changes (``covid19``), and both the whole run and its parts are indexed;
* stemming only removes English plurals (Lucene's "minimal" S-stemmer), so it never surprises.

Thai is written without spaces between words, so a term containing Thai letters is matched as
a substring of the normalised field text instead of as a token (see :func:`has_thai`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from solr_compat.schema import TextAnalysis

_THAI = "\u0e00-\u0e7f"
_THAI_RE = re.compile(f"[{_THAI}]")
# A run is either Thai (letters and their combining vowel/tone marks) or other letters/digits.
_RUN_RE = re.compile(f"[{_THAI}]+|[^\\W_{_THAI}]+")
_SPACE_RE = re.compile(r"\s+")
# Letters ASCII folding maps that NFKD decomposition does not.
_FOLD_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d"})
_FOLDABLE_RE = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")


@dataclass(frozen=True)
class AnalysedValue:
    """One field value, analysed for matching.

    ``tokens`` (stemmed) serve term queries; ``surface`` (unstemmed) serves wildcard, regex and
    fuzzy queries; ``sequences`` are token sequences for phrase queries; ``normalised`` is the
    whole value for Thai substring matching.
    """

    normalised: str
    tokens: tuple[str, ...]
    surface: tuple[str, ...]
    sequences: tuple[tuple[str, ...], ...]


def has_thai(text: str) -> bool:
    """True if ``text`` contains a Thai character (such terms match as substrings)."""
    return _THAI_RE.search(text) is not None


def normalise(text: str, *, fold: bool = True) -> str:
    """NFC-normalise and lowercase ``text``; fold Latin accents when ``fold`` is set."""
    text = unicodedata.normalize("NFC", text).lower()
    return _fold_ascii(text) if fold else text


def _fold_ascii(text: str) -> str:
    if text.isascii():
        return text
    # Only Latin letters are folded: decomposing Thai would strip its vowel and tone marks.
    return _FOLDABLE_RE.sub(_fold_char, text)


def _fold_char(match: re.Match[str]) -> str:
    ch = match.group().translate(_FOLD_EXTRA)
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


def stem(token: str) -> str:
    """Lucene's EnglishMinimalStemmer: strip plural endings ("studies" -> "study")."""
    n = len(token)
    if n < 3 or token[-1] != "s" or not token.isascii():
        return token
    before = token[-2]
    if before in "us":
        return token
    if before == "e":
        if n > 3 and token[-3] == "i" and token[-4] not in "ae":
            return token[:-3] + "y"
        if token[-3] in "iaoe":
            return token
    return token[:-1]


def split_subwords(run: str, *, split_case: bool) -> list[str]:
    """Split a letter/digit run where letters meet digits and (optionally) at case changes."""
    parts: list[str] = []
    start = 0
    for i in range(1, len(run)):
        if _is_boundary(run, i, split_case):
            parts.append(run[start:i])
            start = i
    parts.append(run[start:])
    return parts


def _is_boundary(run: str, i: int, split_case: bool) -> bool:
    prev, ch = run[i - 1], run[i]
    if prev.isdigit() != ch.isdigit():
        return True
    if not split_case:
        return False
    if prev.islower() and ch.isupper():
        return True
    # "XMLParser" -> "XML" + "Parser": split before the last capital of an upper-case run.
    following = run[i + 1] if i + 1 < len(run) else ""
    return prev.isupper() and ch.isupper() and following.islower()


def analyse_value(text: str, analysis: TextAnalysis) -> AnalysedValue:
    """Analyse one stored value of a text field for the index side."""
    tokens: list[str] = []
    surface: list[str] = []
    whole_runs: list[str] = []
    parts_seq: list[str] = []
    for match in _RUN_RE.finditer(unicodedata.normalize("NFC", text)):
        run = _analyse_run(match.group(), analysis)
        surface.extend(run.surface)
        tokens.extend(run.tokens)
        whole_runs.append(run.tokens[0])
        parts_seq.extend(run.parts)
    sequences = (tuple(whole_runs),) if whole_runs == parts_seq else (
        tuple(whole_runs), tuple(parts_seq))
    return AnalysedValue(normalised=normalise(text, fold=analysis.fold_ascii),
                         tokens=tuple(tokens), surface=tuple(surface), sequences=sequences)


@dataclass(frozen=True)
class _Run:
    surface: tuple[str, ...]  # whole run first, then its parts if it splits
    tokens: tuple[str, ...]  # the same, stemmed
    parts: tuple[str, ...]  # stemmed parts (just the whole run if it does not split)


@lru_cache(maxsize=200_000)
def _analyse_run(run: str, analysis: TextAnalysis) -> _Run:
    # Cached: catalogs repeat the same words endlessly, and this is the hot path of a search.
    parts = [run] if has_thai(run) else split_subwords(run, split_case=analysis.split_case)
    whole = normalise(run, fold=analysis.fold_ascii)
    pieces = [normalise(p, fold=analysis.fold_ascii) for p in parts]
    forms = [whole] + (pieces if len(pieces) > 1 else [])
    return _Run(surface=tuple(forms), tokens=tuple(_maybe_stem(f, analysis) for f in forms),
                parts=tuple(_maybe_stem(p, analysis) for p in pieces))


def query_alternatives(text: str, analysis: TextAnalysis) -> list[list[str]]:
    """Analyse a (non-Thai) query term: one list of tokens per word run in it.

    Each inner list holds alternatives for one run: the whole run, and (if it splits) its parts
    joined with spaces, so "DataSet" matches "dataset" or both "data" and "set".
    """
    alternatives = []
    for match in _RUN_RE.finditer(unicodedata.normalize("NFC", text)):
        run = match.group()
        forms = [_maybe_stem(normalise(run, fold=analysis.fold_ascii), analysis)]
        parts = split_subwords(run, split_case=analysis.split_case)
        if len(parts) > 1:
            forms.append(" ".join(_maybe_stem(normalise(p, fold=analysis.fold_ascii), analysis)
                                  for p in parts))
        alternatives.append(forms)
    return alternatives


def query_tokens(text: str, analysis: TextAnalysis) -> list[str]:
    """The query-side token sequence of ``text`` (one token per run), for phrase matching."""
    return [_maybe_stem(normalise(m.group(), fold=analysis.fold_ascii), analysis)
            for m in _RUN_RE.finditer(unicodedata.normalize("NFC", text))]


def squash_spaces(text: str) -> str:
    """Remove all whitespace (Thai phrases are compared without word gaps)."""
    return _SPACE_RE.sub("", text)


def _maybe_stem(token: str, analysis: TextAnalysis) -> str:
    return stem(token) if analysis.stem else token
