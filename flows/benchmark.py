"""How much does validating a big table cost, compared with just reading it?

Generates a deterministic CSV (``--rows`` × 8 columns of mixed types, Thai and English text) with
its Table Schema and a small GX suite, then times (a) ``pyarrow.csv.read_csv`` of that file, the
fastest reasonable way to read it, and (b) the whole validation stage (``validate_table``). Each
stage runs in its own fresh process so that peak memory (max RSS) is that stage's alone.

Example:

    python -m flows.benchmark --rows 1000000 --out out/benchmark

The table goes to stdout and the same numbers to ``<out>/benchmark.json``.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import platform
import resource
import sys
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any, Callable

import click

from flows.errors import SenateCatalogError

DEFAULT_SEED = 1303
DEFAULT_TIMEOUT_SECONDS = 3_600
DATASET = "benchmark"
#: Fixed, so the findings of a run never depend on the day it ran.
BENCHMARK_TODAY = date(2026, 1, 1)

FIRST_DATE = date(2019, 1, 1)
DATE_SPAN_DAYS = 6 * 365
CATEGORIES = ("เห็นด้วย", "ไม่เห็นด้วย", "งดออกเสียง", "ไม่ลงคะแนนเสียง")
THAI_SUBJECTS = ("ร่างพระราชบัญญัติ", "ญัตติ", "กระทู้ถาม", "รายงานของคณะกรรมาธิการ",
                 "ร่างพระราชกำหนด")
THAI_TOPICS = ("งบประมาณรายจ่ายประจำปี", "การศึกษาแห่งชาติ", "ภาษีสรรพสามิต",
               "การคุ้มครองข้อมูลส่วนบุคคล", "การบริหารราชการแผ่นดิน", "สาธารณสุข")
EN_SUBJECTS = ("Bill on", "Motion on", "Question on", "Committee report on", "Royal decree on")
EN_TOPICS = ("the annual budget", "national education", "excise tax", "personal data protection",
             "public administration", "public health")
NULL_SCORE_SHARE = 0.1


class BenchmarkError(SenateCatalogError):
    """A benchmark stage failed or ran out of time."""


@dataclass(frozen=True)
class BenchmarkFiles:
    """The generated table and its declarations, side by side in the output folder."""

    csv: Path
    schema: Path
    suite: Path


@dataclass(frozen=True)
class Stage:
    """One timed stage: ``prepare`` (imports, untimed) then ``run`` (timed) in a fresh process.

    Both must be module-level functions: they are sent to the child process by reference.
    """

    name: str
    run: Callable[[BenchmarkFiles], dict[str, Any]]
    prepare: Callable[[], None] | None = None


@dataclass
class StageTiming:
    """What one stage cost: wall time of ``run``, its process's peak memory, what it returned."""

    stage: str
    seconds: float
    prepare_seconds: float
    process_seconds: float
    rss_before_mb: float
    peak_rss_mb: float
    outcome: dict[str, Any] = field(default_factory=dict)


@dataclass
class BenchmarkReport:
    rows: int
    columns: int
    seed: int
    csv_bytes: int
    generate_seconds: float
    baseline: StageTiming
    validation: StageTiming
    ratio: float
    environment: dict[str, Any]


# --- the generated table ------------------------------------------------------------------------

def benchmark_schema() -> dict[str, Any]:
    """The Table Schema of the generated CSV: eight columns, one per kind of value."""
    return {
        "version": "1.0.0",
        "fields": [
            {"name": "record_id", "type": "integer", "title": "รหัสรายการ",
             "description_th": "รหัสรายการ ไม่ซ้ำกัน",
             "constraints": {"required": True, "unique": True}},
            {"name": "event_date", "type": "date", "title": "วันที่",
             "description_th": "วันที่ของรายการ ปีคริสต์ศักราช"},
            {"name": "title_th", "type": "string", "title": "ชื่อเรื่อง",
             "description_th": "ชื่อเรื่องภาษาไทย"},
            {"name": "title_en", "type": "string", "title": "Title",
             "description_th": "ชื่อเรื่องภาษาอังกฤษ"},
            {"name": "amount", "type": "number", "title": "จำนวนเงิน",
             "description_th": "จำนวนเงิน (บาท)", "constraints": {"minimum": 0}},
            {"name": "is_active", "type": "boolean", "title": "ยังมีผล",
             "description_th": "รายการยังมีผลอยู่หรือไม่"},
            {"name": "category", "type": "string", "title": "ผลการลงมติ",
             "description_th": "ผลการลงมติของรายการ",
             "constraints": {"enum": list(CATEGORIES)}},
            {"name": "score", "type": "integer", "title": "คะแนน",
             "description_th": "คะแนนของรายการ 0 ถึง 100",
             "constraints": {"minimum": 0, "maximum": 100}},
        ],
        "primaryKey": ["record_id"],
        "missingValues": [""],
    }


def benchmark_suite() -> dict[str, Any]:
    """A small GX suite (core expectations only) in the project's suite-file shape."""
    def expectation(kind: str, rule: str, message_th: str, message_en: str,
                    **kwargs: Any) -> dict[str, Any]:
        return {"type": kind, "kwargs": kwargs,
                "meta": {"rule": rule, "severity": "error", "field": kwargs["column"],
                         "message_th": message_th, "message_en": message_en,
                         "hint_th": "ข้อมูลทดสอบสร้างขึ้นเอง ไม่ควรพบข้อนี้",
                         "hint_en": "Generated benchmark data; this should never fail"}}
    return {
        "name": f"{DATASET}.expectations", "meta": {"version": "1.0.0"},
        "expectations": [
            expectation("expect_column_values_to_not_be_null", "record-id-present",
                        "ไม่มีรหัสรายการ", "record_id is missing", column="record_id"),
            expectation("expect_column_values_to_be_unique", "record-id-unique",
                        "รหัสรายการซ้ำ", "record_id is repeated", column="record_id"),
            expectation("expect_column_values_to_be_between", "amount-in-range",
                        "จำนวนเงินอยู่นอกช่วงที่เป็นไปได้", "amount is out of range",
                        column="amount", min_value=0, max_value=1_000_000),
            expectation("expect_column_values_to_be_in_set", "category-known",
                        "ผลการลงมติไม่อยู่ในรายการที่กำหนด", "category is not a known value",
                        column="category", value_set=list(CATEGORIES)),
            expectation("expect_column_values_to_be_between", "score-in-range",
                        "คะแนนอยู่นอกช่วง 0-100", "score is outside 0-100",
                        column="score", min_value=0, max_value=100),
        ],
    }


def generate_rows(rows: int, *, seed: int = DEFAULT_SEED):
    """Yield the header, then ``rows`` deterministic rows of text cells.

    Only ``Random.random()`` is used: Python guarantees its sequence for a seed across versions,
    which it does not for ``randrange`` or ``choice``.
    """
    rng = Random(seed)
    draw = rng.random
    dates = [(FIRST_DATE + timedelta(days=day)).isoformat() for day in range(DATE_SPAN_DAYS)]

    def pick(values):
        return values[int(draw() * len(values))]

    yield [spec["name"] for spec in benchmark_schema()["fields"]]
    for record_id in range(1, rows + 1):
        topic = int(draw() * len(THAI_TOPICS))
        sitting = int(draw() * 500) + 1
        score = "" if draw() < NULL_SCORE_SHARE else str(int(draw() * 101))
        yield [str(record_id), pick(dates),
               f"{pick(THAI_SUBJECTS)}{THAI_TOPICS[topic]} ครั้งที่ {sitting}",
               f"{pick(EN_SUBJECTS)} {EN_TOPICS[topic]}, sitting {sitting}",
               f"{draw() * 1_000_000:.2f}", "true" if draw() < 0.5 else "false",
               pick(CATEGORIES), score]


def generate_dataset(out_dir: Path, *, rows: int, seed: int = DEFAULT_SEED) -> BenchmarkFiles:
    """Write ``benchmark.csv``, ``benchmark.schema.json`` and ``benchmark.expectations.json``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = BenchmarkFiles(csv=out_dir / f"{DATASET}.csv",
                           schema=out_dir / f"{DATASET}.schema.json",
                           suite=out_dir / f"{DATASET}.expectations.json")
    with files.csv.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(generate_rows(rows, seed=seed))
    for path, document in ((files.schema, benchmark_schema()), (files.suite, benchmark_suite())):
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
    return files


# --- the two stages -----------------------------------------------------------------------------

def _import_pyarrow() -> None:
    import pyarrow.csv  # noqa: F401  (imported here so the import is not timed)


def read_with_pyarrow(files: BenchmarkFiles) -> dict[str, Any]:
    """Baseline: parse the CSV into an Arrow table (typed columns, all cores)."""
    import pyarrow.csv

    table = pyarrow.csv.read_csv(files.csv)
    return {"rows": table.num_rows, "columns": table.num_columns}


def _import_validation() -> None:
    import great_expectations  # noqa: F401  (the heaviest import of the stage; not timed)

    import flows.validation.validate  # noqa: F401


def validate_generated(files: BenchmarkFiles) -> dict[str, Any]:
    """The validation stage as the pipeline runs it on one dataset."""
    from flows.validation.validate import validate_table

    result = validate_table(files.csv, schema_path=files.schema, suite_path=files.suite,
                            dataset=DATASET, declared_encoding="utf-8", today=BENCHMARK_TODAY)
    return {"rows": result.rows, "findings": len(result.findings), "blocking": result.blocking,
            "rules": sorted({finding.rule for finding in result.findings})}


PYARROW_STAGE = Stage("pyarrow.csv.read_csv", read_with_pyarrow, _import_pyarrow)
VALIDATION_STAGE = Stage("validate_table", validate_generated, _import_validation)


# --- the harness --------------------------------------------------------------------------------

def time_stage(stage: Stage, files: BenchmarkFiles, *,
               timeout: float = DEFAULT_TIMEOUT_SECONDS) -> StageTiming:
    """Run ``stage`` in a fresh (spawned) process; its peak RSS is then the stage's own."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_run_in_child, args=(stage, files, sender),
                              name=f"benchmark-{stage.name}", daemon=True)
    started = time.perf_counter()
    process.start()
    sender.close()  # so a child that dies leaves EOF in the pipe instead of a hang
    try:
        message = _receive(receiver, stage.name, timeout)
    except BenchmarkError:
        process.terminate()  # our own child, stuck or already gone
        raise
    finally:
        process.join(timeout=30)
        receiver.close()
    if "error" in message:
        raise BenchmarkError(f"stage {stage.name} failed:\n{message['error']}")
    return StageTiming(stage=stage.name, process_seconds=time.perf_counter() - started, **message)


def _receive(receiver: Any, name: str, timeout: float) -> dict[str, Any]:
    if not receiver.poll(timeout):
        raise BenchmarkError(f"stage {name} did not finish in {timeout:.0f} s; "
                             "use fewer --rows or a longer --timeout")
    try:
        return receiver.recv()
    except EOFError as exc:
        raise BenchmarkError(f"stage {name} died before reporting (out of memory?); "
                             "try fewer --rows") from exc


def _run_in_child(stage: Stage, files: BenchmarkFiles, sender: Any) -> None:
    try:
        began = time.perf_counter()
        if stage.prepare is not None:
            stage.prepare()
        prepared = time.perf_counter()
        rss_before = _peak_rss_mb()
        outcome = stage.run(files)
        finished = time.perf_counter()
        sender.send({"seconds": finished - prepared, "prepare_seconds": prepared - began,
                     "rss_before_mb": rss_before, "peak_rss_mb": _peak_rss_mb(),
                     "outcome": outcome})
    except BaseException:  # noqa: BLE001 - the parent reports it; a child must not die silently
        sender.send({"error": traceback.format_exc()})
    finally:
        sender.close()


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_benchmark(out_dir: Path, *, rows: int, seed: int = DEFAULT_SEED,
                  baseline: Stage = PYARROW_STAGE, validation: Stage = VALIDATION_STAGE,
                  timeout: float = DEFAULT_TIMEOUT_SECONDS) -> BenchmarkReport:
    """Generate the table, time both stages, write ``benchmark.json``; return the numbers."""
    started = time.perf_counter()
    files = generate_dataset(out_dir, rows=rows, seed=seed)
    generate_seconds = time.perf_counter() - started
    baseline_timing = time_stage(baseline, files, timeout=timeout)
    validation_timing = time_stage(validation, files, timeout=timeout)
    report = BenchmarkReport(
        rows=rows, columns=len(benchmark_schema()["fields"]), seed=seed,
        csv_bytes=files.csv.stat().st_size, generate_seconds=generate_seconds,
        baseline=baseline_timing, validation=validation_timing,
        ratio=validation_timing.seconds / max(baseline_timing.seconds, 1e-9),
        environment=_environment())
    (out_dir / "benchmark.json").write_text(
        json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


def _environment() -> dict[str, Any]:
    try:
        import pyarrow
        pyarrow_version = pyarrow.__version__
    except ImportError:
        pyarrow_version = None
    return {"python": platform.python_version(), "machine": platform.machine(),
            "cpus": multiprocessing.cpu_count(), "pyarrow": pyarrow_version}


def format_report(report: BenchmarkReport) -> str:
    """The numbers as a plain-text table."""
    lines = [f"{report.rows:,} rows × {report.columns} columns, "
             f"{report.csv_bytes / 1e6:,.1f} MB CSV (seed {report.seed}, "
             f"generated in {report.generate_seconds:,.1f} s)", "",
             f"{'stage':<28}{'wall s':>10}{'peak RSS MB':>14}{'RSS before MB':>16}"]
    for label, timing in (("(a) " + report.baseline.stage, report.baseline),
                          ("(b) " + report.validation.stage, report.validation)):
        lines.append(f"{label:<28}{timing.seconds:>10.2f}{timing.peak_rss_mb:>14.1f}"
                     f"{timing.rss_before_mb:>16.1f}")
    lines += ["", f"ratio (b)/(a): {report.ratio:,.1f}×",
              f"validation outcome: {json.dumps(report.validation.outcome, ensure_ascii=False)}"]
    return "\n".join(lines)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--rows", type=click.IntRange(min=1), default=1_000_000, show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out/benchmark"), show_default=True)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT_SECONDS,
              show_default=True, help="Seconds each stage may take.")
def main(rows: int, out_dir: Path, seed: int, timeout: float) -> None:
    """Time the validation stage against a plain pyarrow read of the same CSV.

    Example:

        python -m flows.benchmark --rows 1000000 --out out/benchmark
    """
    try:
        report = run_benchmark(out_dir, rows=rows, seed=seed, timeout=timeout)
    except BenchmarkError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_report(report))
    click.echo(f"\nJSON: {out_dir / 'benchmark.json'}")


if __name__ == "__main__":
    # Run the command from the imported module, not from ``__main__``: the stages are sent to
    # the child processes by reference and must resolve to ``flows.benchmark`` there.
    from flows.benchmark import main as _main

    _main()
