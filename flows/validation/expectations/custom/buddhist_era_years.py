"""A Buddhist-Era year leaked into a Common-Era column (2562 where 2019 was meant).

Thai sources write years in the Buddhist Era (CE + 543). A year above ``max_ce_year`` (default
2400) in a CE column is almost surely an unconverted BE year: as CE it would be centuries in the
future, while as BE it is any year from 1857 CE on. Works on date/datetime columns (the year of
each value) and on integer year columns.
"""

from __future__ import annotations

from typing import ClassVar, Tuple

import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

DEFAULT_MAX_CE_YEAR = 2400


class ColumnValuesNotBuddhistEraYears(ColumnMapMetricProvider):
    """Row-wise: True where the value's year is at most ``max_ce_year``."""

    condition_metric_name = "column_values.not_buddhist_era_year"
    condition_value_keys = ("max_ce_year",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, max_ce_year: int = DEFAULT_MAX_CE_YEAR, **kwargs):
        years = column.dt.year if pd.api.types.is_datetime64_any_dtype(column) else column
        # GX drops nulls before calling a map condition, so every value here is a real year.
        return (pd.to_numeric(years, errors="coerce") <= max_ce_year).fillna(True).astype(bool)


class ExpectColumnValuesToNotBeBuddhistEraYears(ColumnMapExpectation):
    """Expect no year in the column to be above ``max_ce_year`` (a Buddhist-Era leak)."""

    max_ce_year: int = DEFAULT_MAX_CE_YEAR

    map_metric = "column_values.not_buddhist_era_year"
    success_keys: ClassVar[Tuple[str, ...]] = ("mostly", "max_ce_year")
    args_keys = ("column", "max_ce_year")
