"""Drive the service with the real pysolr client, when it is installed (CKAN's virtualenv).

The project's virtualenv usually lacks pysolr, so this skips there; the other tests rebuild
pysolr's exact requests (see wire.py) and always run.
"""

from __future__ import annotations

from urllib.parse import quote_plus

import pytest

from tests.search_service import wire
from tests.search_service.conftest import CREDENTIALS, SolrClient

pysolr = pytest.importorskip("pysolr")


def test_pysolr_add_search_delete_commit(solr: SolrClient) -> None:
    client = pysolr.Solr(solr.base_url, timeout=10)
    assert '"OK"' in client.ping()
    doc = wire.ckan_index_doc("senate-votes", "ข้อมูลการลงมติของวุฒิสภา", tags=("votes",))
    client.add([doc], commit=True)

    results = client.search(**wire.package_search_params("วุฒิสภา"))
    assert results.hits == 1
    assert results.docs[0]["id"] == doc["id"]
    assert results.facets["facet_fields"]["tags"] == ["votes", 1]

    client.delete(q=wire.ckan_delete_query(doc["name"]))
    client.commit(waitSearcher=False)
    assert client.search(q="*:*").hits == 0


def test_pysolr_raises_solr_error_on_bad_query(solr: SolrClient) -> None:
    client = pysolr.Solr(solr.base_url, timeout=10)
    with pytest.raises(pysolr.SolrError, match="Cannot parse"):
        client.search(q="title:(unclosed")


def test_pysolr_with_credentials_in_the_url_as_ckan_sends_them(secured_solr: SolrClient) -> None:
    # ckan.lib.search.common.make_connection writes solr_user/solr_password into the URL
    # (quote_plus); requests turns them into the Basic header.
    scheme, rest = secured_solr.base_url.split("://", 1)
    client = pysolr.Solr(f"{scheme}://{quote_plus(CREDENTIALS.user)}:"
                         f"{quote_plus(CREDENTIALS.password)}@{rest}", timeout=10)
    assert '"OK"' in client.ping()
    client.add([wire.ckan_index_doc("votes", "Senate votes")], commit=True)
    assert client.search(q="*:*").hits == 1
    with pytest.raises(pysolr.SolrError, match="401"):
        pysolr.Solr(secured_solr.base_url, timeout=10).search(q="*:*")
