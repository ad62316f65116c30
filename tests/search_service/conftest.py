"""Fixtures for the Solr-compatible search service: a fresh server per test on a free port.

The service package lives in catalog_config/search_service; if it is not installed in the
running virtualenv, the tests put that directory on ``sys.path``.
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

import pytest

SERVICE_DIR = Path(__file__).resolve().parents[2] / "catalog_config" / "search_service"
try:
    import solr_compat  # noqa: F401  (`make` installs it into the project's virtualenv)
except ImportError:
    sys.path.insert(0, str(SERVICE_DIR))

from solr_compat import (BasicCredentials, ServiceConfig, create_server,  # noqa: E402
                         serve_in_thread)

from tests.search_service import wire  # noqa: E402

#: CKAN 2.11.6's ckan/config/solr/schema.xml, copied so the tests need no CKAN install.
SCHEMA_XML = Path(__file__).with_name("ckan_schema.xml")
#: What the ``secured_solr`` service requires (the stack generates a password per instance).
CREDENTIALS = BasicCredentials(user="ckan", password="Zq3-x_9pLw0uY7tR")


def basic_authorization(user: str, password: str) -> str:
    """The ``Authorization`` header value that requests/pysolr send for these credentials."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class SolrClient:
    """Speaks to the service the way pysolr does (paths with a trailing slash).

    ``authorization`` is sent as the ``Authorization`` header of every request when set.
    """

    base_url: str
    authorization: str | None = None

    def request(self, handler: str, params: dict[str, Any] | None = None, *,
                body: bytes | None = None, content_type: str | None = None) -> Reply:
        query = urllib.parse.urlencode(params or {}, doseq=True)
        url = f"{self.base_url}/{handler}/" + (f"?{query}" if query else "")
        headers = {"Content-type": content_type} if content_type else {}
        if self.authorization:
            headers["Authorization"] = self.authorization
        req = urllib.request.Request(url, data=body, headers=headers,
                                     method="POST" if body is not None else "GET")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return Reply(resp.status, resp.read(), resp.headers.get("Content-Type", ""),
                             dict(resp.headers))
        except urllib.error.HTTPError as err:
            return Reply(err.code, err.read(), err.headers.get("Content-Type", ""),
                         dict(err.headers))

    def select(self, **params: Any) -> dict[str, Any]:
        """GET /select; the answer must be a 200."""
        reply = self.request("select", {"wt": "json", **params})
        assert reply.status == 200, reply.body
        return reply.json()

    def add(self, *docs: dict[str, Any], commit: bool = True) -> Reply:
        """``pysolr.Solr.add(docs, commit=...)``: JSON array to update/?commit=true."""
        return self.request("update", {"commit": "true"} if commit else None,
                            body=wire.pysolr_add_body(list(docs)),
                            content_type=wire.JSON_CONTENT_TYPE)

    def delete(self, *, ids: list[str] | None = None, q: str | None = None) -> Reply:
        """``pysolr.Solr.delete(id=... | q=..., commit=True)``."""
        return self.request("update", {"commit": "true"},
                            body=wire.pysolr_delete_body(ids=ids, q=q),
                            content_type=wire.XML_CONTENT_TYPE)

    def commit(self) -> Reply:
        """``pysolr.Solr.commit()``."""
        return self.request("update", {"commit": "true"}, body=b"<commit />",
                            content_type=wire.XML_CONTENT_TYPE)


@pytest.fixture
def service_config(tmp_path: Path) -> ServiceConfig:
    return ServiceConfig(host="127.0.0.1", port=0, data_dir=tmp_path / "index",
                         schema_xml=SCHEMA_XML)


@pytest.fixture
def solr(service_config: ServiceConfig) -> Iterator[SolrClient]:
    """A running service with an empty index, stopped after the test."""
    with _running(service_config) as base_url:
        yield SolrClient(base_url)


@pytest.fixture
def secured_solr(service_config: ServiceConfig) -> Iterator[SolrClient]:
    """A running service that requires ``CREDENTIALS``; the client sends them."""
    with _running(replace(service_config, credentials=CREDENTIALS)) as base_url:
        yield SolrClient(base_url, basic_authorization(CREDENTIALS.user, CREDENTIALS.password))


@contextmanager
def _running(config: ServiceConfig) -> Iterator[str]:
    server = create_server(config)
    serve_in_thread(server, poll_interval=0.02)
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.close()
