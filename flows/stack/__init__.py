"""The local catalog stack: PostgreSQL 15, Redis, the Solr-compatible search service, CKAN 2.11,
and the Prefect 3 server (API + UI) that runs the pipeline's flows.

Behaviour lives here; what it runs and with which settings is declared in ``catalog_config/``
(ckan.ini template, requirements and constraints, organization.yaml, the CKAN extension and the
search service).
"""

from flows.stack.manager import down, reset, status, up

__all__ = ["down", "reset", "status", "up"]
