"""What CKAN 2.11 sends to Solr, rebuilt without importing CKAN or pysolr.

The request bodies follow pysolr 3.11 byte for byte (``Solr.add`` without boosts posts a JSON
array, ``delete``/``commit`` post XML built with ElementTree), and
:func:`package_search_params` follows ``ckan.lib.search.query.PackageSearchQuery.run``, so the
tests exercise the service with the traffic it will really see.
"""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ElementTree
from typing import Any

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
SITE_ID = "senate-catalog-test"
QUERY_FIELDS = "name^4 title^4 tags^2 groups^2 text"


def pysolr_add_body(docs: list[dict[str, Any]]) -> bytes:
    """``Solr.add(docs)`` body: nulls and empty strings dropped, JSON-encoded, UTF-8."""
    cleaned = [{k: v for k, v in doc.items() if v is not None and v != ""} for doc in docs]
    return json.JSONEncoder().encode(cleaned).encode("utf-8")


def pysolr_add_xml_body(docs: list[dict[str, Any]], boost: dict[str, float]) -> bytes:
    """``Solr.add(docs, boost=...)`` body: pysolr switches to XML when boosts are given."""
    message = ElementTree.Element("add")
    for doc in docs:
        doc_el = ElementTree.SubElement(message, "doc")
        for key, value in doc.items():
            for bit in value if isinstance(value, (list, tuple, set)) else (value,):
                if bit is None or bit == "":
                    continue
                attrs = {"name": key}
                if key in boost:
                    attrs["boost"] = str(boost[key])
                field = ElementTree.SubElement(doc_el, "field", **attrs)
                field.text = ("true" if bit else "false") if isinstance(bit, bool) else str(bit)
    return ElementTree.tostring(message, encoding="utf-8")


def pysolr_delete_body(*, ids: list[str] | None = None, q: str | None = None) -> bytes:
    """``Solr.delete(id=...)`` or ``Solr.delete(q=...)`` body."""
    root = ElementTree.Element("delete")
    for doc_id in ids or []:
        ElementTree.SubElement(root, "id").text = doc_id
    if q is not None:
        ElementTree.SubElement(root, "query").text = q
    return ElementTree.tostring(root)


def ckan_delete_query(package_id: str, site_id: str = SITE_ID) -> str:
    """The query ``PackageSearchIndex.delete_package`` sends."""
    return ('+entity_type:package AND +(id:"%s" OR name:"%s") AND +site_id:"%s"'
            % (package_id, package_id, site_id))


def package_search_params(q: str = "", *, fq: str = "", labels: list[str] | None = None,
                          rows: int = 20, start: int = 0,
                          sort: str = "score desc, metadata_modified desc",
                          facet_fields: tuple[str, ...] = ("organization", "groups", "tags",
                                                           "res_format", "license_id"),
                          fl: str = "id validated_data_dict") -> dict[str, Any]:
    """The Solr params of ``package_search`` for an anonymous or ordinary user.

    Mirrors ``logic.action.get.package_search`` (capacity/state filters) followed by
    ``PackageSearchQuery.run`` (site filter, permission labels, dismax defaults).
    """
    user_fq = "+capacity:public " + fq + " +state:(active)"
    query: dict[str, Any] = {"q": q or "*:*", "fl": fl, "rows": rows + 1, "start": start,
                             "sort": sort, "facet.field": list(facet_fields), "df": "text"}
    query["fq"] = [user_fq, f'+site_id:"{SITE_ID}"']
    if labels is not None:
        query["fq"].append("+permission_labels:(%s)" % " OR ".join(f'"{p}"' for p in labels))
    query.update({"facet": "true", "facet.limit": "50", "facet.mincount": 1, "wt": "json"})
    if ":" not in query["q"]:
        query.update({"defType": "dismax", "tie": "0.1", "mm": "2<-1 5<80%",
                      "qf": QUERY_FIELDS})
    query["q.op"] = "AND"
    return query


def ckan_index_doc(name: str, title: str, *, notes: str = "", tags: tuple[str, ...] = (),
                   groups: tuple[str, ...] = (), organization: str | None = "data-office",
                   private: bool = False, state: str = "active", dataset_type: str = "dataset",
                   modified: str = "2025-01-15T08:30:00.123456", formats: tuple[str, ...] = (),
                   extras: dict[str, str] | None = None,
                   labels: tuple[str, ...] = ("public",)) -> dict[str, Any]:
    """A package document shaped as ``PackageSearchIndex.index_package`` sends it to Solr."""
    package_id = hashlib.md5(name.encode()).hexdigest()
    package = {"id": package_id, "name": name, "title": title, "notes": notes, "type": dataset_type,
               "state": state, "private": private, "metadata_modified": modified,
               "tags": [{"name": t} for t in tags]}
    doc: dict[str, Any] = {
        "id": package_id, "name": name, "title": title, "notes": notes,
        "author": "Data Team", "maintainer": "Data Office",
        "license_id": "odc-by", "owner_org": "org-1" if organization else None,
        "private": private, "state": state, "type": dataset_type, "version": "1.0",
        "url": f"https://senate.example/{name}", "num_tags": len(tags),
        "num_resources": len(formats), "metadata_created": "2024-12-01T00:00:00.000001Z",
        "metadata_modified": modified + "Z", "creator_user_id": "user-1",
        "validated_data_dict": json.dumps(package), "data_dict": json.dumps(package),
        "title_string": title, "tags": list(tags), "groups": list(groups),
        "capacity": "private" if private else "public", "organization": organization,
        "res_name": [f"{name}.{f.lower()}" for f in formats], "res_format": list(formats),
        "res_url": [f"https://senate.example/{name}.{f.lower()}" for f in formats],
        "res_description": ["" for _ in formats], "res_type": [None for _ in formats],
        "entity_type": "package", "dataset_type": dataset_type, "site_id": SITE_ID,
        "index_id": hashlib.md5(f"{package_id}{SITE_ID}".encode()).hexdigest(),
        "permission_labels": list(labels),
    }
    for key, value in (extras or {}).items():
        doc["extras_" + key] = value
    return doc
