"""The share of one value in a column lies in a range: "yes" is 40-98 % of all senator votes.

GX core checks the most common value and the set of values, but not how often one given value
occurs; a sudden change in that share (an extract that lost the absences, codes shifted by one)
is exactly what a distribution check should catch. The share is over non-null values.
"""

from __future__ import annotations

from typing import ClassVar, Dict, Optional, Tuple, Union

import pandas as pd
from great_expectations.execution_engine import ExecutionEngine, PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnAggregateExpectation
from great_expectations.expectations.metrics.column_aggregate_metric_provider import (
    ColumnAggregateMetricProvider,
    column_aggregate_value,
)

METRIC = "column.value_proportion"


class ColumnValueProportion(ColumnAggregateMetricProvider):
    """The share (0..1) of non-null values equal to ``value``; None for an all-null column."""

    metric_name = METRIC
    value_keys = ("value",)

    @column_aggregate_value(engine=PandasExecutionEngine, filter_column_isnull=True)
    def _pandas(cls, column: pd.Series, value: Union[str, int, float, bool], **kwargs):
        if len(column) == 0:
            return None
        return float((column == value).sum()) / len(column)


class ExpectColumnValueProportionToBeBetween(ColumnAggregateExpectation):
    """Expect the share of non-null values equal to ``value`` to be in [min_value, max_value]."""

    value: Union[str, int, float, bool]
    min_value: Optional[float] = None
    max_value: Optional[float] = None
    strict_min: bool = False
    strict_max: bool = False

    metric_dependencies = (METRIC,)
    success_keys: ClassVar[Tuple[str, ...]] = ("value", "min_value", "max_value",
                                               "strict_min", "strict_max")
    args_keys = ("column", "value", "min_value", "max_value")

    def _validate(self, metrics: Dict, runtime_configuration: Optional[dict] = None,
                  execution_engine: Optional[ExecutionEngine] = None):
        return self._validate_metric_value_between(
            metric_name=METRIC, metrics=metrics,
            runtime_configuration=runtime_configuration, execution_engine=execution_engine)
