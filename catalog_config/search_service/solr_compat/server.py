"""Build and run the HTTP server for one core."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import ThreadingHTTPServer
from pathlib import Path

from solr_compat.auth import BasicCredentials
from solr_compat.core import SolrCore
from solr_compat.errors import SchemaError
from solr_compat.http_handler import SolrRequestHandler
from solr_compat.schema import load_schema
from solr_compat.settings import DEFAULT_CORE
from solr_compat.store import open_store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceConfig:
    """Everything needed to start the service (the CLI builds one from its options)."""

    host: str
    port: int
    data_dir: Path
    schema_xml: Path
    core: str = DEFAULT_CORE
    #: When set, every request must authenticate with them (HTTP basic); None: open service.
    credentials: BasicCredentials | None = None


class SolrCompatServer(ThreadingHTTPServer):
    """A threading HTTP server holding one core; ``close()`` also closes the index.

    ``credentials`` (if any) are what every request must present (see ``solr_compat.auth``).
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], core: SolrCore,
                 credentials: BasicCredentials | None = None) -> None:
        super().__init__(address, SolrRequestHandler)
        self.core = core
        self.credentials = credentials

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def base_url(self) -> str:
        host = self.server_address[0]
        return f"http://{host}:{self.port}/solr/{self.core.name}"

    def close(self) -> None:
        """Stop accepting requests and close the index (waits for in-flight updates)."""
        self.server_close()
        self.core.store.close()


def create_server(config: ServiceConfig) -> SolrCompatServer:
    """Load the schema and index and bind the socket (port 0 picks a free port)."""
    schema = load_schema(config.schema_xml)
    try:
        schema_bytes = config.schema_xml.read_bytes()
    except OSError as exc:
        raise SchemaError(f"cannot read Solr schema {config.schema_xml}: {exc}") from exc
    store = open_store(config.data_dir, config.core, schema, now=datetime.now(timezone.utc))
    core = SolrCore(name=config.core, schema=schema, schema_xml=schema_bytes, store=store)
    try:
        return SolrCompatServer((config.host, config.port), core, config.credentials)
    except OSError:
        store.close()
        raise


def serve_in_thread(server: SolrCompatServer, *, poll_interval: float = 0.5) -> threading.Thread:
    """Serve on a daemon thread (for tests and embedding); stop with ``server.shutdown()``.

    ``shutdown()`` can take up to ``poll_interval`` seconds; tests pass a short one.
    """
    thread = threading.Thread(target=server.serve_forever, args=(poll_interval,),
                              name="solr-compat", daemon=True)
    thread.start()
    return thread
