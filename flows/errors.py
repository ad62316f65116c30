"""The project's exception hierarchy.

Findings about data are values (reports), not exceptions. Exceptions are for problems that stop
a command; each message says what to do next. The CLI turns them into one ``Error: ...`` line
and an exit code (2 for ``ConfigError``, 3 for the others: a catalog or service failure).
"""


class SenateCatalogError(Exception):
    """Base class of every error this project raises on purpose."""


class ConfigError(SenateCatalogError):
    """Configuration is missing or wrong (environment, files in catalog_config/)."""


class StackError(SenateCatalogError):
    """The local catalog stack could not be installed, started or stopped."""


class CatalogError(SenateCatalogError):
    """A call to the CKAN catalog failed."""


class OrchestrationError(SenateCatalogError):
    """The Prefect server a run reports to does not answer: the run stops (exit 3)."""


class DataFileError(SenateCatalogError):
    """A dataset's data file cannot be read (empty, binary, not in its encoding). Validation
    reports it as findings; a stage that needs the rows stops for that dataset only."""
