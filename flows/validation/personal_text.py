"""Personal data in any text, as people actually write it: Thai national ID numbers, Thai phone
numbers, e-mail addresses and Thai passport numbers.

``find_personal_data(text)`` returns every hit with its kind and its span in ``text``; the table
scan (``personal_data.py``), the log redactor (``flows/logs.py``) and the metadata checks all use
it, so one written form is caught everywhere or nowhere. ``tests/validation/leak_corpus.yaml``
lists the forms that must be caught and the look-alikes that must not
(``python -m tests.validation.leak_corpus`` prints recall and precision).

How a text is read
------------------
1. **Folded** character by character (``fold_text``): Unicode format characters (category Cf:
   zero-width space and joiners, word joiner, BOM, soft hyphen, bidi marks) are dropped, because
   they are invisible and only ever split a value; every decimal digit (Thai ๐-๙, full-width
   ０-９, ...) becomes its ASCII digit; full-width ASCII (＠, Ａ) becomes ASCII; every space
   separator (NBSP, thin, ideographic) becomes a space and every dash (‐ – — −) a hyphen. Hits
   are reported on the original text: spans map back over the dropped characters.
2. **Numbers are read as chains**: digit groups (or bracketed groups such as ``(02)``, ``(0)``)
   joined by one separator, that is one or two spaces, or ``-`` / ``.`` with an optional space
   around it. Commas, slashes and colons end a chain, so amounts (``1,234,567``), dates
   (``5/8/2562``), times and document numbers (``สว 0014/1234``) never join into one number.
   A chain ``<int>.<1-2 digits>`` or ``0.<digits>`` is a decimal amount and holds nothing. A
   chain labelled ISBN, ISSN, EAN or GTIN holds nothing, nor does one inside a hexadecimal
   digest or identifier (32 or more hex characters, or a UUID, standing alone): the checksums
   and run ids of the pipeline's own reports and quality histories hold a valid-looking 13-digit
   run about once in a hundred, and a digest is never a person's number.

What counts
-----------
- **nid** — 13 digits with a valid mod-11 check digit and a first digit 0-8. A first digit 9 is
  reserved (Thai Wikipedia, *เลขประจำตัวประชาชนไทย*: numbers beginning with 9 are kept for the
  persons exempt from the numbering, the Queen and royal family; Microsoft Purview's Thai ID
  type also excludes 9), which also rules out every ISBN-13 and EAN from 978/979. First digit 0
  is kept: persons without registration status get 0-numbers, and a miss costs more than a
  false alarm. The whole chain may be grouped any way (at most 5 groups, pairs and triples, or
  the 13 digits one by one with one separator) unless it is a thousands grouping (``1 234 567 890 123``: an amount). Inside a longer chain only a 13-digit
  group or the official 1-4-5-2-1 grouping, set off by spaces, counts: a run of vote counts
  ("2562 146 250 5 3 1") must not be read as an ID. 14 digits and more never match.
- **phone** — a Thai mobile (06/08/09 + 8 digits) or landline (02-07 + 7 digits) number,
  ``0…``, ``+66…``, ``(+66)…``, ``0066…``, with ``(0)`` or brackets around the prefix; a mobile
  also as ``66…`` without the plus. Every group after the
  first has at least 3 digits, so dates and times written in pairs (``09-08-2562 14``) are not
  read as numbers. Not glued to a Latin word or to ``/`` or ``:`` plus digits (``doc0812…``,
  ``5/0812…``). Phones separated by spaces in a list are each found.
- **email** — ``local@domain.tld`` with Unicode local parts and Thai-script (IDN) domains
  (``สมชาย@ตัวอย่าง.ไทย``), full-width ``＠``, and the obfuscations ``[at]``/``(at)``/``(แอท)`` and
  ``[dot]``/``(dot)``/``(ดอท)``. A file name such as ``icon@2x.png`` is not an address.
- **passport** — a Thai passport number: two Latin capitals and 7 digits (``AA1234567``,
  ``AB 1234567``), as in the machine-readable zone's 9-character document number. One capital
  and 7 digits (the older form) is also the shape of many ordinary codes (``R1234567``), so it
  counts only with the word passport / หนังสือเดินทาง / พาสปอร์ต shortly before it. Lower-case
  letters, or letters or digits glued on either side, are not a passport number.

Inside a URL an ID always counts (its check digit is evidence enough), but a phone, e-mail or
passport counts only as a query value (after ``=``, as in ``?phone=0812345678``): a path segment
(``/call/0812345678``) or user info (``https://user@host``) names a document or a login, not a
person. ``tel:`` and ``mailto:`` links are not URLs here, so their values always count.

An allow-list (``ContactAllowList``: the agency's published mailboxes and phones) removes the
hits that equal one of its entries after normalisation.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import chain as chained
from typing import Iterable, Iterator, NamedTuple, Protocol, Sequence

import numpy as np



class AllowList(Protocol):
    """What ``find_personal_data`` asks of an allow-list (flows.validation.contact_allow_list's
    ``ContactAllowList``, which normalises with this module's helpers)."""

    def allows(self, kind: str, written: str) -> bool: ...

KINDS = ("nid", "phone", "email", "passport")


@dataclass(frozen=True)
class PersonalDataHit:
    """One value found: its kind, the characters as written in the input, and where."""

    kind: str   # "nid" | "phone" | "email" | "passport"
    text: str   # text[start:end] of the input, format characters included
    start: int
    end: int


def find_personal_data(text: str, *,
                       allow: AllowList | None = None) -> list[PersonalDataHit]:
    """Every national ID, phone number, e-mail address and passport number in ``text``, in
    order, without the values ``allow`` lists. Spans index ``text`` as given."""
    folded = fold_text(text)
    hits = []
    for hit in _hits_in(folded.text):
        start, end = folded.span(hit.start, hit.end)
        written = text[start:end]
        if allow is None or not allow.allows(hit.kind, written):
            hits.append(PersonalDataHit(kind=hit.kind, text=written, start=start, end=end))
    return hits


def is_valid_national_id(digits: str) -> bool:
    """True when ``digits`` (13 decimal digits, any script) carries a valid mod-11 check digit."""
    digits = digits.translate(fold_table())
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    return _check_digit_ok(digits)


def canonical_phone(text: str) -> str | None:
    """The national-format digits (``"028319167"``) of the first Thai phone number written in
    ``text`` (``"+66 2 831 9167"``), or None."""
    folded = fold_text(text).text
    for hit in _phones_in(folded, _chains_in(folded), _url_spans(folded)):
        return hit.value
    return None


def canonical_email(text: str) -> str | None:
    """``local@domain`` of the first address in ``text``, obfuscations undone, the local part
    lower-cased and the domain in its IDNA (``xn--``) form, or None."""
    folded = fold_text(text).text
    for match in _email_matches(folded, _Spans([])):
        return _email_value(match["local"], match["domain"])
    return None


# --- folding ---------------------------------------------------------------------------------

class FoldedText(NamedTuple):
    """``text`` folded for matching, and where each folded character came from."""

    text: str
    origin: np.ndarray | None  # index in the original of each folded character; None: same

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the original text of the folded span ``start:end``."""
        if self.origin is None:
            return start, end
        return int(self.origin[start]), int(self.origin[end - 1]) + 1


def fold_text(text: str) -> FoldedText:
    """Drop format characters and fold digits, spaces, dashes and full-width ASCII (see above)."""
    folded = text.translate(fold_table())
    if len(folded) == len(text):
        return FoldedText(folded, None)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kept = np.flatnonzero(~np.isin(codes, _format_codes()))
    return FoldedText(folded, kept)


@cache
def fold_table() -> dict[int, int | None]:
    """The ``str.translate`` table of ``fold_text``, built once on first use (≈ 0.1 s); the
    table scan derives its prefilter from it."""
    table: dict[int, int | None] = {}
    for code in _planes():
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cf":
            table[code] = None
        elif category == "Nd" and code > 0x7F:
            table[code] = 0x30 + unicodedata.decimal(char)
        elif category == "Zs" and code != 0x20:
            table[code] = 0x20
        elif category == "Pd" and code != 0x2D:
            table[code] = 0x2D
    table.update({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})  # full-width ASCII
    table.update({0x2212: 0x2D, 0xFE6B: 0x40})  # minus sign, small commercial at
    return table


@cache
def _format_codes() -> np.ndarray:
    """Every code point of category Cf (format characters), sorted."""
    return np.array(sorted(code for code, to in fold_table().items() if to is None),
                    dtype=np.uint32)


def _planes() -> Iterator[int]:
    """The code points worth a look: the basic and supplementary multilingual planes and the
    tags block (every Cf and Nd character outside them is unassigned today)."""
    return chained(range(0x20000), range(0xE0000, 0xE0080))


# --- hits on folded text -----------------------------------------------------------------------

class _Hit(NamedTuple):
    kind: str
    start: int
    end: int
    value: str  # canonical value of a phone (national digits), an ID or a passport; "" for e-mail


def _hits_in(folded: str) -> list[_Hit]:
    """All hits in folded text, by start. An e-mail wins over the digits inside it, a phone
    over an ID window it overlaps (``0066…`` is a phone, not an ID starting with 00)."""
    urls = _url_spans(folded)
    chains = list(_chains_in(folded))
    emails = [_Hit("email", *match.span(), "") for match in _email_matches(folded, urls)]
    taken = _Spans((hit.start, hit.end) for hit in emails)
    phones = [hit for hit in _phones_in(folded, chains, urls)
              if not taken.overlaps(hit.start, hit.end)]
    passports = [hit for hit in _passports_in(folded, urls)
                 if not taken.overlaps(hit.start, hit.end)]
    taken = _Spans((hit.start, hit.end) for hit in emails + phones)
    ids = [hit for hit in _ids_in(chains) if not taken.overlaps(hit.start, hit.end)]
    return sorted(emails + phones + ids + passports, key=lambda hit: hit.start)


class _Spans:
    """Sorted, non-overlapping spans, asked "inside?" and "overlapping?" by bisection: a
    joined table chunk can hold 10⁵ URLs and hits, where a pairwise test would be quadratic."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._starts = [start for start, _ in self._spans]

    def covers(self, position: int) -> bool:
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._spans[index][1]

    def overlaps(self, start: int, end: int) -> bool:
        # only the last span starting before ``end`` can reach past ``start``
        index = bisect_left(self._starts, end) - 1
        return index >= 0 and self._spans[index][1] > start


_URL = re.compile(r"(?:https?|ftp)://[!-~]+|www\.[!-~]+")


def _url_spans(folded: str) -> _Spans:
    if "//" not in folded and "www." not in folded:
        return _Spans([])
    return _Spans(match.span() for match in _URL.finditer(folded))


def _allowed_in_url(folded: str, start: int, urls: _Spans) -> bool:
    """Outside URLs always; inside one only as a query value (right after ``=``)."""
    return not urls.covers(start) or folded[start - 1:start] == "="


# --- numbers: IDs and phones ---------------------------------------------------------------------

# One or two spaces, or "-" / "." with an optional space on either side; a bracket group needs
# no separator. The look-ahead is a cheap necessary condition (9 digits with short gaps), so
# the Python-level reading below only meets chains that may hold a phone or an ID.
_SEPARATOR = r"(?: ?[-.] ?| {1,2})"
_GROUP = r"(?:\(\+?\d{1,4}\)|\d+)"
NUMBER_CHAIN = re.compile(
    rf"(?<!\d)\+?(?=(?:[^\d\n]{{0,3}}\d){{9}}){_GROUP}"
    rf"(?:(?:{_SEPARATOR}|(?<=\))|(?=\(\d)){_GROUP})*+")
_GROUPS = re.compile(r"\(\+?(\d{1,4})\)|(\d+)")
_LABELLED = re.compile(r"(?i)\b(?:ISBN|ISSN|EAN|GTIN)(?:-1[03])? ?:? *\Z")
_PHONE_DIGITS = re.compile(r"0[689]\d{8}|0[2-7]\d{7}")
#: The country code written without its "+": only a mobile number, whose 11 digits are unlikely
#: to be anything else (a landline's 10 would be).
_BARE_COUNTRY_CODE = re.compile(r"66([689]\d{8})")
_OFFICIAL_ID_GROUPING = [1, 4, 5, 2, 1]
_NATIONAL_ID_WEIGHTS = tuple(range(13, 1, -1))


class _Group(NamedTuple):
    digits: str
    bracketed: bool
    start: int
    end: int


class _Chain(NamedTuple):
    groups: list[_Group]
    separators: list[str]  # separators[k] joins groups[k] and groups[k + 1]
    plus: bool             # written with a leading "+"
    start: int
    end: int


#: A hex digest (sha256, md5, ...) or a UUID, not glued to other letters or digits.
_DIGEST = re.compile(r"(?<![0-9A-Za-z])(?:[0-9a-fA-F]{32,}"
                     r"|[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})(?![0-9A-Za-z])")


def _chains_in(folded: str) -> Iterator[_Chain]:
    """The number chains that may hold an ID or a phone (see the module docstring)."""
    digests = _Spans(match.span() for match in _DIGEST.finditer(folded))
    for match in NUMBER_CHAIN.finditer(folded):
        start, end = match.span()
        if digests.covers(start):
            continue
        groups = [_Group(m.group(1) or m.group(2), m.group(1) is not None, *m.span())
                  for m in _GROUPS.finditer(folded, start, end)]
        separators = [folded[a.end:b.start] for a, b in zip(groups, groups[1:])]
        plus = folded[start] == "+" or folded.startswith("(+", start)   # +66 …, (+66) …
        chain = _Chain(groups, separators, plus, start, end)
        if not _is_decimal(chain) and not _LABELLED.search(folded, max(0, start - 16), start):
            yield chain


def _is_decimal(chain: _Chain) -> bool:
    """``1101700123456.25`` or ``0.812345678``: an amount, whatever its digits."""
    groups, separators = chain.groups, chain.separators
    if len(groups) != 2 or separators[0] != ".":
        return False
    return len(groups[1].digits) <= 2 or groups[0].digits == "0"


def _set_off(chain: _Chain, first: int, last: int) -> bool:
    """Whether groups ``first..last`` stand apart in their chain: at its ends or by spaces."""
    def spaced(separator: str) -> bool:
        return separator != "" and separator.strip() == ""
    return ((first == 0 or spaced(chain.separators[first - 1]))
            and (last == len(chain.groups) - 1 or spaced(chain.separators[last])))


def _window_hit(kind: str, chain: _Chain, first: int, last: int, value: str) -> _Hit:
    start = chain.start if first == 0 else chain.groups[first].start
    end = chain.groups[last].end
    return _Hit(kind, start, end, value)


def _phones_in(folded: str, chains: Iterable[_Chain], urls: _Spans) -> Iterator[_Hit]:
    for chain in chains:
        for hit in _phone_windows(chain):
            if _phone_context_ok(folded, hit, chain) and _allowed_in_url(folded, hit.start, urls):
                yield hit


def _phone_windows(chain: _Chain) -> Iterator[_Hit]:
    """The phone numbers in a chain, left to right, each the shortest that reads as one."""
    count, first = len(chain.groups), 0
    while first < count:
        found = None
        for last in range(first, min(count, first + 6)):
            if _set_off(chain, first, last):
                found = _phone_number(chain.groups[first:last + 1], chain.plus and first == 0)
                if found:
                    yield _window_hit("phone", chain, first, last, found)
                    break
        first = last + 1 if found else first + 1


def _phone_number(groups: Sequence[_Group], plus: bool) -> str | None:
    """National-format digits when ``groups`` are written like a Thai phone number."""
    digits = [group.digits for group in groups]
    brackets = [group.bracketed for group in groups]
    bare = _BARE_COUNTRY_CODE.fullmatch("".join(digits))
    if bare and not plus and not any(brackets) and (len(digits) == 1 or digits[0] == "66"):
        return "0" + bare.group(1)   # 66812345678, 66 81 234 5678: a mobile without its "+"
    if plus or digits[0].startswith("0066"):
        code = "66" if plus else "0066"
        if not digits[0].startswith(code) or (brackets[0] and digits[0] != code):
            return None
        digits[0] = digits[0][len(code):]
        digits, brackets = _without_trunk_zero(digits, brackets)
        if not digits:
            return None
        national = "0" + "".join(digits)
    else:
        national = "".join(digits)
    shaped = all(len(part) >= 3 for part in digits[1:]) and not any(brackets[1:])
    return national if shaped and _PHONE_DIGITS.fullmatch(national) else None


def _without_trunk_zero(digits: list[str], brackets: list[bool]) -> tuple[list[str], list[bool]]:
    """After +66: drop an empty rest of the country-code group, a ``(0)`` or ``0`` group, and
    the 0 of ``081`` (``+66 (0) 81 …``, ``+66 081 …`` are common ways to write ``+66 81 …``)."""
    if digits and digits[0] == "":
        digits, brackets = digits[1:], brackets[1:]
    if digits and digits[0] == "0":
        digits, brackets = digits[1:], brackets[1:]
    elif digits and digits[0].startswith("0"):
        digits = [digits[0][1:], *digits[1:]]
    return digits, brackets


# \Z, not $: "$" also matches before a final line break, which ends the previous table cell.
_GLUED_BEFORE = re.compile(r"[A-Za-z_&%#@]\Z|\d[/:]\Z")
_GLUED_AFTER = re.compile(r"[A-Za-z_]|[/:]\d")


def _phone_context_ok(folded: str, hit: _Hit, chain: _Chain) -> bool:
    """Not glued to a Latin word or to ``/``, ``:`` plus digits (file names, dates, times)."""
    if hit.start == chain.start and _GLUED_BEFORE.search(folded, max(0, hit.start - 2),
                                                         hit.start):
        return False
    return not (hit.end == chain.end and _GLUED_AFTER.match(folded, hit.end))


def _ids_in(chains: Iterable[_Chain]) -> Iterator[_Hit]:
    for chain in chains:
        for first, last in _id_windows(chain):
            digits = "".join(group.digits for group in chain.groups[first:last + 1])
            if digits[0] != "9" and _check_digit_ok(digits):
                yield _window_hit("nid", chain, first, last, digits)


def _id_windows(chain: _Chain) -> Iterator[tuple[int, int]]:
    """The group ranges of a chain that may be written IDs (see the module docstring)."""
    sizes = [0 if group.bracketed else len(group.digits) for group in chain.groups]
    if sum(sizes) == 13 and all(sizes):
        if _id_grouping(sizes, chain.separators):
            yield 0, len(sizes) - 1
        return
    for first, size in enumerate(sizes):
        if size == 13 and _set_off(chain, first, first):
            yield first, first
        last = first + len(_OFFICIAL_ID_GROUPING) - 1
        if sizes[first:last + 1] == _OFFICIAL_ID_GROUPING and _set_off(chain, first, last):
            yield first, last


def _id_grouping(sizes: list[int], separators: list[str]) -> bool:
    """Whether 13 digits in these groups may be a written ID: at most 5 groups, or pairs and
    triples with one separator (``11 01 70 01 23 45 6``); never a thousands grouping. Many
    short groups with mixed sizes are counts ("250 0 0 0 250 2562"), not an ID."""
    if _thousands_grouping(sizes, separators):
        return False
    uniform = len(set(separators)) == 1
    return (len(sizes) <= 5 or (uniform and all(2 <= size <= 4 for size in sizes[:-1]))
            or (uniform and all(size == 1 for size in sizes)))   # 1 1 0 3 7 0 2 … one by one


def _thousands_grouping(sizes: list[int], separators: list[str]) -> bool:
    """``1 234 567 890 123`` / ``1.234.567.890.123``: an amount, not an ID."""
    return (len(sizes) > 1 and 1 <= sizes[0] <= 3 and all(size == 3 for size in sizes[1:])
            and len(set(separators)) == 1 and separators[0] in (" ", "."))


def _check_digit_ok(digits: str) -> bool:
    """(11 − Σ dᵢ·(14−i) mod 11) mod 10 == d₁₃, for 13 ASCII digits."""
    total = sum(int(digit) * weight for digit, weight in zip(digits, _NATIONAL_ID_WEIGHTS))
    return (11 - total % 11) % 10 == int(digits[12])


# --- e-mail addresses ---------------------------------------------------------------------------

_AT = r"(?:@| ?[\[(] ?(?i:at|แอท) ?[\])] ?)"
_DOT = r"(?:\.| ?[\[(] ?(?i:dot|ดอท) ?[\])] ?)"
# Non-ASCII word characters, and the Thai vowel and tone marks that \w leaves out. The two
# classes must stay disjoint and the runs possessive: overlapping alternatives under a
# repetition backtrack exponentially on a long Thai word before an "@" that is no address.
_UNICODE_WORD = r"[^\W\x00-\x7F]|[\u0E31\u0E34-\u0E3A\u0E47-\u0E4E]"
_LOCAL = (r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9_%+\-][A-Za-z0-9._%+\-]*+(?<!\.)"
          rf"|(?<![\w\u0E00-\u0E7F.%+\-])(?:{_UNICODE_WORD})(?:{_UNICODE_WORD}|[0-9._%+\-])*+")
_LABEL = rf"(?:[A-Za-z0-9]|{_UNICODE_WORD})(?:[A-Za-z0-9\-]|{_UNICODE_WORD})*+"
_TLD = r"(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9\-]{2,59})(?![A-Za-z0-9\-])|ไทย"
EMAIL = re.compile(rf"(?P<local>{_LOCAL})(?P<at>{_AT})(?P<domain>{_LABEL}(?:{_DOT}{_LABEL})*"
                   rf"{_DOT}(?P<tld>{_TLD}))")
_AT_TOKEN = re.compile(_AT)
_DOT_TOKEN = re.compile(_DOT)
#: Retina assets and the like: ``icon@2x.png`` has the shape of an address.
_FILE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "js", "css",
                              "html", "htm", "json", "xml", "csv", "zip"})


def _email_matches(folded: str, urls: _Spans) -> Iterator[re.Match[str]]:
    """The addresses in folded text (their canonical value is computed only when asked for:
    IDNA encoding is the costliest step and the scan does not need it)."""
    if "@" not in folded and not _AT_TOKEN.search(folded):
        return
    for match in EMAIL.finditer(folded):
        if match["tld"].lower() in _FILE_EXTENSIONS:
            continue
        if _allowed_in_url(folded, match.start(), urls):
            yield match


def _email_value(local: str, domain: str) -> str:
    """``local@domain`` with obfuscations undone, lower case, the domain IDNA-encoded."""
    domain = _DOT_TOKEN.sub(".", domain).lower()
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:  # a label the IDNA codec refuses: compare it as written
        pass
    return f"{local.lower()}@{domain}"


# --- passport numbers ---------------------------------------------------------------------------

PASSPORT = re.compile(r"(?<![A-Za-z0-9])(?P<letters>[A-Z]{1,2})[ \-]?(?P<digits>\d{7})"
                      r"(?![A-Za-z0-9])")
_PASSPORT_WORD = re.compile(r"(?i)passport|หนังสือเดินทาง|พาสปอร์ต")
#: How far before a one-letter number the word "passport" may be.
_PASSPORT_WORD_REACH = 40


def _passports_in(folded: str, urls: _Spans) -> Iterator[_Hit]:
    for match in PASSPORT.finditer(folded):
        if len(match["letters"]) == 1 and not _passport_word_before(folded, match.start()):
            continue
        if _allowed_in_url(folded, match.start(), urls):
            yield _Hit("passport", match.start(), match.end(), match["letters"] + match["digits"])


def _passport_word_before(folded: str, start: int) -> bool:
    line_start = folded.rfind("\n", 0, start) + 1
    return bool(_PASSPORT_WORD.search(folded, max(line_start, start - _PASSPORT_WORD_REACH),
                                      start))
