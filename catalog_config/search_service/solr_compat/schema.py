"""Read a Solr ``schema.xml``: field types, fields, dynamic fields, copyFields, uniqueKey.

Only what the service needs is kept: how each field's values are stored, matched and sorted.
Nothing is hard-coded for CKAN; the service reads whatever schema it is given.
"""

from __future__ import annotations

import fnmatch
import logging
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from solr_compat.errors import SchemaError

log = logging.getLogger(__name__)

#: Value kinds the service knows how to store and compare.
KINDS = ("string", "text", "integer", "float", "date", "boolean", "binary")

# Matched against the end of a fieldType's class (e.g. "solr.IntPointField").
_CLASS_KINDS = (
    ("StrField", "string"), ("TextField", "text"), ("BoolField", "boolean"),
    ("IntPointField", "integer"), ("LongPointField", "integer"),
    ("TrieIntField", "integer"), ("TrieLongField", "integer"),
    ("FloatPointField", "float"), ("DoublePointField", "float"),
    ("TrieFloatField", "float"), ("TrieDoubleField", "float"),
    ("DatePointField", "date"), ("TrieDateField", "date"), ("BinaryField", "binary"),
)


@dataclass(frozen=True)
class TextAnalysis:
    """How a TextField is analysed, read from its (index) analyzer chain."""

    stem: bool = False
    split_case: bool = False
    fold_ascii: bool = False
    ngram: bool = False


@dataclass(frozen=True)
class FieldType:
    """A ``<fieldType>``: its value kind plus defaults fields inherit."""

    name: str
    kind: str
    analysis: TextAnalysis
    multi_valued: bool = False
    sort_missing: str = "natural"  # "first", "last", or "natural" (as lowest value)


@dataclass(frozen=True)
class FieldInfo:
    """A concrete field (declared or matched by a dynamic pattern)."""

    name: str
    type: FieldType
    multi_valued: bool
    stored: bool
    indexed: bool
    required: bool = False
    default: str | None = None

    @property
    def kind(self) -> str:
        return self.type.kind


@dataclass(frozen=True)
class CopyField:
    """``<copyField source=.. dest=..>``; either side may hold one ``*`` glob."""

    source: str
    dest: str


class Schema:
    """A parsed schema; look fields up with :meth:`field`."""

    def __init__(self, *, name: str, unique_key: str, fields: dict[str, FieldInfo],
                 dynamic_fields: list[FieldInfo], copy_fields: list[CopyField]) -> None:
        self.name = name
        self.unique_key = unique_key
        self.fields = fields
        # Solr tries dynamic patterns longest first, so "*_date" wins over "*".
        self.dynamic_fields = sorted(dynamic_fields, key=lambda f: -len(f.name))
        self.copy_fields = copy_fields
        self.field = lru_cache(maxsize=4096)(self._lookup_field)

    def _lookup_field(self, name: str) -> FieldInfo | None:
        """The field named ``name``, or None if neither a field nor a dynamic pattern fits."""
        if name in self.fields:
            return self.fields[name]
        for pattern in self.dynamic_fields:
            if fnmatch.fnmatchcase(name, pattern.name):
                return FieldInfo(name=name, type=pattern.type, multi_valued=pattern.multi_valued,
                                 stored=pattern.stored, indexed=pattern.indexed)
        return None

    def copy_targets(self, source: str) -> list[str]:
        """Fields that values of ``source`` are copied into (not transitively, as in Solr)."""
        targets = []
        for copy in self.copy_fields:
            dest = _copy_dest(copy, source)
            if dest is not None and dest != source:
                targets.append(dest)
        return targets


def _copy_dest(copy: CopyField, source: str) -> str | None:
    if "*" not in copy.source:
        return copy.dest if copy.source == source else None
    if not fnmatch.fnmatchcase(source, copy.source):
        return None
    if "*" not in copy.dest:
        return copy.dest
    prefix, _, suffix = copy.source.partition("*")
    matched = source[len(prefix):len(source) - len(suffix)]
    return copy.dest.replace("*", matched, 1)


def load_schema(path: Path) -> Schema:
    """Parse the schema.xml at ``path``; raise SchemaError with the reason if it is unusable."""
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        raise SchemaError(f"cannot read Solr schema {path}: {exc}") from exc
    return parse_schema(root, source=str(path))


def parse_schema(root: ElementTree.Element, *, source: str = "schema.xml") -> Schema:
    """Build a Schema from the ``<schema>`` element."""
    types = {t.name: t for t in (_parse_type(el) for el in _children(root, "fieldType"))}
    declared = (_parse_field(el, types, source) for el in _children(root, "field"))
    fields = {f.name: f for f in declared}
    dynamic = [_parse_field(el, types, source) for el in _children(root, "dynamicField")]
    copies = [CopyField(el.get("source", ""), el.get("dest", "")) for el in root.iter("copyField")]
    key_el = root.find("uniqueKey")
    if key_el is None or not (key_el.text or "").strip():
        raise SchemaError(f"{source} has no <uniqueKey>; the service needs one to store documents")
    return Schema(name=root.get("name", ""), unique_key=key_el.text.strip(), fields=fields,
                  dynamic_fields=dynamic, copy_fields=copies)


def _children(root: ElementTree.Element, tag: str) -> list[ElementTree.Element]:
    # Old schemas spell it <fieldtype>; types and fields may sit in wrappers or at top level.
    return [el for el in root.iter() if el.tag.lower() == tag.lower()]


def _parse_type(el: ElementTree.Element) -> FieldType:
    cls = el.get("class", "")
    kind = next((k for suffix, k in _CLASS_KINDS if cls.endswith(suffix)), None)
    if kind is None:
        log.warning("fieldType %s has unknown class %s; treating it as a string",
                    el.get("name"), cls)
        kind = "string"
    missing = "natural"
    if _flag(el.get("sortMissingLast")):
        missing = "last"
    elif _flag(el.get("sortMissingFirst")):
        missing = "first"
    return FieldType(name=el.get("name", ""), kind=kind, analysis=_parse_analysis(el),
                     multi_valued=_flag(el.get("multiValued")), sort_missing=missing)


def _parse_analysis(type_el: ElementTree.Element) -> TextAnalysis:
    analyzers = type_el.findall("analyzer")
    chosen = next((a for a in analyzers if a.get("type") == "index"),
                  analyzers[0] if analyzers else None)
    if chosen is None:
        return TextAnalysis()
    tokenizer = chosen.find("tokenizer")
    filters = chosen.findall("filter")
    classes = [f.get("class", "") for f in filters]
    delimiter = next((f for f in filters if "WordDelimiter" in f.get("class", "")), None)
    return TextAnalysis(
        stem=any("Stem" in c or "Snowball" in c for c in classes),
        # WordDelimiter(Graph)Filter splits on case change unless told not to.
        split_case=delimiter is not None and delimiter.get("splitOnCaseChange", "1") != "0",
        fold_ascii=any("ASCIIFolding" in c for c in classes),
        ngram=tokenizer is not None and "NGram" in tokenizer.get("class", ""),
    )


def _parse_field(el: ElementTree.Element, types: dict[str, FieldType], source: str) -> FieldInfo:
    name, type_name = el.get("name", ""), el.get("type", "")
    if type_name not in types:
        raise SchemaError(f"{source}: field {name!r} uses undefined fieldType {type_name!r}")
    ftype = types[type_name]
    multi = el.get("multiValued")
    return FieldInfo(
        name=name, type=ftype,
        multi_valued=_flag(multi) if multi is not None else ftype.multi_valued,
        stored=_flag(el.get("stored", "true")), indexed=_flag(el.get("indexed", "true")),
        required=_flag(el.get("required")), default=el.get("default"))


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"
