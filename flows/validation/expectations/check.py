"""The expectations stage: run a dataset's GX suite on its typed frame, return findings."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Collection

import pandas as pd

from flows.validation.expectations.gx_runtime import build_gx_suite, run_parameters, validate_frame
from flows.validation.expectations.result_findings import findings_from_result
from flows.validation.expectations.suite_file import read_suite_file
from flows.validation.findings import Finding, sort_findings


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
    results = validate_frame(frame, build_gx_suite(suite_file),
                             parameters=run_parameters(suite_file, today=today))
    findings = [finding for result in results
                for finding in findings_from_result(result, frame=frame,
                                                    personal_fields=personal_fields)]
    return sort_findings(findings), suite_file.version
