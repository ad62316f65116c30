"""Reading the catalog's HTML pages the way a visitor gets them: anonymous GETs, parsed with the
standard library (the tests need no HTML package)."""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

THAI = re.compile(r"[\u0E00-\u0E7F]")

#: What CKAN's stock home and about pages say (English msgids; their Thai translations are read
#: from CKAN's own catalogue, ``stock_texts``), and the stock images' paths.
STOCK_MSGIDS = ("Welcome to CKAN", "This is a featured section", "Search data", "Popular tags",
                "E.g. environment", "Powered by")
#: The stock paragraphs, by their first words (their msgids run on for lines).
STOCK_PARAGRAPHS = (
    "This is a nice introductory paragraph about CKAN or the site",
    "<p>CKAN is the world’s leading open-source data portal platform.",
    "<p>CKAN is a complete out-of-the-box software solution",
)
STOCK_MARKERS = ("420 x 220", "placeholder-420x220.png", "/base/images/ckan-logo.png",
                 "placeholder-group.png", "placeholder-organization.png", "ckan-footer-logo")


def get(url: str) -> tuple[int, str]:
    """Status and text of an anonymous GET (CKAN answers 200 or raises for an error page)."""
    request = urllib.request.Request(url, headers={"Accept-Language": "th"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8")


def stock_texts(ckan_venv: Path) -> list[str]:
    """The stock strings in English and in CKAN's own Thai translation (its ckan.po)."""
    texts = [*STOCK_MSGIDS, *(p.removeprefix("<p>") for p in STOCK_PARAGRAPHS), *STOCK_MARKERS]
    po = next(ckan_venv.glob("lib/python3*/site-packages/ckan/i18n/th/LC_MESSAGES/ckan.po"), None)
    if po is None:
        return texts
    translations = _po_translations(po.read_text(encoding="utf-8"))
    texts += [translations[msgid] for msgid in STOCK_MSGIDS if translations.get(msgid)]
    for start in STOCK_PARAGRAPHS:
        for source, target in translations.items():
            if source.startswith(start) and target:
                # the first words are enough to recognise the stock paragraph
                texts.append(target.removeprefix("<p>").split("\n")[0][:40].strip())
    return [t for t in texts if t]


def _po_translations(text: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for block in text.split("\n\n"):
        msgid = _po_field(block, "msgid")
        if msgid:
            entries[msgid] = _po_field(block, "msgstr")
    return entries


def _po_field(block: str, name: str) -> str:
    match = re.search(rf'^{name} ((?:".*"\n?)+)', block, re.M)
    if not match:
        return ""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
    return "".join(parts).replace('\\"', '"').replace("\\n", "\n")


@dataclass
class Row:
    """One row of a two-column table: its heading, its cell's text and the cell's attributes."""

    label: str
    value: str
    attrs: dict[str, str] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Collects the table rows (th + td), the headings of facets and the text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.inputs: list[dict[str, str]] = []
        self.facet_headings: list[str] = []
        self._stack: list[str] = []
        self._th: list[str] | None = None
        self._td: list[str] | None = None
        self._td_attrs: dict[str, str] = {}
        self._row_label: str | None = None
        self._facet: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "input":
            self.inputs.append(attributes)
        elif tag == "tr":
            self._row_label = None
        elif tag == "th" and attributes.get("scope") == "row":
            self._th = []
        elif tag == "td" and self._row_label is not None:
            self._td, self._td_attrs = [], attributes
        elif tag == "h2" and "module-heading" in attributes.get("class", ""):
            self._facet = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._th is not None:
            self._row_label, self._th = _clean(self._th), None
        elif tag == "td" and self._td is not None:
            self.rows.append(Row(self._row_label or "", _clean(self._td), self._td_attrs))
            self._td, self._row_label = None, None
        elif tag == "h2" and self._facet is not None:
            self.facet_headings.append(_clean(self._facet))
            self._facet = None

    def handle_data(self, data: str) -> None:
        for part in (self._th, self._td, self._facet):
            if part is not None:
                part.append(data)


def parse(text: str) -> PageParser:
    parser = PageParser()
    parser.feed(text)
    return parser


def _clean(parts: list[str]) -> str:
    return " ".join(" ".join(parts).split())
