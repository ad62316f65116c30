"""The HTTP surface: ping, schema file, routing, errors and parameter handling."""

from __future__ import annotations

import urllib.parse

from tests.search_service import wire
from tests.search_service.conftest import SCHEMA_XML, SolrClient


def test_ping_answers_ok(solr: SolrClient) -> None:
    reply = solr.request("admin/ping", {"wt": "json"})
    assert reply.status == 200
    assert reply.json()["status"] == "OK"
    assert reply.content_type.startswith("application/json")


def test_schema_endpoint_serves_the_schema_file_bytes(solr: SolrClient) -> None:
    # check_solr_schema_version tries "/schema?wt=schema.xml", then the classic admin file.
    managed = solr.request("schema", {"wt": "schema.xml"})
    classic = solr.request("admin/file", {"file": "schema.xml"})
    assert managed.status == classic.status == 200
    assert managed.body == classic.body == SCHEMA_XML.read_bytes()


def test_schema_endpoint_without_wt_summarises_the_schema(solr: SolrClient) -> None:
    schema = solr.request("schema").json()["schema"]
    assert schema["name"] == "ckan-2.11"
    assert schema["uniqueKey"] == "index_id"


def test_unknown_core_and_handler_are_404(solr: SolrClient) -> None:
    other_core = SolrClient(solr.base_url.rsplit("/", 1)[0] + "/other")
    assert other_core.request("select", {"q": "*:*"}).status == 404
    reply = solr.request("no/such/handler")
    assert reply.status == 404
    assert reply.json()["error"]["code"] == 404


def test_malformed_query_is_a_solr_style_400(solr: SolrClient) -> None:
    reply = solr.request("select", {"q": "title:(senate", "wt": "json"})
    assert reply.status == 400
    error = reply.json()["error"]
    assert error["code"] == 400
    assert error["msg"].startswith("org.apache.solr.search.SyntaxError: Cannot parse")


def test_bad_sort_uses_the_message_ckan_recognises(solr: SolrClient) -> None:
    reply = solr.request("select", {"q": "*:*", "sort": "title_string sideways"})
    assert reply.status == 400
    assert "Can't determine a Sort Order" in reply.json()["error"]["msg"]


def test_invalid_parameter_values_are_400s(solr: SolrClient) -> None:
    assert solr.request("select", {"q": "x", "defType": "dismax", "qf": "title^high"}).status == 400
    assert solr.request("select", {"q": "*:*", "rows": "ten"}).status == 400
    assert solr.request("select", {"q": "*:*", "sort": "tags asc"}).status == 400
    assert solr.request("select", {"q": "metadata_modified:[yesterday TO NOW]"}).status == 400


def test_unknown_parameters_are_ignored(solr: SolrClient) -> None:
    solr.add(wire.ckan_index_doc("votes", "Senate votes"))
    result = solr.select(q="*:*", hl="true", bf="recip(1,2,3)", echoParams="all",
                         **{"facet.query": "tags:votes", "json.nl": "flat"})
    assert result["response"]["numFound"] == 1


def test_long_queries_posted_as_forms_work(solr: SolrClient) -> None:
    # pysolr switches to a form POST when the encoded params pass 1024 bytes.
    solr.add(wire.ckan_index_doc("votes", "Senate votes"))
    params = wire.package_search_params("votes " + "x" * 1100)
    params["mm"] = "1"
    body = urllib.parse.urlencode(params, doseq=True).encode()
    reply = solr.request("select", body=body,
                         content_type="application/x-www-form-urlencoded; charset=utf-8")
    assert reply.status == 200
    assert reply.json()["response"]["numFound"] == 1


def test_response_header_echoes_params(solr: SolrClient) -> None:
    header = solr.select(q="*:*", fq=["a:b", "c:d"])["responseHeader"]
    assert header["status"] == 0
    assert header["params"]["fq"] == ["a:b", "c:d"]
