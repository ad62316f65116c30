"""The index: documents in memory for searching, persisted in SQLite in ``--data-dir``.

Every /update request is applied atomically and written to disk (SQLite, ``synchronous=FULL``)
before it is answered, so whatever a client was told is indexed survives a crash or a kill.
That makes Solr's ``commit`` a no-op here: changes are visible and durable at once, which is
what CKAN (``ckan.search.solr_commit = true``) expects anyway.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from datetime import datetime
from pathlib import Path

from solr_compat.documents import IndexedDoc, RawDocument, build_document
from solr_compat.errors import DocumentError, ServiceUnavailable
from solr_compat.evaluate import compile_query
from solr_compat.params import Params
from solr_compat.schema import Schema
from solr_compat.search import filter_query
from solr_compat.settings import INDEX_FILE_SUFFIX
from solr_compat.text_match import analyse_document
from solr_compat.update_messages import AddDocs, Command, Commit, Delete, Rollback

log = logging.getLogger(__name__)

_CREATE = """
CREATE TABLE IF NOT EXISTS docs (
    key TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL
)"""
_VERSION_FIELD = "_version_"


class IndexStore:
    """Thread-safe document store; open it with :func:`open_store`."""

    def __init__(self, connection: sqlite3.Connection, schema: Schema, path: Path) -> None:
        self.path = path
        self.schema = schema
        self._db = connection
        self._lock = threading.Lock()
        self._docs: dict[str, IndexedDoc] = {}
        self._snapshot: list[IndexedDoc] | None = None
        self._seq = 0
        self._last_version = 0
        self._closed = False
        #: The thread analysing the loaded documents' text after a start (None before).
        self.analysis: threading.Thread | None = None

    def documents(self) -> list[IndexedDoc]:
        """The current documents in index order; the list is never mutated afterwards."""
        with self._lock:
            if self._snapshot is None:
                self._snapshot = list(self._docs.values())
            return self._snapshot

    def apply(self, commands: list[Command], *, now: datetime) -> None:
        """Apply ``commands`` in order, all or nothing; raise DocumentError/BadRequest."""
        with self._lock:
            if self._closed:
                raise ServiceUnavailable("the index is closed: the service is shutting down")
            working = dict(self._docs)
            writes: dict[str, IndexedDoc | None] = {}
            for command in commands:
                self._apply_one(command, working, writes, now)
            self._persist(writes)
            self._docs = working
            self._snapshot = None

    def _apply_one(self, command: Command, working: dict[str, IndexedDoc],
                   writes: dict[str, IndexedDoc | None], now: datetime) -> None:
        if isinstance(command, AddDocs):
            for raw in command.docs:
                doc = build_document(self._with_version(raw), self.schema, now=now)
                # Re-adding moves a document to the end, as in Solr; ``writes`` keeps the same
                # order so the sequence numbers saved on disk reproduce it after a restart.
                working.pop(doc.key, None)
                writes.pop(doc.key, None)
                working[doc.key] = writes[doc.key] = doc
        elif isinstance(command, Delete):
            for key in command.ids:
                if working.pop(key, None) is not None:
                    writes[key] = None
            for text in command.queries:
                matcher = compile_query(filter_query(text, Params([]), self.schema),
                                        self.schema, now=now)
                for key in [k for k, doc in working.items() if matcher(doc) is not None]:
                    del working[key]
                    writes[key] = None
        elif isinstance(command, Rollback):
            log.warning("rollback ignored: updates are applied and saved as they arrive")
        elif not isinstance(command, Commit):
            raise TypeError(f"unknown update command {command!r}")

    def _with_version(self, raw: RawDocument) -> RawDocument:
        if self.schema.field(_VERSION_FIELD) is None:
            return raw
        # Solr stamps every added document with a new, increasing _version_.
        self._last_version = max(time.time_ns(), self._last_version + 1)
        return {**raw, _VERSION_FIELD: [self._last_version]}

    def _persist(self, writes: dict[str, IndexedDoc | None]) -> None:
        if not writes:
            return
        self._db.execute("BEGIN IMMEDIATE")  # one transaction: the whole request or nothing
        try:
            for key, doc in writes.items():
                if doc is None:
                    self._db.execute("DELETE FROM docs WHERE key = ?", (key,))
                else:
                    self._seq += 1
                    self._db.execute(
                        "INSERT OR REPLACE INTO docs (key, seq, source) VALUES (?, ?, ?)",
                        (key, self._seq, json.dumps(doc.source, ensure_ascii=False)))
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def load(self, *, now: datetime) -> int:
        """Read every saved document into memory; return how many were loaded."""
        rows = self._db.execute("SELECT key, seq, source FROM docs ORDER BY seq").fetchall()
        for key, seq, source in rows:
            self._seq = max(self._seq, seq)
            try:
                doc = build_document(json.loads(source), self.schema, now=now)
            except (DocumentError, ValueError) as exc:
                # Kept on disk: a schema fix and restart brings the document back.
                log.error("cannot load document %s from %s: %s", key, self.path, exc)
                continue
            self._docs[doc.key] = doc
        self._snapshot = None
        return len(self._docs)

    def analyse_all(self) -> None:
        """Analyse the text of every loaded document (see :func:`open_store`)."""
        started = time.monotonic()
        documents = self.documents()
        for doc in documents:
            analyse_document(doc, self.schema)
        log.info("analysed the text of %d documents in %.1f s", len(documents),
                 time.monotonic() - started)

    def close(self) -> None:
        """Fold the write-ahead log into the database file and close it."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()


def open_store(data_dir: Path, core: str, schema: Schema, *, now: datetime) -> IndexStore:
    """Open (creating if needed) the index of ``core`` under ``data_dir`` and load it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"{core}{INDEX_FILE_SUFFIX}"
    # Requests run on many threads; the store's lock serialises every use of the connection.
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    # FULL: a transaction is on disk before the /update request is answered.
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute(_CREATE)
    store = IndexStore(connection, schema, path)
    count = store.load(now=now)
    log.info("loaded %d documents from %s", count, path)
    # Searches analyse each document's text once and keep it; done lazily, the first search
    # after a start would analyse the whole index (about 1 s per 1,000 CKAN datasets). Doing
    # it here, in the background, keeps the start fast and that first search fast too.
    store.analysis = threading.Thread(target=store.analyse_all, name="solr-compat-analysis",
                                      daemon=True)
    store.analysis.start()
    return store
