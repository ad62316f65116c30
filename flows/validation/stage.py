"""The validation stage as the CLI and the flows run it: validate datasets, write their reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

from flows.datasets import discover_datasets, load_dataset
from flows.validation.findings import ValidationResult
from flows.validation.report import write_reports
from flows.validation.validate import validate_datasets


@dataclass(frozen=True)
class DatasetReport:
    """One dataset's result and where its reports were written."""

    result: ValidationResult
    files: dict[str, Path]


def run_validation(root: Path, *, out_dir: Path, today: date,
                   dataset_ids: Sequence[str] = ()) -> list[DatasetReport]:
    """Validate the named datasets (all when none are named) and write reports to ``out/<id>/``.

    Foreign keys are checked against every dataset of the project, so validating one dataset
    still loads the datasets it references.
    """
    specs = discover_datasets(root)
    wanted = [load_dataset(root, dataset_id) for dataset_id in dataset_ids] or specs
    results = validate_datasets(_with_references(wanted, specs), today=today)
    return [DatasetReport(result=results[spec.id],
                          files=write_reports(results[spec.id], out_dir / spec.id))
            for spec in wanted]


def _with_references(wanted, specs):
    """The wanted datasets plus every other one, so foreign keys can be checked."""
    wanted_ids = {spec.id for spec in wanted}
    return list(wanted) + [spec for spec in specs if spec.id not in wanted_ids]
