"""Custom GX expectations the suites use where GX core has none (pandas only).

Importing this package registers them with GX under their snake-case names, which is how a suite
file's ``"type"`` finds them: ``expect_column_values_to_not_be_buddhist_era_years``,
``expect_multicolumn_sum_to_not_exceed_column``, ``expect_column_value_proportion_to_be_between``,
``expect_column_pair_values_to_match_mapping``.
It imports great_expectations (slow), so only ``gx_runtime`` imports it, lazily.
"""

from flows.validation.expectations.custom.buddhist_era_years import (
    ExpectColumnValuesToNotBeBuddhistEraYears,
)
from flows.validation.expectations.custom.multicolumn_sum_not_exceeding import (
    ExpectMulticolumnSumToNotExceedColumn,
)
from flows.validation.expectations.custom.pair_mapping import (
    ExpectColumnPairValuesToMatchMapping,
)
from flows.validation.expectations.custom.value_proportion import (
    ExpectColumnValueProportionToBeBetween,
)

__all__ = [
    "ExpectColumnPairValuesToMatchMapping",
    "ExpectColumnValueProportionToBeBetween",
    "ExpectColumnValuesToNotBeBuddhistEraYears",
    "ExpectMulticolumnSumToNotExceedColumn",
]
