"""A small Solr-compatible search service, so CKAN runs locally without Apache Solr.

It serves one core at ``http://HOST:PORT/solr/<core>`` with the parts of Solr's HTTP API that
CKAN 2.11 (through pysolr) uses: ``/select``, ``/update``, ``/admin/ping`` and ``/schema``.
Field types, copyFields and the unique key come from the schema.xml it is given. Given
credentials, it requires HTTP basic auth on every request. Standard library only.
"""

from solr_compat.auth import BasicCredentials, CredentialsError, read_credentials_file
from solr_compat.errors import SchemaError, SolrCompatError
from solr_compat.schema import Schema, load_schema
from solr_compat.server import ServiceConfig, SolrCompatServer, create_server, serve_in_thread

__all__ = [
    "BasicCredentials",
    "CredentialsError",
    "Schema",
    "SchemaError",
    "ServiceConfig",
    "SolrCompatError",
    "SolrCompatServer",
    "create_server",
    "load_schema",
    "read_credentials_file",
    "serve_in_thread",
]
