"""What the quality history adds to a described dataset: when its quality was last checked, and
the points of its trend chart.

    with_quality_history_fields(described, rows)    # rows: flows.records.quality_history_rows

Both come from the history rows (one per validation whose result or inputs changed), never from
the clock: a re-run that changed nothing, or whose validation came from the cache, adds no row,
so ``quality_checked_at`` and ``quality_trend`` stay as they were and the catalog gets no write.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from flows.describe.derived import file_digest
from flows.describe.described import DescribedDataset
from flows.describe.scheming import EXTENSION_DIR  # noqa: F401 (puts ckanext on sys.path)
from flows.records import bangkok_day
from flows.validation.findings import ValidationResult
from flows.validation.report import write_reports

from ckanext.senate_dga.trend_svg import (  # noqa: E402 (needs the path above)
    TrendPoint, trend_field, trend_svg)

#: The kind of the validation-report resource (flows.describe.describe._LABELS).
REPORT_KIND = "report"


def trend_points(rows: Sequence[dict[str, Any]]) -> list[TrendPoint]:
    """One chart point per history row: its Bangkok day and its counts."""
    return [TrendPoint(day=checked_day(row), errors=int(row.get("errors") or 0),
                       warnings=int(row.get("warnings") or 0),
                       waived=int(row.get("waived") or 0)) for row in rows]


def checked_day(row: dict[str, Any]) -> str:
    """The Bangkok calendar day (YYYY-MM-DD) a history row's validation ran."""
    return bangkok_day(row.get("validated_at"))


def quality_history_fields(rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """``quality_checked_at`` (the day of the newest row) and ``quality_trend``; {} without
    rows (e.g. a cached validation whose history was cleared)."""
    if not rows:
        return {}
    return {"quality_checked_at": checked_day(rows[-1]),
            "quality_trend": trend_field(trend_points(rows))}


def with_quality_history_fields(described: DescribedDataset,
                                rows: Sequence[dict[str, Any]]) -> DescribedDataset:
    """``described`` with the fields of ``quality_history_fields``."""
    return replace(described, fields={**described.fields, **quality_history_fields(rows)})


def with_quality_trend(described: DescribedDataset, rows: Sequence[dict[str, Any]], *,
                       result: ValidationResult, out_dir: Path) -> DescribedDataset:
    """``described`` with its quality-history fields, and its validation report written again
    with the trend chart (its resource's checksum with it). Same rows, same bytes: a re-run
    that changed nothing leaves the report, and the catalog, as they were."""
    described = with_quality_history_fields(described, rows)
    report = next((r for r in described.resources if r.kind == REPORT_KIND), None)
    if report is None or not rows:
        return described
    write_reports(result, report.path.parent, trend_svg=trend_svg(trend_points(rows)))
    sha256, size = file_digest(report.path)
    resources = [replace(r, sha256=sha256, size=size) if r is report else r
                 for r in described.resources]
    return replace(described, resources=resources)
