"""Expectations stage: each dataset's GX suite (``schemas/<id>.expectations.json``) run on its
typed frame, every failure a ``Finding`` with the rule, severity and messages the suite declares.

Importing this package does not import great_expectations (slow); the first check does.
"""

from flows.validation.expectations.check import check_expectations
from flows.validation.expectations.suite_file import RuleMeta, SuiteFile, read_suite_file

__all__ = ["RuleMeta", "SuiteFile", "check_expectations", "read_suite_file"]
