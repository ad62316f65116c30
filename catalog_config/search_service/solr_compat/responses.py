"""Solr-shaped JSON bodies: the response header and error answers."""

from __future__ import annotations

import json
import time
from typing import Any

from solr_compat.params import Params

JSON_TYPE = "application/json;charset=utf-8"
XML_TYPE = "application/xml;charset=utf-8"


def response_header(params: Params, *, started: float, status: int = 0) -> dict[str, Any]:
    """``responseHeader`` with ``QTime`` in milliseconds since ``started`` (time.monotonic)."""
    return {"status": status, "QTime": int((time.monotonic() - started) * 1000),
            "params": params.echo()}


def error_body(message: str, code: int, params: Params, *, started: float) -> dict[str, Any]:
    """The body Solr sends with a 4xx/5xx; pysolr reads ``error.msg`` into SolrError."""
    return {"responseHeader": response_header(params, started=started, status=code),
            "error": {"metadata": ["error-class", "org.apache.solr.common.SolrException",
                                   "root-error-class", "org.apache.solr.common.SolrException"],
                      "msg": message, "code": code}}


def encode_json(body: dict[str, Any], params: Params) -> bytes:
    """Serialise ``body`` (``indent=true`` pretty-prints, as in Solr)."""
    indent = 2 if params.get_bool("indent") else None
    return json.dumps(body, ensure_ascii=False, indent=indent).encode("utf-8")
