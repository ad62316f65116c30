"""The project's exception hierarchy.

Findings about data are values (reports), not exceptions. Exceptions are for problems that stop
a command; each message says what to do next. The CLI turns them into ``Error: ...`` and exit 1.
"""


class SenateCatalogError(Exception):
    """Base class of every error this project raises on purpose."""


class ConfigError(SenateCatalogError):
    """Configuration is missing or wrong (environment, files in catalog_config/)."""


class StackError(SenateCatalogError):
    """The local catalog stack could not be installed, started or stopped."""


class CatalogError(SenateCatalogError):
    """A call to the CKAN catalog failed."""
