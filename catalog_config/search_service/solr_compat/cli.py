"""Command line: ``python -m solr_compat --port 8983 --data-dir DIR --schema-xml PATH``.

Example:
    python -m solr_compat --host 127.0.0.1 --port 8983 --data-dir .stack/search/index \\
        --schema-xml ckan/config/solr/schema.xml --core ckan

Logs go to stderr. Once listening, one line ``solr-compat listening on <base url>`` is printed
to stdout (useful with ``--port 0``). SIGTERM or SIGINT stops it cleanly. With
``--auth-file FILE`` (one line ``USER:PASSWORD``, mode 0600) every request needs HTTP basic
auth; the password never appears on the command line.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from solr_compat.auth import CredentialsError, read_credentials_file
from solr_compat.errors import SchemaError
from solr_compat.server import ServiceConfig, SolrCompatServer, create_server
from solr_compat.settings import DEFAULT_CORE, DEFAULT_HOST, DEFAULT_PORT

log = logging.getLogger("solr_compat")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m solr_compat",
        description="A Solr-compatible search service for CKAN (standard library only).",
        epilog="Example: python -m solr_compat --port 8983 --data-dir /tmp/index "
               "--schema-xml ckan/config/solr/schema.xml")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to bind (%(default)s)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help="port to bind; 0 picks a free one (%(default)s)")
    parser.add_argument("--data-dir", type=Path, required=True,
                        help="directory holding the index (created if missing)")
    parser.add_argument("--schema-xml", type=Path, required=True,
                        help="the Solr schema.xml to serve and follow (CKAN's own)")
    parser.add_argument("--core", default=DEFAULT_CORE,
                        help="core name in URLs: /solr/<core>/select (%(default)s)")
    parser.add_argument("--auth-file", type=Path, default=None,
                        help="file (mode 0600) whose first line is USER:PASSWORD; every "
                             "request must then use HTTP basic auth with them")
    parser.add_argument("--log-level", default="INFO",
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="(%(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the service until SIGTERM/SIGINT; return the process exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        credentials = read_credentials_file(args.auth_file) if args.auth_file else None
    except CredentialsError as exc:
        log.error("%s", exc)
        return 2
    config = ServiceConfig(host=args.host, port=args.port, data_dir=args.data_dir,
                           schema_xml=args.schema_xml, core=args.core, credentials=credentials)
    try:
        server = create_server(config)
    except SchemaError as exc:
        log.error("%s (pass CKAN's ckan/config/solr/schema.xml with --schema-xml)", exc)
        return 2
    except OSError as exc:
        log.error("cannot listen on %s:%s: %s (is another service using the port?)",
                  config.host, config.port, exc)
        return 1
    _stop_on_signals(server)
    log.info("solr-compat listening on %s (index in %s, %s)", server.base_url, config.data_dir,
             "basic auth required" if credentials else "no authentication")
    print(f"solr-compat listening on {server.base_url}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.close()
        log.info("solr-compat stopped; index closed")
    return 0


def _stop_on_signals(server: SolrCompatServer) -> None:
    def stop(signum: int, frame: FrameType | None) -> None:
        log.info("received %s, shutting down", signal.Signals(signum).name)
        # shutdown() waits for serve_forever() to return, and that runs on this very thread,
        # so it must be called from another one.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
