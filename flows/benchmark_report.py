"""The benchmark's numbers for people: the table, the verdicts against the validation targets, the JSON
document and the PNG of time and memory against rows.

Every ratio is against the pyarrow read of the same size, measured in the same run, so the
verdicts compare like with like on whatever machine ran them. They are printed as PASS/FAIL
lines, never turned into an exit status: the absolute numbers belong to the machine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flows.benchmark_results import BenchmarkReport, SizeResult, StageTiming

#: The size the validation targets are judged at.
VERDICT_ROWS = 1_000_000
MB = 1024 * 1024


@dataclass(frozen=True)
class Verdict:
    """One target line: what is compared, the limit, the measured value (None when it
    could not be measured, with ``why``)."""

    label: str
    limit: str
    value: float | None
    passed: bool | None
    why: str = ""

    def line(self) -> str:
        if self.passed is None:
            return f"n/a   {self.label} ({self.limit}): {self.why}"
        if self.value is None:
            return f"FAIL  {self.label} ({self.limit}): {self.why}"
        return f"{'PASS' if self.passed else 'FAIL'}  {self.label} ({self.limit}): {self.value:,.1f}"


def ratio_to_read(size: SizeResult, key: str) -> float | None:
    """Seconds of stage ``key`` over the pyarrow read's, at the same size; None if either failed."""
    return _ratio(_seconds(size, key), _seconds(size, "read"))


def speedup_over_frictionless(size: SizeResult) -> float | None:
    """How many times faster the whole stage is than frictionless alone."""
    return _ratio(_seconds(size, "frictionless"), _seconds(size, "stage"))


def rss_to_file(size: SizeResult, key: str) -> float | None:
    """Peak RSS of stage ``key`` over the file's size on disk."""
    timing = size.stages.get(key)
    if timing is None or timing.peak_rss_mb is None or timing.error is not None:
        return None
    return timing.peak_rss_mb * MB / max(size.csv_bytes, 1)


def _seconds(size: SizeResult, key: str) -> float | None:
    timing = size.stages.get(key)
    return None if timing is None or timing.error is not None else timing.seconds


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None:
        return None
    return numerator / max(denominator, 1e-9)


def verdicts(report: BenchmarkReport, *, rows: int = VERDICT_ROWS) -> list[Verdict]:
    """The validation targets at ``rows`` (one run, same machine)."""
    size = next((size for size in report.sizes if size.rows == rows), None)
    checks = (("Table Schema checker / read", "<= 10x", 10.0, True,
               lambda s: ratio_to_read(s, "checker")),
              ("whole stage / read", "<= 25x", 25.0, True, lambda s: ratio_to_read(s, "stage")),
              ("frictionless / whole stage", ">= 6x", 6.0, False, speedup_over_frictionless),
              ("whole-stage peak RSS / file size", "<= 4x", 4.0, True,
               lambda s: rss_to_file(s, "stage")))
    found = []
    for label, limit_text, limit, at_most, measure in checks:
        if size is None:
            found.append(Verdict(label, limit_text, None, None,
                                 f"not measured: run with --rows {rows}"))
            continue
        value = measure(size)
        if value is None:
            found.append(Verdict(label, limit_text, None, False, "a stage failed"))
            continue
        found.append(Verdict(label, limit_text, value,
                             value <= limit if at_most else value >= limit))
    return found


def format_verdicts(report: BenchmarkReport, *, rows: int = VERDICT_ROWS) -> str:
    lines = [f"Targets at {rows:,} rows (one run, this machine):"]
    lines += [verdict.line() for verdict in verdicts(report, rows=rows)]
    return "\n".join(lines)


def format_report(report: BenchmarkReport) -> str:
    """The numbers as a plain-text table: per size and stage, seconds, ratio to the read, peak
    RSS and RSS / file size; then frictionless / whole stage."""
    header = (f"{'rows':>10} {'file MB':>8}  {'stage':<30}{'seconds':>9}{'x read':>8}"
              f"{'peak RSS MB':>13}{'RSS/file':>9}  findings")
    lines = [f"{report.columns} columns, {report.bad_share:.2%} bad cells, seed {report.seed}",
             "", header, "-" * len(header)]
    for size in report.sizes:
        first = f"{size.rows:>10,} {size.csv_bytes / MB:>8,.1f}"
        for key, timing in size.stages.items():
            lines.append(f"{first}  {_stage_cells(size, key, timing)}")
            first = " " * len(first)
        speedup = speedup_over_frictionless(size)
        lines.append(f"{first}  frictionless / whole stage: "
                     + (f"{speedup:,.1f}x faster" if speedup is not None else "n/a"))
    return "\n".join(lines)


def _stage_cells(size: SizeResult, key: str, timing: StageTiming) -> str:
    if timing.error is not None:
        return f"{timing.stage:<30}FAILED: {timing.error}"
    ratio, per_file = ratio_to_read(size, key), rss_to_file(size, key)
    return (f"{timing.stage:<30}{timing.seconds:>9.2f}{_maybe(ratio, 8, 1)}"
            f"{timing.peak_rss_mb:>13,.0f}{_maybe(per_file, 9, 1)}  "
            f"{_findings(timing.outcome)}")


def _findings(outcome: dict[str, Any]) -> str:
    if "findings" in outcome:
        return f"{outcome['findings']:,}"
    skipped = outcome.get("skipped_rows")
    return f"({skipped:,} rows skipped)" if skipped else ""


def _maybe(value: float | None, width: int, digits: int) -> str:
    return f"{'n/a':>{width}}" if value is None else f"{value:>{width},.{digits}f}"


def report_document(report: BenchmarkReport) -> dict[str, Any]:
    """``benchmark.json``: every measurement, the derived ratios and the verdicts."""
    document = asdict(report)
    for size, entry in zip(report.sizes, document["sizes"]):
        entry["ratios_to_read"] = {key: ratio_to_read(size, key) for key in size.stages}
        entry["rss_to_file"] = {key: rss_to_file(size, key) for key in size.stages}
        entry["frictionless_over_stage"] = speedup_over_frictionless(size)
    document["verdicts"] = [asdict(verdict) for verdict in verdicts(report)]
    return document


def plot_scaling(report: BenchmarkReport, path: Path) -> Path:
    """Time and peak RSS against rows, one line per stage (log-log), as a PNG at ``path``."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the benchmark runs on servers and in CI
    from matplotlib import pyplot
    from matplotlib.ticker import NullFormatter

    figure, (times, memory) = pyplot.subplots(1, 2, figsize=(12, 5))
    for key, label in _stage_labels(report).items():
        _plot_line(times, report, key, label, lambda t: t.seconds)
        _plot_line(memory, report, key, label, lambda t: t.peak_rss_mb)
    rows = [size.rows for size in report.sizes]
    memory.plot(rows, [4 * size.csv_bytes / MB for size in report.sizes], "k--",
                label="4x file size (limit)")
    for axes, ylabel, title in ((times, "seconds", "Time against rows"),
                                (memory, "peak RSS (MB)", "Peak memory against rows")):
        axes.set(xscale="log", yscale="log", xlabel="rows", ylabel=ylabel, title=title)
        axes.set_xticks(rows, [_rows_label(count) for count in rows])
        axes.xaxis.set_minor_formatter(NullFormatter())
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize="small")
    figure.suptitle(f"Validation at scale ({report.columns} columns, "
                    f"{report.bad_share:.2%} bad cells)")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
    return path


def _rows_label(rows: int) -> str:
    """100000 -> "100k", 5000000 -> "5M": readable ticks on a log axis."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if rows >= size and rows % (size // 10) == 0:
            return f"{rows / size:g}{suffix}"
    return f"{rows:,}"


def _stage_labels(report: BenchmarkReport) -> dict[str, str]:
    labels: dict[str, str] = {}
    for size in report.sizes:
        labels.update({key: timing.stage for key, timing in size.stages.items()})
    return labels


def _plot_line(axes: Any, report: BenchmarkReport, key: str, label: str, value: Any) -> None:
    """One stage's points; sizes where it failed are left out (and the label says so)."""
    points = [(size.rows, value(size.stages[key])) for size in report.sizes
              if key in size.stages and size.stages[key].error is None]
    failed = sum(1 for size in report.sizes
                 if key in size.stages and size.stages[key].error is not None)
    if failed:
        label = f"{label} ({failed} size(s) failed)"
    if points:
        axes.plot(*zip(*points), marker="o", label=label)
