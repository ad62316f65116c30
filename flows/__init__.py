"""Data-governance catalog pipeline for the Secretariat of the Thai Senate.

The package holds behaviour; declarations (schemas, metadata, catalog config) live in the
top-level folders. Public surface kept small on purpose.
"""

from flows.errors import SenateCatalogError
from flows.settings import CatalogSettings, StackSettings

__all__ = ["CatalogSettings", "SenateCatalogError", "StackSettings"]
__version__ = "0.1.0"
