"""How much does validating a big table cost, compared with just reading it?

For each ``--rows`` size, on the generated table of ``flows.benchmark_table`` (9 columns, 0.1 %
bad cells of every kind), four stages run one after the other, each in its own fresh process so
that its peak memory (max RSS) is its own:

1. ``read``: ``pyarrow.csv.read_csv`` of the file, the baseline every ratio is against;
2. ``checker``: the Table Schema stage alone (``check_table_file``);
3. ``stage``: the whole validation stage (``validate_table``) with a 10-expectation suite and
   the personal-data scan;
4. ``frictionless``: frictionless' own validation of the same file, every error counted.

Imports, a warm-up of pyarrow and one read of the file into the page cache happen before the
clock starts. A stage that fails, runs past ``--timeout`` or grows
past ``--max-rss-mb`` is shown with its error in the table; the others still run.

Example:

    python -m flows.benchmark --rows 100000 --rows 1000000 --out out/benchmark

The table goes to stdout; the numbers to ``<out>/benchmark.json``; time and memory against rows
to ``<out>/validation-scaling.png``.
"""

from __future__ import annotations

import json
import multiprocessing
import platform
import resource
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from flows.atomic import write_text_atomic
from flows.benchmark_results import BenchmarkReport, SizeResult, StageTiming
from flows.benchmark_table import (BENCHMARK_TODAY, DATASET, DEFAULT_BAD_SHARE, DEFAULT_SEED,
                                   FIELD_NAMES, BenchmarkFiles, generate_dataset)
from flows.errors import SenateCatalogError

DEFAULT_TIMEOUT_SECONDS = 3_600
DEFAULT_SIZES = (100_000, 1_000_000, 5_000_000)
#: How often the parent looks at a running stage's memory.
_WATCH_SECONDS = 0.25


@dataclass(frozen=True)
class Stage:
    """One timed stage: ``prepare`` (imports, untimed) then ``run`` (timed) in a fresh process.

    Both must be module-level functions: they are sent to the child process by reference.
    """

    key: str
    label: str
    run: Callable[[BenchmarkFiles], dict[str, Any]]
    prepare: Callable[[], None] | None = None


class BenchmarkError(SenateCatalogError):
    """A stage's child process did not report; the message says why (shown in the table)."""


# --- the stages -------------------------------------------------------------------------------

def _import_pyarrow() -> None:
    """Import pyarrow and read a two-line CSV, untimed: the first read in a process starts
    pyarrow's thread pool and allocator (0.3 s on a loaded 2-core machine), a one-off cost of the
    process, not of the file. Every stage that reads with pyarrow gets the same warm-up."""
    import io

    import pyarrow.csv

    pyarrow.csv.read_csv(io.BytesIO(b"a,b\n1,2\n"))


def read_with_pyarrow(files: BenchmarkFiles) -> dict[str, Any]:
    """Baseline: pyarrow's CSV reader with its default options (typed columns, all cores).

    One addition: rows with too few or too many cells are skipped, not fatal. With pure
    defaults pyarrow stops at the first short row ("Expected 9 columns, got 7"), and the table
    has some on purpose; the handler runs only for those rows.
    """
    import pyarrow.csv

    skipped: list[int] = []

    def skip(row: Any) -> str:
        skipped.append(1)
        return "skip"

    table = pyarrow.csv.read_csv(
        files.csv, parse_options=pyarrow.csv.ParseOptions(invalid_row_handler=skip))
    return {"rows": table.num_rows, "columns": table.num_columns, "skipped_rows": len(skipped)}


def _import_checker() -> None:
    _import_pyarrow()
    import flows.validation.table_schema  # noqa: F401


def check_generated(files: BenchmarkFiles) -> dict[str, Any]:
    """The Table Schema stage alone, as the validation stage calls it."""
    from flows.validation.table_schema import check_table_file

    schema = json.loads(files.schema.read_text(encoding="utf-8"))
    checked = check_table_file(files.csv, schema, name=DATASET, encoding="utf-8")
    return {"rows": checked.rows, "findings": sum(finding.count for finding in checked.findings),
            "rules": _counts(finding.rule for finding in checked.findings)}


def _import_validation() -> None:
    _import_pyarrow()
    import great_expectations  # noqa: F401  (the heaviest import of the stage; not timed)

    import flows.validation.expectations.custom  # noqa: F401
    import flows.validation.validate  # noqa: F401


def _warm_validation() -> None:
    """The one-time set-up of a process that validates, untimed, as the pyarrow stage first
    reads a two-line CSV: imports, GX's context, the personal-data patterns compiled once. A
    flow pays it once per process, not per dataset; the timed run is one dataset's cost."""
    _import_validation()
    with tempfile.TemporaryDirectory() as folder:
        validate_generated(generate_dataset(Path(folder), rows=300))


def _warm_checker() -> None:
    """``_warm_validation`` for the checker alone."""
    _import_checker()
    with tempfile.TemporaryDirectory() as folder:
        check_generated(generate_dataset(Path(folder), rows=300))


def validate_generated(files: BenchmarkFiles) -> dict[str, Any]:
    """The validation stage as the pipeline runs it on one dataset: suite and scan included."""
    from flows.validation.validate import validate_table

    result = validate_table(files.csv, schema_path=files.schema, suite_path=files.suite,
                            dataset=DATASET, declared_encoding="utf-8", today=BENCHMARK_TODAY)
    return {"rows": result.rows, "findings": sum(finding.count for finding in result.findings), "blocking": result.blocking,
            "rules": _counts(finding.rule for finding in result.findings)}


def _import_frictionless() -> None:
    import frictionless  # noqa: F401


def _warm_frictionless() -> None:
    """``_warm_validation`` for frictionless: the same treatment for every stage."""
    _import_frictionless()
    with tempfile.TemporaryDirectory() as folder:
        validate_with_frictionless(generate_dataset(Path(folder), rows=300))


def validate_with_frictionless(files: BenchmarkFiles) -> dict[str, Any]:
    """frictionless' own validation of the file: every check, every error counted."""
    from frictionless import Checklist, Dialect, Resource, Schema

    schema = Schema.from_descriptor(json.loads(files.schema.read_text(encoding="utf-8")))
    resource = Resource(path=files.csv.name, basepath=str(files.csv.parent), schema=schema,
                        encoding="utf-8", format="csv", dialect=Dialect(header_rows=[1]))
    # limit_errors defaults to 1000: it would stop early and time only part of the file.
    report = resource.validate(Checklist(), limit_errors=sys.maxsize)
    errors = [error for task in report.tasks for error in task.errors]
    return {"rows": report.tasks[0].stats.get("rows"), "findings": len(errors),
            "rules": _counts(error.type for error in errors)}


def _counts(names: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


READ = Stage("read", "pyarrow.csv.read_csv", read_with_pyarrow, _import_pyarrow)
CHECKER = Stage("checker", "Table Schema checker", check_generated, _warm_checker)
WHOLE_STAGE = Stage("stage", "validate_table (suite + scan)", validate_generated,
                    _warm_validation)
FRICTIONLESS = Stage("frictionless", "frictionless validate", validate_with_frictionless,
                     _warm_frictionless)
STAGES = (READ, CHECKER, WHOLE_STAGE, FRICTIONLESS)


# --- the harness ------------------------------------------------------------------------------

def time_stage(stage: Stage, files: BenchmarkFiles, *, timeout: float = DEFAULT_TIMEOUT_SECONDS,
               max_rss_mb: float | None = None) -> StageTiming:
    """Run ``stage`` in a fresh (spawned) process; its peak RSS is then the stage's own. A
    failure, a timeout or too much memory gives a timing with ``error`` set, not an exception."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_run_in_child, args=(stage, files, sender),
                              name=f"benchmark-{stage.key}", daemon=True)
    started = time.perf_counter()
    process.start()
    sender.close()  # so a child that dies leaves EOF in the pipe instead of a hang
    try:
        message = _watch(process, receiver, timeout=timeout, max_rss_mb=max_rss_mb)
    except BenchmarkError as exc:
        message = {"error": str(exc), "peak_rss_mb": _child_peak_rss_mb(process.pid)}
    finally:
        if process.is_alive():
            process.terminate()  # our own child, stuck or over its memory
        process.join(timeout=30)
        receiver.close()
    if "error" in message:
        return StageTiming(stage=stage.label, error=message["error"],
                           details=message.get("details"), peak_rss_mb=message.get("peak_rss_mb"))
    return StageTiming(stage=stage.label, process_seconds=time.perf_counter() - started,
                       **message)


def _watch(process: Any, receiver: Any, *, timeout: float,
           max_rss_mb: float | None) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while not receiver.poll(_WATCH_SECONDS):
        if time.monotonic() > deadline:
            raise BenchmarkError(f"did not finish in {timeout:,.0f} s (use fewer --rows or a "
                                 "longer --timeout)")
        rss = _child_rss_mb(process.pid)
        if max_rss_mb is not None and rss is not None and rss > max_rss_mb:
            raise BenchmarkError(f"stopped at {rss:,.0f} MB of memory, over --max-rss-mb "
                                 f"{max_rss_mb:,.0f}")
    try:
        return receiver.recv()
    except EOFError as exc:
        process.join(timeout=5)
        raise BenchmarkError(f"died before reporting (exit code {process.exitcode}; out of "
                             "memory?)") from exc


def _child_rss_mb(pid: int | None, key: str = "VmRSS") -> float | None:
    """A running child's resident memory from /proc (Linux); None where there is no /proc."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{key}:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def _child_peak_rss_mb(pid: int | None) -> float | None:
    return _child_rss_mb(pid, key="VmHWM")


def _run_in_child(stage: Stage, files: BenchmarkFiles, sender: Any) -> None:
    try:
        began = time.perf_counter()
        if stage.prepare is not None:
            stage.prepare()
        _read_through(files.csv)
        prepared = time.perf_counter()
        rss_before = _peak_rss_mb()
        outcome = stage.run(files)
        finished = time.perf_counter()
        sender.send({"seconds": finished - prepared, "prepare_seconds": prepared - began,
                     "rss_before_mb": rss_before, "peak_rss_mb": _peak_rss_mb(),
                     "outcome": outcome})
    except BaseException as exc:  # noqa: BLE001 - the parent reports it; a child must not die silently
        sender.send({"error": f"{type(exc).__name__}: {exc}".splitlines()[0][:200],
                     "details": traceback.format_exc(), "peak_rss_mb": _peak_rss_mb()})
    finally:
        sender.close()


def _read_through(path: Path) -> None:
    """Read the file once, untimed, so that every stage finds it in the page cache: the stages
    are compared on their own work, not on which one happened to touch the disk first. (Page
    cache is not the process's RSS, and a 16 MB buffer at a time keeps it so.)"""
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_benchmark(out_dir: Path, *, sizes: Sequence[int], seed: int = DEFAULT_SEED,
                  bad_share: float = DEFAULT_BAD_SHARE, stages: Sequence[Stage] = STAGES,
                  timeout: float = DEFAULT_TIMEOUT_SECONDS, max_rss_mb: float | None = None,
                  progress: Callable[[str], None] = lambda line: None) -> BenchmarkReport:
    """Generate (or reuse) each table, time every stage on it, write ``benchmark.json`` and the
    PNG; return the numbers. ``progress`` hears one line per step (the CLI prints them)."""
    results = []
    for rows in sorted(set(sizes)):
        progress(f"{rows:,} rows: generating (or reusing) the table")
        started = time.perf_counter()
        files = generate_dataset(out_dir / "data", rows=rows, seed=seed, bad_share=bad_share)
        generated = time.perf_counter() - started
        timings = {}
        for stage in stages:
            progress(f"{rows:,} rows: {stage.label}")
            timings[stage.key] = time_stage(stage, files, timeout=timeout, max_rss_mb=max_rss_mb)
        results.append(SizeResult(rows=rows, csv_bytes=files.csv.stat().st_size,
                                  generate_seconds=generated, stages=timings))
    report = BenchmarkReport(seed=seed, bad_share=bad_share, columns=len(FIELD_NAMES),
                             sizes=results, environment=_environment())
    _write_outputs(report, out_dir)
    return report


def _write_outputs(report: BenchmarkReport, out_dir: Path) -> None:
    from flows.benchmark_report import plot_scaling, report_document

    write_text_atomic(out_dir / "benchmark.json",
                      json.dumps(report_document(report), ensure_ascii=False, indent=2) + "\n")
    plot_scaling(report, out_dir / "validation-scaling.png")


def _environment() -> dict[str, Any]:
    versions = {}
    for module in ("pyarrow", "pandas", "frictionless", "great_expectations"):
        try:
            versions[module] = __import__(module).__version__
        except ImportError:
            versions[module] = None
    return {"python": platform.python_version(), "machine": platform.machine(),
            "cpus": multiprocessing.cpu_count(), **versions}


def _default_max_rss_mb() -> float | None:
    """Half the machine's memory: a runaway stage is stopped before it starves everyone else."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            total_kb = int(meminfo.readline().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return total_kb / 1024 / 2


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--rows", "sizes", type=click.IntRange(min=1), multiple=True,
              default=DEFAULT_SIZES, show_default=True,
              help="Table size in data rows; repeat for several sizes.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out/benchmark"), show_default=True)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT_SECONDS,
              show_default=True, help="Seconds each stage may take.")
@click.option("--max-rss-mb", type=click.FloatRange(min=1), default=None,
              help="Stop a stage whose memory grows past this (default: half the machine's).")
def main(sizes: tuple[int, ...], out_dir: Path, seed: int, timeout: float,
         max_rss_mb: float | None) -> None:
    """Time the Table Schema checker, the whole validation stage and frictionless against a
    plain pyarrow read of the same CSV, at each size.

    Example:

        python -m flows.benchmark --rows 100000 --rows 1000000 --out out/benchmark
    """
    from flows.benchmark_report import format_report, format_verdicts

    report = run_benchmark(out_dir, sizes=sizes, seed=seed, timeout=timeout,
                           max_rss_mb=max_rss_mb or _default_max_rss_mb(),
                           progress=lambda line: click.echo(f"... {line}", err=True))
    click.echo(format_report(report))
    click.echo("")
    click.echo(format_verdicts(report))
    click.echo(f"\nJSON: {out_dir / 'benchmark.json'}\nPNG:  {out_dir / 'validation-scaling.png'}")


if __name__ == "__main__":
    # Run the command from the imported module, not from ``__main__``: the stages are sent to
    # the child processes by reference and must resolve to ``flows.benchmark`` there.
    from flows.benchmark import main as _main

    _main()
