"""The validation stage as the CLI and the flows run it: validate datasets, write their reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from flows.datasets import DatasetSpec, discover_datasets, load_dataset
from flows.validation.findings import ValidationResult
from flows.validation.report import write_reports
from flows.validation.validate import referenced_datasets, validate_datasets_with_tables
from flows.validation.validated_table import ValidatedTable


@dataclass(frozen=True)
class DatasetReport:
    """One dataset's result and where its reports were written."""

    result: ValidationResult
    files: dict[str, Path]


def run_validation(root: Path, *, out_dir: Path, today: date,
                   dataset_ids: Sequence[str] = ()) -> list[DatasetReport]:
    """Validate the named datasets (all when none are named) and write reports to ``out/<id>/``.

    Validating one dataset also loads the datasets its foreign keys reference (transitively),
    so the keys are checked; only the named datasets get reports.
    """
    return [report for report, _ in run_validation_with_tables(
        root, out_dir=out_dir, today=today, dataset_ids=dataset_ids)]


def run_validation_with_tables(root: Path, *, out_dir: Path, today: date,
                               dataset_ids: Sequence[str] = ()
                               ) -> list[tuple[DatasetReport, ValidatedTable | None]]:
    """``run_validation``, each report with the table validation checked (for describe, in
    this process; never part of a report, so never cached or persisted with one)."""
    wanted = [load_dataset(root, dataset_id) for dataset_id in dataset_ids] or \
        discover_datasets(root)
    checked = validate_datasets_with_tables(_with_references(wanted, _finder(root, wanted)),
                                            today=today)
    return [(DatasetReport(result=checked[spec.id].result,
                           files=write_reports(checked[spec.id].result, out_dir / spec.id)),
             checked[spec.id].table)
            for spec in wanted]


def _finder(root: Path, known: list[DatasetSpec]) -> Callable[[str], DatasetSpec | None]:
    """Find a dataset of the project by id, reading only the metadata files asked for (not
    every dataset of the project for each one validated: that grew with the square of the
    catalog's size)."""
    by_id: dict[str, DatasetSpec | None] = {spec.id: spec for spec in known}

    def find(dataset_id: str) -> DatasetSpec | None:
        if dataset_id not in by_id:
            exists = (root / "metadata" / f"{dataset_id}.yaml").is_file()
            by_id[dataset_id] = load_dataset(root, dataset_id) if exists else None
        return by_id[dataset_id]

    return find


def _with_references(wanted: list[DatasetSpec],
                     find: Callable[[str], DatasetSpec | None]) -> list[DatasetSpec]:
    """The wanted datasets plus those their foreign keys reference, so the keys can be checked."""
    chosen = {spec.id: spec for spec in wanted}
    for spec in wanted:
        for target, found in reference_closure(spec, find).items():
            if found is not None:
                chosen.setdefault(target, found)
    return list(chosen.values())


def reference_closure(spec: DatasetSpec, lookup: Callable[[str], DatasetSpec | None]
                      ) -> dict[str, DatasetSpec | None]:
    """Every dataset validating ``spec`` loads: those its foreign keys and code lists
    reference, and theirs in turn, by id. ``lookup`` finds a dataset by id; an id it does not
    find (no ``metadata/<id>.yaml``) maps to None and is not followed.

    The flow's cache key (flows.orchestrate.fingerprint) hashes exactly these, so a change to
    any of them, in the run or not, invalidates ``spec``'s cached result.
    """
    found: dict[str, DatasetSpec | None] = {}
    pending = [spec]
    while pending:
        for target in referenced_datasets(pending.pop()):
            if target == spec.id or target in found:
                continue
            found[target] = lookup(target)
            if found[target] is not None:
                pending.append(found[target])
    return found
