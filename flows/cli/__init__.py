"""The `senate-catalog` command line: flows/cli/main.py holds the group and the one error
wrapper; each command group has its module (stack, pipeline, demo, runs, prefect, national,
onboard), thin: parse, read the configuration once, call the library, print, exit."""

from flows.cli.main import cli

__all__ = ["cli"]
