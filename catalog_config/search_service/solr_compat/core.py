"""One Solr core: the schema, its index, and the request handlers' logic (no HTTP here)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from solr_compat.params import Params
from solr_compat.schema import Schema
from solr_compat.search import run_select
from solr_compat.store import IndexStore
from solr_compat.update_messages import parse_update

log = logging.getLogger(__name__)


@dataclass
class SolrCore:
    """A named core answering select, update, ping and schema requests."""

    name: str
    schema: Schema
    schema_xml: bytes
    store: IndexStore

    def select(self, params: Params) -> dict[str, Any]:
        """The body of a /select answer (without responseHeader)."""
        # One NOW per request, as in Solr, so every NOW in the query means the same instant.
        return run_select(params, self.schema, self.store.documents(), now=_now())

    def update(self, body: bytes, *, content_type: str, json_docs: bool = False) -> None:
        """Apply an /update request body (XML or JSON)."""
        commands = parse_update(body, content_type=content_type, json_docs=json_docs)
        if commands:
            self.store.apply(commands, now=_now())
            log.debug("applied %d update command(s)", len(commands))

    def schema_summary(self) -> dict[str, Any]:
        """A short JSON view of the schema for ``GET /schema`` (Solr's Schema API)."""
        fields = [{"name": f.name, "type": f.type.name, "multiValued": f.multi_valued,
                   "stored": f.stored, "indexed": f.indexed}
                  for f in self.schema.fields.values()]
        return {"schema": {"name": self.schema.name, "uniqueKey": self.schema.unique_key,
                           "fields": fields,
                           "copyFields": [{"source": c.source, "dest": c.dest}
                                          for c in self.schema.copy_fields]}}


def _now() -> datetime:
    return datetime.now(timezone.utc)
