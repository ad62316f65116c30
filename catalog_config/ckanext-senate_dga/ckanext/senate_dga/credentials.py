"""Text without the credentials of any URL in it, and a log handler that writes only such text.

CKAN puts the search service's ``solr_user``/``solr_password`` into the URL it gives pysolr,
and when the search service does not answer, ``ckan.lib.search`` and
``ckan.model.modification`` log that URL, traceback included. ckan.ini's console handler is
``ScrubbingStreamHandler``, so no log line (message or traceback) keeps a ``user:password@``.
This module imports nothing from CKAN: logging is configured before CKAN is loaded.
"""
from __future__ import annotations

import logging
import re

#: ``user:password@`` right after a URL's ``scheme://``.
_USERINFO = re.compile(r"(?<=://)[^/\s@'\"]+@")


def without_credentials(text: str) -> str:
    """``text`` with ``user:password@`` removed from every URL in it."""
    return _USERINFO.sub("", text)


class ScrubbingStreamHandler(logging.StreamHandler):
    """A ``StreamHandler`` whose formatted records (tracebacks too) carry no URL credentials."""

    def format(self, record: logging.LogRecord) -> str:
        return without_credentials(super().format(record))
