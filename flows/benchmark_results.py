"""What `make bench` measured: per table size, each stage's time, memory and outcome.

Kept apart from flows.benchmark (which runs the stages) so flows.benchmark_report can read
results without importing the runner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class StageTiming:
    """What one stage cost: wall time of ``run``, its process's peak memory, what it returned;
    or, when it failed, ``error`` (one line) and ``details`` (the child's traceback)."""

    stage: str
    seconds: float | None = None
    prepare_seconds: float | None = None
    process_seconds: float | None = None
    rss_before_mb: float | None = None
    peak_rss_mb: float | None = None
    outcome: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    details: str | None = None


@dataclass
class SizeResult:
    """One table size: the file and every stage's timing, by stage key."""

    rows: int
    csv_bytes: int
    generate_seconds: float
    stages: dict[str, StageTiming]


@dataclass
class BenchmarkReport:
    seed: int
    bad_share: float
    columns: int
    sizes: list[SizeResult]
    environment: dict[str, Any]
