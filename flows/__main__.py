"""Allow ``python -m flows``."""

from flows.cli import cli

cli(prog_name="senate-catalog")
