"""Service faults are named and retried, never taken for CKAN refusing the data.

CKAN answers a stopped search service with errors of its own ("Search Index Error" on a write,
"Search Error" or "Search Connection Error" on a search); the client makes them
``CatalogSearchError``s naming the search service, without the credentials CKAN puts in
Solr's URL. A CKAN that takes too long is told apart from one whose search service hangs by a
quick ``status_show``, here against a real HTTP server on loopback that never answers.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from typing import Iterator

import ckanapi
import pytest
from ckanapi.errors import CKANAPIError

from flows.catalog.client import (CatalogClient, CatalogSearchError, CatalogServerError,
                                  CatalogTimeout)
from flows.catalog.retry import RetryPolicy, RetryingCaller, call_with_retry
from flows.settings import CatalogSettings, Secret

#: What CKAN 2.11 answers package_patch when the search service refuses connections (its
#: message, as ckanapi passes it on), credentials included as CKAN sends them.
INDEX_ERROR = ("Solr returned an error: Failed to connect to server at "
               "http://ckan:s3cretpw@127.0.0.1:20983/solr/ckan/update/?commit=true: "
               "HTTPConnectionPool(host='127.0.0.1', port=20983): Max retries exceeded with url: "
               "/solr/ckan/update/?commit=true (Caused by NewConnectionError(\"HTTPConnection("
               "host='127.0.0.1', port=20983): Failed to establish a new connection: [Errno 111] "
               "Connection refused\"))")
#: package_search with the search service stopped (SIGSTOP) for longer than solr_timeout.
SEARCH_TIMEOUT = ("SOLR returned an error running query: {'q': '*:*'} Error: SolrError("
                  "\"Connection to server 'http://ckan:s3cretpw@127.0.0.1:20983/solr/ckan/select/"
                  "?q=*:*' timed out: HTTPConnectionPool(host='127.0.0.1', port=20983): Read "
                  "timed out. (read timeout=60)\")")


class _Remote:
    """Stands in for ckanapi.RemoteCKAN: raises the given errors in turn, then answers."""

    def __init__(self, *errors: Exception) -> None:
        self.errors, self.calls = list(errors), 0

    def call_action(self, action, data, files=None, requests_kwargs=None):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"done": action}


def _client(*errors: Exception) -> tuple[CatalogClient, _Remote]:
    client = CatalogClient(CatalogSettings(url="http://catalog.test", token=Secret("t0ken-xyz"),
                                           timeout=1))
    remote = _Remote(*errors)
    client._remote = remote  # the seam below our client: ckanapi itself
    return client, remote


@pytest.mark.parametrize("error, kind, cause", [
    (ckanapi.SearchIndexError(INDEX_ERROR), "Search Index Error", "connection refused"),
    (ckanapi.SearchError(SEARCH_TIMEOUT), "Search Error", "timed out"),
])
def test_a_search_error_names_the_search_service_without_its_password(error, kind,
                                                                       cause) -> None:
    client, _ = _client(error)
    with pytest.raises(CatalogSearchError) as caught:
        client.call("package_patch", id="x")
    message = str(caught.value)
    assert message == (
        f"CKAN's search service does not work: CKAN at http://catalog.test answered "
        f"package_patch with '{kind}' (search service at http://127.0.0.1:20983/solr/ckan: "
        f"{cause}); start or repair the search service (local stack: `senate-catalog stack "
        "status`, then `senate-catalog stack up`)")
    assert "s3cretpw" not in message and isinstance(caught.value, CatalogServerError)


def test_search_connection_error_http_500_is_a_search_fault() -> None:
    body = json.dumps({"success": False, "error": {"__type": "Search Connection Error",
                                                   "message": "Unable to connect"}})
    client, _ = _client(CKANAPIError(repr(["http://catalog.test/api/action/x", 500, body])))
    with pytest.raises(CatalogSearchError, match="'Search Connection Error'"):
        client.call("organization_show", id="senate-secretariat")


def test_a_wrong_query_is_not_a_service_fault() -> None:
    client, _ = _client(ckanapi.SearchQueryError("Invalid 'sort' parameter"))
    with pytest.raises(ckanapi.SearchQueryError):
        client.call("package_search", sort="nonsense")


def test_a_search_fault_is_retried_with_backoff_for_idempotent_calls_only() -> None:
    waits: list[float] = []
    policy = RetryPolicy(retries=3, first_delay=1.0)
    client, remote = _client(*[ckanapi.SearchIndexError(INDEX_ERROR)] * 2)
    answer = call_with_retry(lambda: client.call("package_patch", id="x"), policy,
                             idempotent=True, sleep=waits.append)
    assert answer == {"done": "package_patch"} and remote.calls == 3 and waits == [1.0, 2.0]

    client, remote = _client(ckanapi.SearchIndexError(INDEX_ERROR))
    with pytest.raises(CatalogSearchError):   # a create may have been applied: never resent
        call_with_retry(lambda: client.call("package_create", name="x"), policy,
                        idempotent=False, sleep=waits.append)
    assert remote.calls == 1


def test_reads_through_the_retrying_caller_are_retried(monkeypatch) -> None:
    monkeypatch.setattr(time, "sleep", lambda _seconds: None)
    client, remote = _client(ckanapi.SearchError(SEARCH_TIMEOUT))
    caller = RetryingCaller(client, RetryPolicy(retries=2, first_delay=0))
    assert caller.call("organization_show", id="o") == {"done": "organization_show"}
    assert remote.calls == 2


class _Handler(http.server.BaseHTTPRequestHandler):
    """status_show answers at once when ``status_answers``; every other action hangs."""

    status_answers = True

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        if self.path.endswith("/status_show") and self.status_answers:
            body = json.dumps({"success": True, "result": {}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            time.sleep(3)   # longer than the client's timeout

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def slow_catalog() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("status_answers", [True, False])
@pytest.mark.slow  # waits out timeouts: ~3.5 s
def test_a_timeout_says_whether_ckan_itself_still_answers(slow_catalog,
                                                          status_answers: bool) -> None:
    url, handler = slow_catalog
    handler.status_answers = status_answers
    client = CatalogClient(CatalogSettings(url=url, token=Secret(""), timeout=0.5))
    with pytest.raises(CatalogTimeout) as caught:
        client.call("package_patch", id="x")
    message = str(caught.value)
    assert message.startswith(f"CKAN at {url} did not answer package_patch in time "
                              "(ReadTimeout after 0.5 s)")
    if status_answers:
        assert "though it answers status_show: a service behind it is stuck, most often its " \
               "search service (Solr)" in message
    else:
        assert message.endswith("is the catalog up? try `senate-catalog stack status`")
