"""Defaults for the service, kept in one place."""

from __future__ import annotations

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8983
DEFAULT_CORE = "ckan"

#: Solr's default page size when ``rows`` is not given.
DEFAULT_ROWS = 10
#: Solr's default ``facet.limit``.
DEFAULT_FACET_LIMIT = 100
#: Used when a query has unfielded terms and no ``df`` was sent, if the schema has this field.
#: (CKAN's Solr configsets set ``df=text`` in the /select defaults.)
FALLBACK_DEFAULT_FIELD = "text"
#: Fuzzy queries (``term~``) without an explicit distance allow this many edits, as in Lucene.
DEFAULT_FUZZY_EDITS = 2

#: Largest request body accepted (bytes); a full CKAN reindex batch is far below this.
MAX_BODY_BYTES = 64 * 1024 * 1024

#: The SQLite file inside ``--data-dir`` is named after the core.
INDEX_FILE_SUFFIX = ".sqlite3"
