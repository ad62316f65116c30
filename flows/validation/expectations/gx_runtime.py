"""Great Expectations, set up once per process: an ephemeral context, one pandas data source
with one whole-dataframe batch definition, reused for every frame.

Importing great_expectations takes ~5 s, so it is imported lazily, on the first validation, and
the context is kept for the process. The context keeps nothing on disk and, in GX 1.24.1, sends
nothing anywhere: that release has no usage-statistics client (nothing reads
``GX_ANALYTICS_ENABLED``); we still switch analytics off explicitly so an upgrade that brings it
back stays silent. Progress bars are off: they would clutter CLI output and logs.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from flows.validation.expectations.suite_file import SuiteError, SuiteFile

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite
    from great_expectations.core import ExpectationValidationResult
    from great_expectations.core.batch_definition import BatchDefinition

# Every failing row must be known (one finding per row). The unexpected-index *query* is off:
# for a million failing rows it would be a million-item string nobody reads.
RESULT_FORMAT: dict[str, Any] = {"result_format": "COMPLETE",
                                 "return_unexpected_index_query": False}

_batch_definition: "BatchDefinition | None" = None


def build_gx_suite(suite_file: SuiteFile) -> "ExpectationSuite":
    """The suite file as a GX ``ExpectationSuite``; any entry GX rejects is a ``SuiteError``.

    Built entry by entry because ``ExpectationSuite(expectations=...)`` only *logs* an invalid
    entry and drops it, which would silently switch a rule off.
    """
    import great_expectations as gx
    from great_expectations.exceptions import GreatExpectationsError
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

    _register_custom_expectations()
    expectations = []
    for index, entry in enumerate(suite_file.expectations):
        try:
            configuration = ExpectationConfiguration(
                type=entry["type"], kwargs=entry.get("kwargs") or {}, meta=entry.get("meta"),
                notes=entry.get("notes"), description=entry.get("description"))
            expectations.append(configuration.to_domain_obj())
        # An unknown type is a GX error; bad kwargs fail GX's pydantic model (a ValueError).
        except (GreatExpectationsError, ValueError, TypeError) as exc:
            raise SuiteError(suite_file.path,
                             f"expectations[{index}] ({entry['meta']['rule']}, {entry['type']}) "
                             f"is not a valid GX expectation: {_first_line(exc)}",
                             fix="use an expectation type GX or flows/validation/expectations/"
                                 "custom defines, with the keyword arguments it takes",
                             line=suite_file.line_of(index)) from exc
    return gx.ExpectationSuite(name=suite_file.name, expectations=expectations,
                               meta={"version": suite_file.version})


def _first_line(exc: BaseException) -> str:
    """GX's pydantic errors run over many lines (the model, then each field and what is wrong
    with it, then a documentation link): the informative lines, joined, at most 300 chars."""
    lines = [line.strip() for line in str(exc).splitlines()
             if line.strip() and not line.strip().startswith("For further information")]
    text = "; ".join(lines) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


def validate_frame(frame: pd.DataFrame, suite: "ExpectationSuite", *,
                   parameters: dict[str, Any]) -> list["ExpectationValidationResult"]:
    """Run ``suite`` on ``frame``; one GX result per expectation (not in suite order)."""
    batch = _get_batch_definition().get_batch(
        batch_parameters={"dataframe": _gx_safe_frame(frame)})
    outcome = batch.validate(suite, result_format=RESULT_FORMAT,
                             expectation_parameters=parameters)
    return list(outcome.results)


def run_parameters(suite_file: SuiteFile, *, today: datetime.date) -> dict[str, Any]:
    """The suite's own parameters plus ``today`` (a datetime: GX compares dates with those)."""
    return {**suite_file.parameters,
            "today": datetime.datetime.combine(today, datetime.time())}


def _get_batch_definition() -> "BatchDefinition":
    global _batch_definition  # one context per process: its set-up is the slow part
    if _batch_definition is None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.enable_analytics(False)
        context.variables.progress_bars = ProgressBarsConfig(globally=False,
                                                             metric_calculations=False)
        asset = context.data_sources.add_pandas("frames").add_dataframe_asset("frame")
        _batch_definition = asset.add_batch_definition_whole_dataframe("whole-frame")
    return _batch_definition


def _register_custom_expectations() -> None:
    # Defining the classes registers them with GX; the suite files name them by type.
    import flows.validation.expectations.custom  # noqa: F401


def _gx_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with dtypes GX handles well; the contract's frames pass through unchanged."""
    # GX's type checks fail on pandas-3 ``str`` columns (the contract says object dtype, but a
    # frame built by hand may not follow it), and GX compares dates vectorised only for
    # datetime64[ns]: other units go value by value, ~5x slower on a million rows. Dates that
    # nanoseconds cannot hold (after 2262, e.g. a Buddhist-Era year) keep their unit.
    converted = {name: object for name, dtype in frame.dtypes.items()
                 if isinstance(dtype, pd.StringDtype)}
    converted.update({name: "datetime64[ns]" for name in frame.columns
                      if _fits_nanoseconds(frame[name])})
    safe = frame.astype(converted) if converted else frame
    # A named index (the table-schema stage names it "row") makes GX report failing rows as
    # {"row": 147} instead of 147.
    return safe.rename_axis(None) if safe.index.name is not None else safe


def _fits_nanoseconds(column: pd.Series) -> bool:
    dtype = column.dtype
    if not pd.api.types.is_datetime64_dtype(dtype) or dtype == "datetime64[ns]":
        return False
    values = column.dropna()
    return values.empty or (values.min() >= pd.Timestamp.min and values.max() <= pd.Timestamp.max)
