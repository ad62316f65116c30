"""/update: adding (JSON and XML, as pysolr sends them), deleting, committing, rejecting."""

from __future__ import annotations

from tests.search_service import wire
from tests.search_service.conftest import SolrClient


def _ids(result: dict) -> list[str]:
    return [doc["id"] for doc in result["response"]["docs"]]


def test_add_json_commit_then_select(solr: SolrClient) -> None:
    doc = wire.ckan_index_doc("senate-votes", "Senate votes 2024", tags=("votes", "senate"),
                              formats=("CSV",))
    reply = solr.add(doc)
    assert reply.status == 200, reply.body
    assert reply.json()["responseHeader"]["status"] == 0
    found = solr.select(q="name:senate-votes", fl="*")["response"]
    assert found["numFound"] == 1
    stored = found["docs"][0]
    assert stored["tags"] == ["votes", "senate"]  # multiValued stays a list
    assert stored["res_format"] == ["CSV"]
    assert stored["title"] == "Senate votes 2024"  # single-valued is a scalar
    assert stored["metadata_modified"] == "2025-01-15T08:30:00.123Z"  # millisecond precision
    assert stored["validated_data_dict"] == doc["validated_data_dict"]
    # stored="false" fields (text, permission_labels, the "*" catch-all) are not returned
    assert "permission_labels" not in stored and "private" not in stored


def test_add_xml_with_repeated_fields_becomes_lists(solr: SolrClient) -> None:
    doc = wire.ckan_index_doc("xml-doc", "Sent as XML", tags=("a", "b", "c"))
    body = wire.pysolr_add_xml_body([doc], boost={"title": 2.0})
    reply = solr.request("update", {"commit": "true"}, body=body,
                         content_type=wire.XML_CONTENT_TYPE)
    assert reply.status == 200, reply.body
    stored = solr.select(q="id:" + doc["id"], fl="tags,num_tags")["response"]["docs"][0]
    assert stored == {"tags": ["a", "b", "c"]}  # num_tags is not stored in CKAN's schema


def test_readding_a_document_replaces_it(solr: SolrClient) -> None:
    solr.add(wire.ckan_index_doc("same", "First title"))
    solr.add(wire.ckan_index_doc("same", "Second title"))
    docs = solr.select(q="*:*", fl="title")["response"]["docs"]
    assert docs == [{"title": "Second title"}]


def test_delete_by_id_uses_the_unique_key(solr: SolrClient) -> None:
    keep, drop = wire.ckan_index_doc("keep", "Keep"), wire.ckan_index_doc("drop", "Drop")
    solr.add(keep, drop)
    assert solr.delete(ids=[drop["index_id"]]).status == 200
    assert _ids(solr.select(q="*:*", fl="id")) == [keep["id"]]


def test_delete_by_ckan_delete_package_query(solr: SolrClient) -> None:
    keep, drop = wire.ckan_index_doc("keep", "Keep"), wire.ckan_index_doc("drop", "Drop")
    solr.add(keep, drop)
    assert solr.delete(q=wire.ckan_delete_query(drop["name"])).status == 200
    assert _ids(solr.select(q="*:*", fl="id")) == [keep["id"]]


def test_clear_index_query_removes_everything_for_the_site(solr: SolrClient) -> None:
    solr.add(*(wire.ckan_index_doc(f"d{i}", f"Doc {i}") for i in range(5)))
    solr.delete(q=f'+site_id:"{wire.SITE_ID}"')
    assert solr.commit().status == 200
    assert solr.select(q="*:*")["response"]["numFound"] == 0


def test_json_command_object_and_optimize(solr: SolrClient) -> None:
    body = (b'{"add": {"doc": {"index_id": "k1", "id": "1", "site_id": "s", "title": "One"}},'
            b' "add": {"doc": {"index_id": "k2", "id": "2", "site_id": "s", "title": "Two"}},'
            b' "delete": {"id": "k1"}, "commit": {}}')
    assert solr.request("update/json", body=body,
                        content_type="application/json").status == 200
    assert solr.request("update", {"commit": "true"}, body=b"<optimize />",
                        content_type=wire.XML_CONTENT_TYPE).status == 200
    assert _ids(solr.select(q="*:*", fl="id")) == ["2"]


def test_documents_that_break_the_schema_are_rejected_like_solr(solr: SolrClient) -> None:
    base = {"index_id": "k", "id": "1", "site_id": "s"}
    cases = {
        "multiple values encountered for non multiValued field": {**base, "title": ["a", "b"]},
        "missing required field: site_id": {"index_id": "k", "id": "1"},
        "missing mandatory uniqueKey field": {"id": "1", "site_id": "s"},
        "Invalid Date String": {**base, "metadata_modified": "last tuesday"},
        "atomic updates": {**base, "title": {"set": "x"}},
    }
    for expected, doc in cases.items():
        reply = solr.add(doc)
        assert reply.status == 400, expected
        assert expected in reply.json()["error"]["msg"]
    assert solr.select(q="*:*")["response"]["numFound"] == 0


def test_a_bad_document_rejects_the_whole_batch(solr: SolrClient) -> None:
    good = wire.ckan_index_doc("good", "Good")
    bad = {**wire.ckan_index_doc("bad", "Bad"), "metadata_created": "not a date"}
    assert solr.add(good, bad).status == 400
    assert solr.select(q="*:*")["response"]["numFound"] == 0


def test_malformed_update_bodies_are_400(solr: SolrClient) -> None:
    assert solr.request("update", body=b"<add><doc>", content_type="text/xml").status == 400
    assert solr.request("update", body=b"[{", content_type="application/json").status == 400
