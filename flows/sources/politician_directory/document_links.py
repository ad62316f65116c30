"""The ``document`` list of a Senate vote → record_url, summary_url, other_documents.

Each entry is ``{title, link}``. The first linked entry titled ``บันทึกการประชุม…`` (minutes of the
sitting) becomes ``record_url``, the first linked entry titled ``สรุปการประชุม…`` (summary of the
sitting) becomes ``summary_url``; every other entry is kept, in source order, in
``other_documents`` as ``title | url`` joined with `` ; ``. Entries with neither a title nor a
link are upstream padding and are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from flows.sources.cells import to_cell

RECORD_PREFIX = "บันทึกการประชุม"
SUMMARY_PREFIX = "สรุปการประชุม"
TITLE_SEPARATOR = " | "
ENTRY_SEPARATOR = " ; "


@dataclass(frozen=True)
class DocumentLink:
    title: str | None
    link: str | None

    @property
    def text(self) -> str:
        """``title | url`` as written into other_documents."""
        return f"{self.title or ''}{TITLE_SEPARATOR}{self.link or ''}"


@dataclass(frozen=True)
class DocumentLinks:
    record_url: str | None
    summary_url: str | None
    other_documents: str | None
    #: Entries with a title but no link, or a link but no title (kept in other_documents).
    incomplete: tuple[DocumentLink, ...] = ()
    #: Entries whose text contains a separator, so other_documents cannot be split back.
    ambiguous: tuple[DocumentLink, ...] = ()


def read_document_links(entries: Sequence[Mapping[str, Any]]) -> DocumentLinks:
    """Split a vote's document entries into the three link columns (see the module docstring)."""
    links = [DocumentLink(to_cell(entry.get("title")), to_cell(entry.get("link")))
             for entry in entries]
    links = [link for link in links if link.title or link.link]
    record = _first_linked(links, RECORD_PREFIX)
    summary = _first_linked(links, SUMMARY_PREFIX)
    others = [link for link in links if link is not record and link is not summary]
    return DocumentLinks(
        record_url=record.link if record else None,
        summary_url=summary.link if summary else None,
        other_documents=ENTRY_SEPARATOR.join(link.text for link in others) or None,
        incomplete=tuple(link for link in links if not (link.title and link.link)),
        ambiguous=tuple(link for link in others if _has_separator(link)))


def _first_linked(links: list[DocumentLink], prefix: str) -> DocumentLink | None:
    return next((link for link in links
                 if link.link and (link.title or "").startswith(prefix)), None)


def _has_separator(link: DocumentLink) -> bool:
    return any(separator in (part or "")
               for part in (link.title, link.link)
               for separator in (TITLE_SEPARATOR, ENTRY_SEPARATOR))
