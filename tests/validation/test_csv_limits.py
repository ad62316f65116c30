"""A line, a cell and a row are cut at their limits, each cut a finding that quotes nothing, and
the rows after a cut line read as before (small limits here; the 20 MB line and its memory:
test_csv_limits_memory.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flows.validation.csv_limits import MAX_CELL_CHARS, MAX_LINE_CHARS, CsvLimits
from flows.validation.csv_rows import read_rows
from flows.validation.validate import validate_table
from tests.csv_source_samples import SCHEMA

LIMITS = CsvLimits(line_chars=40, cell_chars=12, row_cells=5)


def test_text_within_the_limits_is_not_cut() -> None:
    text = "a,b\n1,2\n" * 1000
    parsed = read_rows(text, limits=CsvLimits(line_chars=10, cell_chars=5, row_cells=3))
    assert not parsed.cut and parsed.findings == []
    assert parsed.rows == read_rows(text).rows


def test_a_long_line_is_cut_and_the_next_rows_read_as_before() -> None:
    long = "x" * 30 + "," + "y" * 30
    parsed = read_rows(f"a,b\n1,2\n{long}\n3,4\n", limits=LIMITS)
    assert parsed.cut
    assert [(f.rule, f.row) for f in parsed.findings] == [
        ("structure/line-too-long", 3), ("structure/cell-too-long", 3)]
    assert parsed.rows[0:2] == [("a", "b"), ("1", "2")]
    assert parsed.rows[2] == ("x" * 12, "y" * 9)  # the line's first 40 characters, then cut
    assert parsed.rows[3] == ("3", "4")
    assert all(f.value is None for f in parsed.findings)
    assert "x" * 12 not in parsed.findings[0].message_en


def test_a_cut_inside_quotes_closes_them_so_no_row_is_swallowed() -> None:
    text = 'a,b\n1,"' + "q" * 60 + '"\n2,3\n4,5\n'
    parsed = read_rows(text, limits=CsvLimits(line_chars=40, cell_chars=100, row_cells=5))
    assert parsed.rows == [("a", "b"), ("1", "q" * 37), ("2", "3"), ("4", "5")]
    assert [f.rule for f in parsed.findings] == ["structure/line-too-long"]


def test_a_quoted_cell_over_many_lines_is_cut_at_the_cell_limit() -> None:
    cell = "\n".join(["word"] * 10)  # 49 characters on 10 short lines
    parsed = read_rows(f'a,b\n1,"{cell}"\n2,3\n', limits=LIMITS)
    [finding] = parsed.findings
    assert (finding.rule, finding.row, finding.field) == ("structure/cell-too-long", 2, "b")
    assert parsed.rows[1] == ("1", cell[:12])
    assert parsed.rows[2] == ("2", "3")


def test_a_row_with_too_many_cells_keeps_the_first_ones() -> None:
    parsed = read_rows("a,b\n" + ",".join("1234567") + "\n", limits=LIMITS)
    [finding] = parsed.findings
    assert (finding.rule, finding.row) == ("structure/too-many-cells", 2)
    assert parsed.rows[1] == tuple("12345")


def test_the_limits_are_generous_for_real_data() -> None:
    assert (MAX_LINE_CHARS, MAX_CELL_CHARS) == (1_000_000, 100_000)
    text = "a,b\n1," + "ก" * (MAX_CELL_CHARS - 1) + "\n"  # a 99,999-character Thai cell
    parsed = read_rows(text)
    assert not parsed.cut and parsed.findings == []


def test_validation_reports_the_cut_and_checks_the_cut_rows(tmp_path: Path) -> None:
    csv_path = tmp_path / "data.csv"
    long_note = "ข" * (MAX_CELL_CHARS + 5)
    csv_path.write_text("code,name_en,note_th,updated\n"
                        f"R01,Room,{long_note},2024-01-01\nR02,Room,x,2024-01-02\n",
                        encoding="utf-8")
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(SCHEMA), encoding="utf-8")
    result = validate_table(csv_path, schema_path=schema_path, suite_path=None,
                            dataset="zz-limits", today=date(2026, 12, 5))
    cut = [f for f in result.findings if f.rule == "structure/cell-too-long"]
    assert [(f.row, f.field, f.value) for f in cut] == [(2, "note_th", None)]
    assert result.rows == 2
    assert not [f for f in result.findings if f.rule.startswith("schema/")]
