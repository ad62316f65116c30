"""Exceptions, each carrying the HTTP status Solr would answer with."""

from __future__ import annotations


class SolrCompatError(Exception):
    """Base class: a request the service refuses, reported to the client as Solr does."""

    status = 500


class BadRequest(SolrCompatError):
    """The request is malformed (HTTP 400)."""

    status = 400


class QuerySyntaxError(BadRequest):
    """A query string cannot be parsed; worded like Solr's ``SyntaxError``."""

    def __init__(self, query: str, detail: str) -> None:
        super().__init__(
            f"org.apache.solr.search.SyntaxError: Cannot parse '{query}': {detail}")


class UnknownFieldError(BadRequest):
    """A query or document names a field the schema does not define."""

    def __init__(self, field: str) -> None:
        super().__init__(f"undefined field {field}")


class DocumentError(BadRequest):
    """A document sent to /update does not fit the schema."""


class NotFound(SolrCompatError):
    """No such path or core (HTTP 404)."""

    status = 404


class ServiceUnavailable(SolrCompatError):
    """The service is shutting down (HTTP 503, so clients may retry elsewhere or later)."""

    status = 503


class SchemaError(Exception):
    """The schema.xml given at start-up cannot be used; raised before serving."""
