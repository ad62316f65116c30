"""Parse /update request bodies (XML or JSON) into commands.

pysolr 3.11 sends ``add()`` as a JSON array of documents (XML only when boosts are given),
and ``delete()``/``commit()``/``optimize()`` as XML (``<delete><query>..</query></delete>``,
``<commit />``). Both formats are accepted for every command, as Solr does.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any, Union

from solr_compat.documents import RawDocument
from solr_compat.errors import BadRequest, DocumentError


@dataclass(frozen=True)
class AddDocs:
    docs: list[RawDocument]
    overwrite: bool = True


@dataclass(frozen=True)
class Delete:
    ids: list[str] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Commit:
    """``commit`` and ``optimize`` (both just make changes durable here)."""


@dataclass(frozen=True)
class Rollback:
    pass


Command = Union[AddDocs, Delete, Commit, Rollback]
_JSON_COMMANDS = ("add", "delete", "commit", "optimize", "rollback")


def parse_update(body: bytes, *, content_type: str, json_docs: bool = False) -> list[Command]:
    """Commands in ``body``; ``json_docs`` is set for /update/json/docs (a bare doc or list)."""
    if not body.strip():
        return []
    if "json" in content_type:
        is_xml = False
    elif "xml" in content_type:
        is_xml = True
    else:
        is_xml = body.lstrip()[:1] == b"<"
    return _parse_xml(body) if is_xml else _parse_json(body, json_docs=json_docs)


# -- XML -------------------------------------------------------------------------------------
def _parse_xml(body: bytes) -> list[Command]:
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise BadRequest(f"Unable to parse XML update message: {exc}") from exc
    elements = [root] if root.tag in ("add", "delete", "commit", "optimize", "rollback") \
        else list(root)
    return [_xml_command(el) for el in elements]


def _xml_command(el: ElementTree.Element) -> Command:
    if el.tag == "add":
        return AddDocs([_xml_doc(doc) for doc in el.findall("doc")],
                       overwrite=el.get("overwrite", "true") != "false")
    if el.tag == "delete":
        return Delete(ids=[(i.text or "").strip() for i in el.findall("id") if i.text],
                      queries=[q.text or "" for q in el.findall("query") if q.text])
    if el.tag in ("commit", "optimize"):
        return Commit()
    if el.tag == "rollback":
        return Rollback()
    raise BadRequest(f"Unexpected <{el.tag}> in update message")


def _xml_doc(doc: ElementTree.Element) -> RawDocument:
    raw: RawDocument = {}
    for child in doc:
        if child.tag == "doc":
            raise DocumentError("child documents are not supported")
        if child.tag != "field":
            continue
        name = child.get("name")
        if not name:
            raise DocumentError("a <field> element has no name attribute")
        if child.get("update"):
            raise DocumentError(f"atomic updates are not supported (field '{name}')")
        if child.get("null") == "true":
            raw.setdefault(name, [])
            continue
        raw.setdefault(name, []).append(child.text or "")
    return raw


# -- JSON ------------------------------------------------------------------------------------
class _Pairs(list):
    """A JSON object kept as (key, value) pairs, since Solr's JSON allows repeated keys."""


def _parse_json(body: bytes, *, json_docs: bool) -> list[Command]:
    try:
        data = json.loads(body.decode("utf-8"), object_pairs_hook=_Pairs)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"Unable to parse JSON update message: {exc}") from exc
    if isinstance(data, _Pairs):
        if json_docs or not any(k in _JSON_COMMANDS for k, _ in data):
            return [AddDocs([_json_doc(data)])]
        return [_json_command(k, v) for k, v in data]
    if isinstance(data, list):
        return [AddDocs([_json_doc(d) for d in data])]
    raise BadRequest("JSON update messages must be an object or an array of documents")


def _json_command(key: str, value: Any) -> Command:
    if key == "add":
        options = dict(value) if isinstance(value, _Pairs) else {}
        if "doc" not in options:
            raise BadRequest('a JSON "add" command needs a "doc"')
        overwrite = options.get("overwrite", True) is not False
        return AddDocs([_json_doc(options["doc"])], overwrite=overwrite)
    if key == "delete":
        return _json_delete(value)
    if key in ("commit", "optimize"):
        return Commit()
    if key == "rollback":
        return Rollback()
    raise BadRequest(f"Unknown command '{key}' in JSON update message")


def _json_delete(value: Any) -> Delete:
    if isinstance(value, str):
        return Delete(ids=[value])
    if isinstance(value, _Pairs):
        options = dict(value)
        ids, query = options.get("id"), options.get("query")
        return Delete(ids=[str(ids)] if ids is not None else [],
                      queries=[query] if query is not None else [])
    if isinstance(value, list):
        return Delete(ids=[str(v) for v in value])
    raise BadRequest(f"Cannot understand JSON delete command: {value!r}")


def _json_doc(value: Any) -> RawDocument:
    if not isinstance(value, _Pairs):
        raise BadRequest(f"Expected a JSON object for a document, got {value!r}"[:300])
    raw: RawDocument = {}
    for name, item in value:
        values = item if isinstance(item, list) and not isinstance(item, _Pairs) else [item]
        raw.setdefault(name, []).extend(_plain(v) for v in values)
    return raw


def _plain(value: Any) -> Any:
    """Nested objects back to dicts (documents.py rejects them with a clear message)."""
    if isinstance(value, _Pairs):
        return {k: _plain(v) for k, v in value}
    return value
