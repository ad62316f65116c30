"""The benchmark's generated table and its timing harness, on 1,000 rows (no timing assertions)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import frictionless
import pytest

from flows.benchmark import (CATEGORIES, BenchmarkError, BenchmarkFiles, Stage, format_report,
                             generate_dataset, read_with_pyarrow, run_benchmark, time_stage,
                             validate_generated)
from flows.validation.expectations.suite_file import read_suite_file, rule_meta

ROWS = 1_000


def _digests(files: BenchmarkFiles) -> list[str]:
    return [hashlib.sha256(path.read_bytes()).hexdigest()
            for path in (files.csv, files.schema, files.suite)]


def _schema(files: BenchmarkFiles) -> frictionless.Schema:
    descriptor = json.loads(files.schema.read_text(encoding="utf-8"))
    return frictionless.Schema.from_descriptor(descriptor)


# Stages run in a spawned process, so the stubs are module-level functions (sent by reference).
def count_lines_instead_of_validating(files: BenchmarkFiles) -> dict[str, Any]:
    with files.csv.open(encoding="utf-8") as handle:
        return {"rows": sum(1 for _ in handle) - 1}


def fail_on_purpose(files: BenchmarkFiles) -> dict[str, Any]:
    raise ValueError(f"stub failure for {files.csv.name}")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> BenchmarkFiles:
    return generate_dataset(tmp_path_factory.mktemp("bench"), rows=ROWS, seed=7)


def test_same_seed_gives_the_same_files(generated: BenchmarkFiles, tmp_path: Path) -> None:
    again = generate_dataset(tmp_path / "again", rows=ROWS, seed=7)
    other = generate_dataset(tmp_path / "other", rows=ROWS, seed=8)
    assert _digests(again) == _digests(generated)
    assert _digests(other)[0] != _digests(generated)[0]
    assert _digests(other)[1:] == _digests(generated)[1:]  # schema and suite do not depend on it


def test_generated_csv_is_valid_against_its_schema(generated: BenchmarkFiles) -> None:
    resource = frictionless.Resource(path=generated.csv.name, basepath=str(generated.csv.parent),
                                     schema=_schema(generated),
                                     encoding="utf-8", format="csv")
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert report.tasks[0].stats["rows"] == ROWS


def test_generated_columns_cover_the_mixed_types(generated: BenchmarkFiles) -> None:
    schema = json.loads(generated.schema.read_text(encoding="utf-8"))
    assert [f["type"] for f in schema["fields"]] == [
        "integer", "date", "string", "string", "number", "boolean", "string", "integer"]
    with frictionless.Resource(path=generated.csv.name, basepath=str(generated.csv.parent),
                               schema=_schema(generated), encoding="utf-8",
                               format="csv") as resource:
        rows = resource.read_rows()
    assert [row["record_id"] for row in rows] == list(range(1, ROWS + 1))
    assert {row["category"] for row in rows} == set(CATEGORIES)
    assert any("ครั้งที่" in row["title_th"] for row in rows)
    assert 0 < sum(row["score"] is None for row in rows) < ROWS  # nullable, mostly present
    assert {row["is_active"] for row in rows} == {True, False}


def test_suite_is_a_valid_project_suite_file(generated: BenchmarkFiles) -> None:
    suite = read_suite_file(generated.suite)
    fields = {f["name"] for f in json.loads(generated.schema.read_text())["fields"]}
    assert suite.version == "1.0.0" and len(suite.expectations) == 5
    for expectation in suite.expectations:
        assert expectation["kwargs"]["column"] in fields
        assert rule_meta(expectation["meta"]).message_th


def test_harness_reports_both_timings_and_a_ratio(tmp_path: Path) -> None:
    stub = Stage("count lines (stub)", count_lines_instead_of_validating)
    report = run_benchmark(tmp_path, rows=ROWS, seed=7, validation=stub, timeout=120)
    assert report.baseline.stage == "pyarrow.csv.read_csv"
    assert report.baseline.outcome == {"rows": ROWS, "columns": 8}
    assert report.validation.outcome == {"rows": ROWS}
    for timing in (report.baseline, report.validation):
        assert timing.seconds > 0 and timing.process_seconds >= timing.seconds
        assert timing.peak_rss_mb >= timing.rss_before_mb > 0
    assert report.ratio == pytest.approx(report.validation.seconds / report.baseline.seconds)
    written = json.loads((tmp_path / "benchmark.json").read_text(encoding="utf-8"))
    assert written["ratio"] == report.ratio and written["rows"] == ROWS
    assert set(written["baseline"]) == set(written["validation"]) >= {
        "seconds", "peak_rss_mb", "process_seconds"}
    table = format_report(report)
    assert "(a) pyarrow.csv.read_csv" in table and "(b) count lines (stub)" in table
    assert "ratio (b)/(a)" in table


def test_a_failing_stage_is_reported_with_its_traceback(generated: BenchmarkFiles) -> None:
    with pytest.raises(BenchmarkError, match="stub failure for benchmark.csv"):
        time_stage(Stage("broken", fail_on_purpose), generated, timeout=120)


def test_baseline_reads_the_generated_table(generated: BenchmarkFiles) -> None:
    assert read_with_pyarrow(generated) == {"rows": ROWS, "columns": 8}


def test_validation_stage_accepts_the_generated_table(generated: BenchmarkFiles) -> None:
    """The benchmark times the clean path: the real stage finds nothing in the generated data."""
    assert validate_generated(generated) == {"rows": ROWS, "findings": 0, "blocking": False,
                                             "rules": []}
