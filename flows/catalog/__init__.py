"""Talking to a CKAN catalog: the client seam and the organisation/groups it must hold."""

from flows.catalog.client import CatalogClient
from flows.catalog.organization import CatalogLayout, ensure_layout, load_layout

__all__ = ["CatalogClient", "CatalogLayout", "ensure_layout", "load_layout"]
