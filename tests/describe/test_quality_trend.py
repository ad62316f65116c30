"""The quality trend: the fields the history gives a dataset, and the inline SVG chart the report
and the dataset page draw from it."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from flows.describe.described import DescribedDataset, ResourceFile
from flows.describe.quality_history import (quality_history_fields, trend_points,
                                            with_quality_trend)
from flows.records import quality_history_rows
from flows.validation.findings import ValidationResult

from ckanext.senate_dga.trend_svg import (MAX_POINTS, SERIES, TrendPoint, trend_field,
                                          trend_svg)

SVG = "{http://www.w3.org/2000/svg}"


def _record(day: int, *, errors: int = 0, warnings: int = 7, waived: int = 1,
            source: str = "s1", cached: bool = False) -> dict[str, Any]:
    at = f"2026-11-{day:02d}T20:00:00+00:00"   # 03:00 the next day in Bangkok
    return {"record_version": 1, "run_id": f"r{day}", "dataset": "senate-votes",
            "started_at": at, "finished_at": at, "today": at[:10], "status": "published",
            "inputs": {"source_sha256": source, "schema_sha256": "sc", "suite_sha256": "su",
                       "metadata_sha256": "m", "waivers_sha256": "w", "input_hash": source},
            "validation": {"cached": cached, "rows": 146, "errors": errors,
                           "warnings": warnings, "waived": waived, "verdict": "pass-with-notes",
                           "validated_at": at}}


def _points(svg: str, key: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [c for c in root.iter(f"{SVG}circle") if f"point-{key}" in c.get("class", "")]


# --- the chart ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 5])
def test_the_chart_is_well_formed_svg_with_one_point_per_history_row(count):
    rows = quality_history_rows([_record(day, warnings=day) for day in range(1, count + 1)],
                                "senate-votes")
    svg = trend_svg(trend_points(rows))
    root = ET.fromstring(svg)    # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg"
    for key, *_ in SERIES:
        assert len(_points(svg, key)) == len(rows) == count


def test_each_point_is_placed_by_its_count_and_titled_with_its_day():
    svg = trend_svg([TrendPoint("2026-11-02", 0, 10, 0), TrendPoint("2026-11-09", 0, 5, 0)])
    high, low = _points(svg, "warnings")
    assert float(high.get("cy")) < float(low.get("cy"))   # 10 is drawn above 5
    assert float(high.get("cx")) < float(low.get("cx"))   # oldest first, left to right
    assert high.find(f"{SVG}title").text == "2026-11-02: คำเตือน (warnings) 10"


def test_no_point_no_chart_and_only_the_newest_points_are_drawn():
    assert trend_svg([]) == ""
    many = [TrendPoint(f"2026-01-{d:02d}", 0, d, 0) for d in range(1, 31)]
    assert len(_points(trend_svg(many), "errors")) == MAX_POINTS


def test_texts_in_the_chart_are_escaped():
    svg = trend_svg([TrendPoint("<script>x</script>", 1, 2, 3)], title="a & <b>")
    ET.fromstring(svg)
    assert "<script>" not in svg


# --- the field the dataset page draws from ------------------------------------------------


def test_the_trend_field_is_compact_json_that_reads_back_to_the_same_points():
    points = [TrendPoint("2026-11-02", 0, 7, 1), TrendPoint("2026-11-09", 1, 0, 0)]
    field = trend_field(points)
    assert json.loads(field) == [["2026-11-02", 0, 7, 1], ["2026-11-09", 1, 0, 0]]
    from ckanext.senate_dga.trend_svg import trend_points as read_back
    assert read_back(field) == points
    assert read_back("not json") == [] and read_back(None) == []


def test_history_fields_come_from_the_changed_rows_not_from_each_run():
    same = [_record(1), _record(2), _record(3)]             # three runs, one result
    rows = quality_history_rows(same, "senate-votes")
    assert quality_history_fields(rows) == {
        "quality_checked_at": "2026-11-02",                  # the first run, Bangkok day
        "quality_trend": '[["2026-11-02",0,7,1]]'}
    changed = quality_history_rows([*same, _record(4, source="s2", warnings=3)],
                                   "senate-votes")
    assert quality_history_fields(changed)["quality_checked_at"] == "2026-11-05"
    assert json.loads(quality_history_fields(changed)["quality_trend"]) == [
        ["2026-11-02", 0, 7, 1], ["2026-11-05", 0, 3, 1]]


def test_a_cached_validation_leaves_the_checked_at_date_where_it_was():
    rows = quality_history_rows([_record(1), _record(9, cached=True, warnings=0)],
                                "senate-votes")
    assert quality_history_fields(rows)["quality_checked_at"] == "2026-11-02"


def test_no_history_row_gives_no_field():
    assert quality_history_fields([]) == {}


def test_the_report_is_rewritten_with_the_chart_and_its_checksum_follows(tmp_path: Path):
    folder = tmp_path / "senate-votes"
    folder.mkdir()
    report = folder / "report.html"
    report.write_text("old", encoding="utf-8")
    resource = ResourceFile(kind="report", path=report, name="r", description="d",
                            format="HTML", sha256="stale", size=3)
    described = DescribedDataset(id="senate-votes", fields={"name": "senate-votes"},
                                 groups=[], personal_fields=[], resources=[resource])
    result = ValidationResult(dataset="senate-votes", source="", source_sha256="",
                              encoding="utf-8", schema_version="", suite_version="", rows=146)
    rows = quality_history_rows([_record(1), _record(4, warnings=3)], "senate-votes")
    done = with_quality_trend(described, rows, result=result, out_dir=tmp_path)
    html = report.read_text(encoding="utf-8")
    assert 'id="trend"' in html and html.count('class="point point-warnings"') == 2
    (after,) = done.resources
    assert after.sha256 != "stale" and after.size == report.stat().st_size
    assert done.fields["quality_checked_at"] == "2026-11-05"
    again = with_quality_trend(described, rows, result=result, out_dir=tmp_path)
    assert again.resources[0].sha256 == after.sha256    # same rows, same bytes
