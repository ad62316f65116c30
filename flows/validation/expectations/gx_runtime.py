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
import functools
import threading
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

_GX_LOCK = threading.RLock()


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

    with _GX_LOCK:   # GX's registry of expectation types is one per process
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
    """Run the whole ``suite`` on ``frame`` in one GX validation; one GX result per expectation
    (not in suite order). ``frame`` goes to GX as it is: prepare it with ``gx_frame.frame_for_gx``.

    One validation, not one per expectation: GX then builds one metric graph for the suite, so
    expectations share what they compute (a column's null mask, its distinct values). And one
    batch load: ``Batch.validate`` would load the frame a second time (GX fingerprints every
    load by hashing the whole frame: seconds and a copy's worth of memory on a million rows), so
    the validator is made from the batch definition directly, as ``ValidationDefinition.run``
    does.
    """
    from great_expectations.validator.v1_validator import Validator

    # One GX context, data source and batch cache per process: two threads validating at once
    # would swap each other's frame ("Unable to find batch"). GX is a small share of a
    # dataset's validation, so the flow's threads take turns here.
    with _GX_LOCK:
        batch_definition = batch_definition_of_process()
        validator = Validator(batch_definition=batch_definition, result_format=RESULT_FORMAT,
                              batch_parameters={"dataframe": frame})
        try:
            outcome = validator.validate_expectation_suite(suite,
                                                           expectation_parameters=parameters)
        finally:
            _release_frame(batch_definition)
    return list(outcome.results)


def _release_frame(batch_definition: "BatchDefinition") -> None:
    # The data source's execution engine (one per process) keeps the last frame it loaded until
    # the next load: the next dataset would be read while this one's GX frame is still held.
    engine = batch_definition.data_asset.datasource.get_execution_engine()
    engine.batch_manager.batch_data_cache.clear()   # the frame GX computes on
    engine.batch_manager.reset_batch_cache()        # the batch, whose request holds it too


def run_parameters(suite_file: SuiteFile, *, today: datetime.date) -> dict[str, Any]:
    """The suite's own parameters plus ``today`` (a datetime: GX compares dates with those)."""
    return {**suite_file.parameters,
            "today": datetime.datetime.combine(today, datetime.time())}


@functools.cache
def batch_definition_of_process() -> "BatchDefinition":
    """The process's one GX context, pandas data source and whole-frame batch definition, made
    on first use: its set-up is the slow part. ``batch_definition_of_process.cache_clear()``
    makes the next validation set up a new one."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.enable_analytics(False)
    context.variables.progress_bars = ProgressBarsConfig(globally=False,
                                                         metric_calculations=False)
    _skip_frame_fingerprint()
    asset = context.data_sources.add_pandas("frames").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole-frame")


def _skip_frame_fingerprint() -> None:
    """Stop GX hashing every frame it loads (``pandas_data_fingerprint``, a marker in the result's
    meta that we never read). The hash costs more than the whole validation: pandas hashes Arrow
    text through Python objects, ~270 MB and a second for a million distinct Thai names. GX
    only hashes frames smaller than ``HASH_THRESHOLD`` bytes; 0 means none. Process-wide, but
    this process's only GX user is this module (test_gx_runtime checks the marker is gone, so an
    upgrade that moves the knob is noticed)."""
    from great_expectations.execution_engine import pandas_execution_engine

    pandas_execution_engine.HASH_THRESHOLD = 0


def _register_custom_expectations() -> None:
    # Defining the classes registers them with GX; the suite files name them by type.
    import flows.validation.expectations.custom  # noqa: F401
