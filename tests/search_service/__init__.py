"""Tests of the Solr-compatible search service (catalog_config/search_service)."""
