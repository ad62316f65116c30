"""CKAN's console log handler (ckan.ini's [handler_console]) drops URL credentials."""
from __future__ import annotations

import configparser
import io
import logging

from ckanext.senate_dga.credentials import ScrubbingStreamHandler, without_credentials

from tests.catalog_schema.conftest import REPO

URL = "http://ckan:s3cr3t-Pass@127.0.0.1:21983/solr/ckan/update/?commit=true"


def test_without_credentials_keeps_the_url_but_not_its_user_info() -> None:
    text = f"Failed to connect to server at {URL}; also postgresql://u:p@h:5432/db"
    assert without_credentials(text) == ("Failed to connect to server at "
                                         "http://127.0.0.1:21983/solr/ckan/update/?commit=true; "
                                         "also postgresql://h:5432/db")


def test_the_handler_scrubs_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = ScrubbingStreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("senate-test-scrub")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ConnectionError(f"Failed to connect to server at {URL}")
        except ConnectionError:
            logger.exception("Solr returned an error: %s", URL)
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "Traceback" in written and "ConnectionError" in written
    assert "s3cr3t-Pass" not in written
    assert written.count("http://127.0.0.1:21983/solr/ckan/update/") == 2


def test_ckan_ini_logs_through_the_scrubbing_handler() -> None:
    parser = configparser.RawConfigParser()
    parser.read(REPO / "catalog_config" / "ckan.ini.template", encoding="utf-8")
    assert parser.get("formatter_generic", "format")   # the template parses as an ini file
    assert parser.get("handler_console", "class") == \
        "ckanext.senate_dga.credentials.ScrubbingStreamHandler"
    handlers = {parser.get(section, "handlers") for section in parser.sections()
                if section.startswith("logger_")}
    assert handlers == {"console"}
