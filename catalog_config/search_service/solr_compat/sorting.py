"""The ``sort`` parameter: ``score desc, metadata_modified desc``, ``title_string asc``, ...

Ties keep index order (the order documents were last added), as Solr's internal doc ids do.
Missing values follow the field type's ``sortMissingLast``/``sortMissingFirst``; without them
they sort as the lowest value, as in Solr.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from solr_compat.analysis import normalise
from solr_compat.documents import IndexedDoc
from solr_compat.errors import BadRequest
from solr_compat.schema import FieldInfo, Schema

#: One search hit: (document, score).
Hit = tuple[IndexedDoc, float]


@dataclass(frozen=True)
class SortKey:
    field: str  # "score", "_docid_" or a schema field
    descending: bool
    info: FieldInfo | None = None


def parse_sort(spec: str | None, schema: Schema) -> list[SortKey]:
    """Parse ``spec``; errors use the wording CKAN looks for to report an invalid sort."""
    if spec is None or not spec.strip():
        return [SortKey("score", True)]
    keys = []
    for part in spec.split(","):
        words = part.split()
        if len(words) != 2 or words[1].lower() not in ("asc", "desc"):
            raise BadRequest("Can't determine a Sort Order (asc or desc) in sort spec "
                             f"'{part.strip()}'")
        keys.append(_sort_key(words[0], words[1].lower() == "desc", schema))
    return keys


def _sort_key(name: str, descending: bool, schema: Schema) -> SortKey:
    if name in ("score", "_docid_"):
        return SortKey(name, descending)
    info = schema.field(name)
    if info is None:
        raise BadRequest(f"sort param field can't be found: {name}")
    if info.multi_valued:
        raise BadRequest(f"can not sort on multivalued field: {name}")
    return SortKey(name, descending, info)


def sort_hits(hits: list[Hit], keys: list[SortKey]) -> list[Hit]:
    """Sort ``hits`` (already in index order) by ``keys``, most significant first."""
    ordered = list(hits)
    # Stable sorts from the least significant key up give a multi-key sort with mixed directions.
    for key in reversed(keys):
        ordered = _sort_one(ordered, key)
    return ordered


def _sort_one(hits: list[Hit], key: SortKey) -> list[Hit]:
    if key.field == "score":
        return sorted(hits, key=lambda h: h[1], reverse=key.descending)
    if key.field == "_docid_":
        return list(reversed(hits)) if key.descending else hits
    present = [(h, _value(h[0], key.info)) for h in hits]
    with_value = [p for p in present if p[1] is not None]
    missing = [p[0] for p in present if p[1] is None]
    with_value.sort(key=lambda p: p[1], reverse=key.descending)
    ordered = [p[0] for p in with_value]
    policy = key.info.type.sort_missing if key.info else "natural"
    if policy == "last" or policy == "natural" and key.descending:
        return ordered + missing
    return missing + ordered


def _value(doc: IndexedDoc, info: FieldInfo | None) -> Any:
    if info is None:
        return None
    values = doc.fields.get(info.name)
    if not values:
        return None
    value = values[0]
    # Text fields sort by their normalised text (Solr would refuse; this is more useful).
    return normalise(value) if info.kind == "text" else value
