"""The benchmark's generated table, its harness and its report, on a few thousand rows.

No timing assertions: the benchmark (``make bench``) measures, these tests check that what it
measures is the right table and that it reports what happened.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import frictionless
import pyarrow.csv
import pytest

from flows.benchmark import (READ, BenchmarkReport, SizeResult, Stage, StageTiming,
                             read_with_pyarrow, run_benchmark, time_stage, validate_generated)
from flows.benchmark_report import format_report, format_verdicts, verdicts
from flows.benchmark_table import (BENCHMARK_TODAY, DATASET, DEFECTS, FIELD_NAMES,
                                   BenchmarkFiles, generate_dataset, read_defects)
from flows.validation.expectations.suite_file import read_suite_file, rule_meta
from flows.validation.validate import validate_table

ROWS = 2_000
#: Enough bad rows that every kind shows up at least once in 2,000 rows (the default 0.1 % of
#: cells gives about 18 bad rows there, fewer than there are kinds).
BAD_SHARE = 0.002

#: What the validation stage must report for each planted kind: (rule, field; None = no field).
EXPECTED_FINDING = {
    "integer-type": ("schema/type-error", "score"),
    "number-type": ("schema/type-error", "amount"),
    "boolean-type": ("schema/type-error", "is_active"),
    "date-type": ("schema/type-error", "event_date"),
    "required": ("schema/constraint-error", "title_th"),
    "enum": ("schema/constraint-error", "category"),
    "pattern": ("schema/constraint-error", "doc_code"),
    "minimum": ("schema/constraint-error", "amount"),
    "maximum": ("schema/constraint-error", "score"),
    "min-length": ("schema/constraint-error", "title_th"),
    "max-length": ("schema/constraint-error", "title_th"),
    "primary-key": ("schema/primary-key", None),
    "unique": ("schema/unique-error", "doc_code"),
    "thai-digits": ("thai/thai-digits", "score"),
    "buddhist-era-year": ("thai/buddhist-era-year", "event_date"),
    "national-id": ("personal-data/thai-national-id", "remark"),
    "phone": ("personal-data/phone-number", "remark"),
    "email": ("personal-data/email", "remark"),
    "blank-row": ("structure/blank-row", None),
    "short-row": ("structure/missing-cell", "score"),
    "long-row": ("structure/extra-cell", None),
}

#: What frictionless itself reports for the kinds it sees: (error type, field, constraint).
FRICTIONLESS_ERROR = {
    "integer-type": ("type-error", "score", None),
    "number-type": ("type-error", "amount", None),
    "boolean-type": ("type-error", "is_active", None),
    "date-type": ("type-error", "event_date", None),
    "required": ("constraint-error", "title_th", "required"),
    "enum": ("constraint-error", "category", "enum"),
    "pattern": ("constraint-error", "doc_code", "pattern"),
    "minimum": ("constraint-error", "amount", "minimum"),
    "maximum": ("constraint-error", "score", "maximum"),
    "min-length": ("constraint-error", "title_th", "minLength"),
    "max-length": ("constraint-error", "title_th", "maxLength"),
    "primary-key": ("primary-key", None, None),   # a row error: no field
    "unique": ("unique-error", "doc_code", None),
    "blank-row": ("blank-row", None, None),
    "short-row": ("missing-cell", "score", None),
    "long-row": ("extra-cell", "", None),
}
#: Where the project is deliberately stricter than frictionless, or checks what it does not.
PROJECT_ONLY = {"thai-digits", "buddhist-era-year", "national-id", "phone", "email"}


def _digests(files: BenchmarkFiles) -> list[str]:
    return [hashlib.sha256(path.read_bytes()).hexdigest()
            for path in (files.csv, files.schema, files.suite, files.defects)]


def _frictionless_errors(files: BenchmarkFiles) -> list[Any]:
    schema = frictionless.Schema.from_descriptor(json.loads(files.schema.read_text("utf-8")))
    resource = frictionless.Resource(path=files.csv.name, basepath=str(files.csv.parent),
                                     schema=schema, encoding="utf-8", format="csv")
    report = resource.validate(frictionless.Checklist(), limit_errors=100_000)
    return [error for task in report.tasks for error in task.errors]


def _constraint(error: Any) -> str | None:
    if error.type != "constraint-error":
        return None
    return error.note.split('"')[1]   # 'constraint "minLength" is "8"'


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> BenchmarkFiles:
    return generate_dataset(tmp_path_factory.mktemp("bench"), rows=ROWS, seed=7,
                            bad_share=BAD_SHARE)


# --- the generated table ----------------------------------------------------------------------

def test_same_seed_gives_the_same_files(generated: BenchmarkFiles, tmp_path: Path) -> None:
    again = generate_dataset(tmp_path / "again", rows=ROWS, seed=7, bad_share=BAD_SHARE)
    other = generate_dataset(tmp_path / "other", rows=ROWS, seed=8, bad_share=BAD_SHARE)
    assert _digests(again) == _digests(generated)
    assert _digests(other)[0] != _digests(generated)[0]
    assert _digests(other)[1:3] == _digests(generated)[1:3]  # schema and suite: seed-free


def test_a_generated_table_is_reused_not_rewritten(tmp_path: Path) -> None:
    first = generate_dataset(tmp_path, rows=500, seed=3)
    written = first.csv.stat().st_mtime_ns
    time.sleep(0.01)
    again = generate_dataset(tmp_path, rows=500, seed=3)
    bigger = generate_dataset(tmp_path, rows=600, seed=3)
    assert again.csv == first.csv and again.csv.stat().st_mtime_ns == written
    assert bigger.csv != first.csv and bigger.csv.exists()
    assert not list(tmp_path.glob(".*.partial"))


def test_every_kind_of_defect_is_planted(generated: BenchmarkFiles) -> None:
    defects = read_defects(generated)
    assert set(defects) == set(DEFECTS) == set(EXPECTED_FINDING)
    assert all(rows for rows in defects.values()), defects
    planted = sum(map(len, defects.values()))
    assert planted < ROWS * len(FIELD_NAMES) * BAD_SHARE * 1.5   # about the share asked for


def test_text_cells_carry_commas_and_doubled_quotes(generated: BenchmarkFiles) -> None:
    text = generated.csv.read_text(encoding="utf-8")
    with generated.csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    remarks = [row[FIELD_NAMES.index("remark")] for row in rows if len(row) > 4 and row[0]]
    quoted = [remark for remark in remarks if '"' in remark]
    assert all("," in remark for remark in remarks)
    assert 0.002 * len(remarks) <= len(quoted) <= 0.03 * len(remarks)
    assert text.count('""') >= 2 * len(quoted)    # written doubled, inside a quoted cell
    assert any("ครั้งที่" in row[FIELD_NAMES.index("title_th")] for row in rows if len(row) > 3)


def test_frictionless_sees_each_planted_schema_defect(generated: BenchmarkFiles) -> None:
    """The oracle agrees the defects are there (so the benchmark times real work), and does
    not see the ones only the project checks."""
    defects = read_defects(generated)
    errors = _frictionless_errors(generated)
    found = {(error.type, getattr(error, "field_name", None), _constraint(error),
              error.row_number) for error in errors}
    for kind, (error_type, field, constraint) in FRICTIONLESS_ERROR.items():
        for row in defects[kind]:
            assert (error_type, field, constraint, row) in found, (kind, row)
    rows_with_errors = {error.row_number for error in errors}
    for kind in PROJECT_ONLY:
        assert not rows_with_errors & set(defects[kind]), kind


def test_validation_stage_finds_each_planted_defect(generated: BenchmarkFiles) -> None:
    defects = read_defects(generated)
    result = validate_table(generated.csv, schema_path=generated.schema,
                            suite_path=generated.suite, dataset=DATASET,
                            declared_encoding="utf-8", today=BENCHMARK_TODAY)
    found = {(finding.rule, finding.field, finding.row) for finding in result.findings}
    for kind, (rule, field) in EXPECTED_FINDING.items():
        for row in defects[kind]:
            assert (rule, field, row) in found, (kind, row)


def test_a_clean_table_passes_the_whole_stage(tmp_path: Path) -> None:
    """With no planted defects, the suite, the scan and the schema find nothing: every finding
    in the benchmark comes from a planted defect."""
    clean = generate_dataset(tmp_path, rows=ROWS, seed=7, bad_share=0)
    assert not any(read_defects(clean).values())
    assert validate_generated(clean) == {"rows": ROWS, "findings": 0, "blocking": False,
                                         "rules": {}}


def test_suite_has_ten_expectations_the_project_reads(generated: BenchmarkFiles) -> None:
    suite = read_suite_file(generated.suite)
    fields = set(FIELD_NAMES)
    assert len(suite.expectations) == 10
    kinds = {expectation["type"] for expectation in suite.expectations}
    assert {"expect_column_values_to_not_be_buddhist_era_years",
            "expect_column_value_proportion_to_be_between"} <= kinds   # the project's own
    for expectation in suite.expectations:
        assert expectation["kwargs"].get("column", "record_id") in fields
        assert rule_meta(expectation["meta"]).message_th


def test_baseline_read_skips_only_the_short_and_long_rows(generated: BenchmarkFiles) -> None:
    defects = read_defects(generated)
    ragged = len(defects["short-row"]) + len(defects["long-row"])
    with pytest.raises(pyarrow.ArrowInvalid, match="columns"):
        pyarrow.csv.read_csv(generated.csv)   # why the baseline needs its row handler
    assert read_with_pyarrow(generated) == {"rows": ROWS - ragged, "columns": len(FIELD_NAMES),
                                            "skipped_rows": ragged}


# --- the harness ------------------------------------------------------------------------------
# Stages run in a spawned process, so the stubs are module-level functions (sent by reference).

def count_lines(files: BenchmarkFiles) -> dict[str, Any]:
    with files.csv.open(encoding="utf-8") as handle:
        return {"rows": sum(1 for _ in handle) - 1, "findings": 0}


def fail_on_purpose(files: BenchmarkFiles) -> dict[str, Any]:
    raise ValueError(f"stub failure for {files.csv.name}")


def sleep_too_long(files: BenchmarkFiles) -> dict[str, Any]:
    time.sleep(120)
    return {}


def hold_memory(files: BenchmarkFiles) -> dict[str, Any]:
    held = b"x" * (400 * 1024 * 1024)   # written, so resident (zero pages would not be)
    time.sleep(120)
    return {"held": len(held)}


@pytest.mark.slow  # runs the harness: ~5 s
def test_harness_reports_every_size_and_stage_with_failures_in_the_table(
        tmp_path: Path) -> None:
    stages = (READ, Stage("stage", "count lines (stub)", count_lines),
              Stage("frictionless", "broken (stub)", fail_on_purpose))
    lines: list[str] = []
    report = run_benchmark(tmp_path, sizes=[600, 300], seed=7, stages=stages, timeout=120,
                           progress=lines.append)
    assert [size.rows for size in report.sizes] == [300, 600]
    for size in report.sizes:
        read, counted, broken = (size.stages[key] for key in ("read", "stage", "frictionless"))
        assert read.outcome["rows"] + read.outcome["skipped_rows"] == size.rows
        assert counted.outcome["rows"] == size.rows
        assert counted.seconds > 0 and counted.process_seconds >= counted.seconds
        assert counted.peak_rss_mb >= counted.rss_before_mb > 0
        assert broken.seconds is None and broken.error.startswith("ValueError: stub failure")
        assert "fail_on_purpose" in broken.details
    assert len(lines) == 2 * (1 + len(stages))
    table = format_report(report)
    assert "FAILED: ValueError: stub failure for benchmark-r300" in table
    assert "count lines (stub)" in table and "frictionless / whole stage: n/a" in table
    written = json.loads((tmp_path / "benchmark.json").read_text(encoding="utf-8"))
    assert [size["rows"] for size in written["sizes"]] == [300, 600]
    assert written["sizes"][0]["ratios_to_read"]["read"] == pytest.approx(1.0)
    assert written["sizes"][0]["stages"]["frictionless"]["error"].startswith("ValueError")
    assert {verdict["passed"] for verdict in written["verdicts"]} == {None}   # no 1M size
    png = (tmp_path / "validation-scaling.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


@pytest.mark.slow  # waits out a timeout: ~3 s
def test_a_stage_past_its_timeout_is_stopped(generated: BenchmarkFiles) -> None:
    timing = time_stage(Stage("slow", "slow (stub)", sleep_too_long), generated, timeout=3)
    assert timing.seconds is None and "did not finish in 3 s" in timing.error


@pytest.mark.slow  # a child process grows: ~1.5 s
def test_a_stage_over_its_memory_limit_is_stopped(generated: BenchmarkFiles) -> None:
    timing = time_stage(Stage("big", "big (stub)", hold_memory), generated, timeout=60,
                        max_rss_mb=250)
    assert timing.seconds is None and "over --max-rss-mb 250" in timing.error
    assert timing.peak_rss_mb > 250


# --- the verdicts -----------------------------------------------------------------------------

def _timing(label: str, seconds: float, rss_mb: float = 100.0) -> StageTiming:
    return StageTiming(stage=label, seconds=seconds, peak_rss_mb=rss_mb)


def _report_at_1m(**overrides: StageTiming) -> BenchmarkReport:
    stages = {"read": _timing("read", 0.25), "checker": _timing("checker", 2.0),
              "stage": _timing("stage", 10.0, rss_mb=700.0),
              "frictionless": _timing("frictionless", 70.0)}
    size = SizeResult(rows=1_000_000, csv_bytes=200 * 1024 * 1024, generate_seconds=1.0,
                      stages={**stages, **overrides})
    return BenchmarkReport(seed=1, bad_share=0.001, columns=9, sizes=[size], environment={})


def test_verdicts_compare_each_ratio_with_the_issue_limit() -> None:
    found = {verdict.label: verdict for verdict in verdicts(_report_at_1m())}
    assert found["Table Schema checker / read"].value == pytest.approx(8.0)
    assert found["Table Schema checker / read"].passed is True
    assert found["whole stage / read"].passed is False            # 40x > 25x
    assert found["frictionless / whole stage"].value == pytest.approx(7.0)
    assert found["frictionless / whole stage"].passed is True
    assert found["whole-stage peak RSS / file size"].value == pytest.approx(3.5)
    text = format_verdicts(_report_at_1m())
    assert "PASS  Table Schema checker / read (<= 10x): 8.0" in text
    assert "FAIL  whole stage / read (<= 25x): 40.0" in text


def test_a_failed_stage_fails_its_verdicts() -> None:
    broken = StageTiming(stage="stage", error="did not finish in 10 s")
    text = format_verdicts(_report_at_1m(stage=broken))
    assert "FAIL  whole stage / read (<= 25x): a stage failed" in text
    assert "FAIL  frictionless / whole stage (>= 6x): a stage failed" in text
    assert "PASS  Table Schema checker / read" in text
