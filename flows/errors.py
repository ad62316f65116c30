"""The project's exception hierarchy.

Findings about data are values (reports), not exceptions. Exceptions are for problems that stop
a command; each message says what to do next, and each class carries the exit code the CLI
ends with (flows/cli/main.py turns any of them into one ``Error: ...`` line and that code).

Exit codes: 0 ok; 1 data errors (blocking findings, a dataset held or failed); 2 configuration
or usage error; 3 the catalog, its search service, the Prefect server or a stack service failed.
"""

EXIT_OK, EXIT_DATA_ERRORS, EXIT_CONFIG, EXIT_SERVICE = 0, 1, 2, 3


class SenateCatalogError(Exception):
    """Base class of every error this project raises on purpose."""

    exit_code = EXIT_SERVICE


class ConfigError(SenateCatalogError):
    """Configuration is missing or wrong (environment, options, files in catalog_config/)."""

    exit_code = EXIT_CONFIG


class StackError(SenateCatalogError):
    """The local catalog stack could not be installed, started or stopped."""


class CatalogError(SenateCatalogError):
    """A call to the CKAN catalog failed."""


class OrchestrationError(SenateCatalogError):
    """The Prefect server a run reports to does not answer: the run stops (exit 3)."""


class DataFileError(SenateCatalogError):
    """A dataset's data file cannot be read (empty, binary, not in its encoding). Validation
    reports it as findings; a stage that needs the rows stops for that dataset only."""

    exit_code = EXIT_DATA_ERRORS
