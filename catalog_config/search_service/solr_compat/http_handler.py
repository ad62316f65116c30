"""HTTP routing for ``/solr/<core>/...``: parse the request, call the core, write the answer.

Paths are matched with or without a trailing slash (pysolr requests ``select/?...``).
Parameters come from the query string and, for form posts, the body (pysolr posts long
queries). Every answer is JSON except the schema file itself.

When the server has credentials, a request without them is refused with 401 before anything
else happens, its body unread (the connection is then closed), as Solr's BasicAuthPlugin does
with ``blockUnknown: true``.
"""

from __future__ import annotations

import logging
import time
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable
from urllib.parse import urlsplit

from solr_compat.auth import CHALLENGE, BasicCredentials
from solr_compat.core import SolrCore
from solr_compat.errors import BadRequest, NotFound, SolrCompatError
from solr_compat.params import Params
from solr_compat.responses import JSON_TYPE, XML_TYPE, encode_json, error_body, response_header
from solr_compat.settings import MAX_BODY_BYTES

log = logging.getLogger(__name__)

#: A route returns (content type, body bytes).
Answer = tuple[str, bytes]
_SCHEMA_FILES = ("schema.xml", "managed-schema", "managed-schema.xml")


class SolrRequestHandler(BaseHTTPRequestHandler):
    """Serves one core; the server object carries it as ``server.core``."""

    protocol_version = "HTTP/1.1"  # keep-alive for pysolr's requests.Session
    server_version = "solr-compat"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("%s %s", self.address_string(), format % args)

    def _handle(self) -> None:
        started = time.monotonic()
        params = Params([])
        if not self._authenticated():
            self._refuse(started)
            return
        try:
            body = self._read_body()
            url = urlsplit(self.path)
            params = self._params(url.query, body)
            content_type, payload = self._route(url.path.rstrip("/"), params, body, started)
            self._send(200, content_type, payload)
        except SolrCompatError as exc:
            if exc.status >= 500:
                log.error("%s %s failed: %s", self.command, self.path, exc)
            else:
                log.info("%s %s -> %d: %s", self.command, self.path, exc.status, exc)
            self._send_error(exc.status, str(exc), params, started)
        except Exception as exc:  # the client must get an answer; the trace goes to the log
            log.exception("%s %s failed", self.command, self.path)
            self._send_error(500, f"{type(exc).__name__}: {exc}", params, started)

    def _authenticated(self) -> bool:
        server = self.server
        credentials: BasicCredentials | None = server.credentials  # type: ignore[attr-defined]
        return credentials is None or credentials.accepts(self.headers.get("Authorization"))

    def _refuse(self, started: float) -> None:
        """401 with a Basic challenge; the body (if any) is not read, so the connection closes."""
        log.info("%s %s -> 401: no valid credentials from %s", self.command,
                 urlsplit(self.path).path, self.address_string())
        self.close_connection = True
        self._send_error(401, "require authentication", Params([]), started,
                         headers={"WWW-Authenticate": CHALLENGE, "Connection": "close"})

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise BadRequest(f"request body of {length} bytes exceeds {MAX_BODY_BYTES}")
        return self.rfile.read(length) if length > 0 else b""

    def _params(self, query: str, body: bytes) -> Params:
        form = ""
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            form = body.decode("utf-8", errors="replace")
        return Params.from_query_strings(query, form)

    def _route(self, path: str, params: Params, body: bytes, started: float) -> Answer:
        core: SolrCore = self.server.core  # type: ignore[attr-defined]
        prefix = f"/solr/{core.name}"
        if path != prefix and not path.startswith(prefix + "/"):
            raise NotFound(f"no core at {path} (this service serves {prefix})")
        handler = path[len(prefix) + 1:]
        routes: dict[str, Callable[[], Any]] = {
            "select": lambda: core.select(params),
            "update": lambda: self._update(core, body, json_docs=False),
            "update/json": lambda: self._update(core, body, json_docs=False),
            "update/json/docs": lambda: self._update(core, body, json_docs=True),
            "update/xml": lambda: self._update(core, body, json_docs=False),
            "admin/ping": lambda: {"status": "OK"},
        }
        if handler in ("schema", "admin/file"):
            return self._schema(core, handler, params, started)
        if handler not in routes:
            raise NotFound(f"no handler for {path}")
        result = routes[handler]()
        answer = {"responseHeader": response_header(params, started=started), **result}
        return JSON_TYPE, encode_json(answer, params)

    def _update(self, core: SolrCore, body: bytes, *, json_docs: bool) -> dict[str, Any]:
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            body = b""  # form bodies carry parameters (commit=true), not documents
        core.update(body, content_type=content_type, json_docs=json_docs)
        return {}

    def _schema(self, core: SolrCore, handler: str, params: Params, started: float) -> Answer:
        wants_file = (handler == "schema" and params.get("wt") == "schema.xml") or \
                     (handler == "admin/file" and params.get("file") in _SCHEMA_FILES)
        if wants_file:
            return XML_TYPE, core.schema_xml
        if handler == "admin/file":
            raise NotFound(f"no such file: {params.get('file')}")
        answer = {"responseHeader": response_header(params, started=started),
                  **core.schema_summary()}
        return JSON_TYPE, encode_json(answer, params)

    def _send_error(self, status: int, message: str, params: Params, started: float, *,
                    headers: dict[str, str] | None = None) -> None:
        body = error_body(message, status, params, started=started)
        self._send(status, JSON_TYPE, encode_json(body, params), headers=headers)

    def _send(self, status: int, content_type: str, payload: bytes, *,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)
