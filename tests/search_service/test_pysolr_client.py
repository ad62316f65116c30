"""Drive the service with the real pysolr client, when it is installed (CKAN's virtualenv).

The project's virtualenv usually lacks pysolr, so this skips there; the other tests rebuild
pysolr's exact requests (see wire.py) and always run.
"""

from __future__ import annotations

import pytest

from tests.search_service import wire
from tests.search_service.conftest import SolrClient

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
