"""Expectations stage: each dataset's GX suite (``schemas/<id>.expectations.json``) run on its
typed frame, every failure a ``Finding`` with the rule, severity and messages the suite declares.

Importing this package does not import great_expectations (slow); the first check does.
"""

from flows.validation.expectations.check import (check_expectations, check_suite,
                                                 check_suite_file)
from flows.validation.expectations.suite_file import (RuleMeta, SuiteError, SuiteFile,
                                                      read_suite_file)

__all__ = ["RuleMeta", "SuiteError", "SuiteFile", "check_expectations", "check_suite",
           "check_suite_file", "read_suite_file"]
