"""The expectations stage: run a dataset's GX suite on its typed frame, return findings."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Collection

import pandas as pd

from flows.errors import ConfigError
from flows.validation.expectations.gx_frame import frame_for_gx
from flows.validation.expectations.gx_runtime import build_gx_suite, run_parameters, validate_frame
from flows.validation.expectations.result_findings import findings_from_result
from flows.validation.expectations.suite_file import SuiteError, read_suite_file
from flows.validation.expectations.suite_findings import suite_missing, suite_unreadable
from flows.validation.findings import Finding, sort_findings


def check_suite(frame: pd.DataFrame, suite_path: Path, *, today: datetime.date,
                personal_fields: Collection[str] = ()) -> tuple[list[Finding], str]:
    """``check_expectations`` as the validation stage runs it: a missing suite is a
    ``suite/missing`` warning and one that cannot be used a ``suite/unreadable`` error (suite
    version "" for both), never an exception."""
    if not suite_path.exists():
        return [suite_missing(suite_path)], ""
    try:
        return check_expectations(frame, suite_path, today=today,
                                  personal_fields=personal_fields)
    except ConfigError as exc:   # the suite's fault, not the data's: report it, go on
        return [suite_unreadable(suite_path, exc)], ""


def check_suite_file(suite_path: Path) -> list[Finding]:
    """The suite file's own problems (missing, not a readable suite), without running it: for a
    dataset whose data could not be read, so its report still says what else needs fixing."""
    if not suite_path.exists():
        return [suite_missing(suite_path)]
    try:
        read_suite_file(suite_path)
    except SuiteError as exc:
        return [suite_unreadable(suite_path, exc)]
    return []


def check_expectations(frame: pd.DataFrame, suite_path: Path, *, today: datetime.date,
                       personal_fields: Collection[str] = ()) -> tuple[list[Finding], str]:
    """Run the suite at ``suite_path`` on ``frame``; return (findings, suite version).

    ``frame`` is the table-schema stage's typed frame: its index is the row number (header = 1),
    which becomes ``Finding.row``. ``today`` bounds "no future dates" (injected, never read from
    the clock here). Values of ``personal_fields`` columns are masked in findings. A suite file
    that cannot be read or that GX rejects raises ``ConfigError``; bad data never raises.
    """
    if not frame.index.is_unique:
        raise ValueError("the frame's index must be the row number (unique); build it with "
                         "the table-schema stage or index=range(2, len(rows) + 2)")
    suite_file = read_suite_file(suite_path)
    results = validate_frame(frame_for_gx(frame, suite_file.expectations),
                             build_gx_suite(suite_file),
                             parameters=run_parameters(suite_file, today=today))
    findings = [finding for result in results
                for finding in findings_from_result(result, frame=frame,
                                                    personal_fields=personal_fields)]
    return sort_findings(findings), suite_file.version
