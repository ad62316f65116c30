"""Parts never add up to more than their whole: approve + disprove + abstained + absent ≤
total_member.

GX core only has ``expect_multicolumn_sum_to_equal`` (a fixed number). Here the bound is another
column of the same row, so ``column_list`` holds the parts *and* ``total_column``; GX needs every
column it reads in the domain (``ignore_row_if`` and the row filter work on it).

Missing parts count as 0 (a vote may record only some counts); a row whose total or all of whose
parts are missing cannot be checked and passes.
"""

from __future__ import annotations

from typing import ClassVar, List, Tuple

import pandas as pd
from great_expectations.compatibility import pydantic
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    MulticolumnMapMetricProvider,
)
from great_expectations.expectations.metrics.map_metric_provider import (
    multicolumn_condition_partial,
)


class MulticolumnSumNotExceedingColumn(MulticolumnMapMetricProvider):
    """Row-wise: True where the sum of the other columns is at most ``total_column``."""

    condition_metric_name = "multicolumn_sum.not_exceeding_column"
    condition_domain_keys = ("batch_id", "table", "column_list", "row_condition",
                             "condition_parser", "ignore_row_if")
    condition_value_keys = ("total_column",)

    @multicolumn_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_list: pd.DataFrame, total_column: str, **kwargs):
        total = column_list[total_column]
        parts = column_list.drop(columns=[total_column]).sum(axis=1, min_count=1)
        within = (parts <= total).astype("boolean")
        return (within | total.isna() | parts.isna()).fillna(True).astype(bool)


class ExpectMulticolumnSumToNotExceedColumn(MulticolumnMapExpectation):
    """Expect, in each row, the sum of the ``column_list`` columns other than ``total_column`` to
    be at most the value of ``total_column``."""

    total_column: str

    map_metric = "multicolumn_sum.not_exceeding_column"
    success_keys: ClassVar[Tuple[str, ...]] = ("mostly", "total_column")
    args_keys = ("column_list", "total_column")

    @pydantic.root_validator(skip_on_failure=True)
    def _total_in_column_list(cls, values: dict) -> dict:
        columns: List[str] = values.get("column_list") or []
        if values.get("total_column") not in columns:
            raise ValueError("total_column must be one of column_list (GX reads only the domain)")
        return values
