"""CSV bytes → the header and one Arrow string column per header position.

pyarrow's multithreaded reader does the work (~0.2 s for 150 MB). It is used only where it reads
exactly what Python's ``csv`` module (frictionless' reader) reads; the other files go through
``csv_rows.read_rows`` (strict quoting check, line/cell/row limits), then become columns:
- a row whose width differs from the header's: pyarrow hands it to a handler with its row number;
  it is parsed with ``csv`` and kept aside (``RawTable.ragged``), its cells in the columns;
- a quote in the middle of text: strict ``csv`` decides line by line when no cell spans lines,
  the whole file otherwise (``"ab"c`` is silently "abc" for pyarrow, malformed for us);
- an empty line: ``csv`` reads no cells, pyarrow empty cells; it matters only when "" is not a
  missing value, and then the file goes through ``csv``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from frictionless import formats

from flows.validation.csv_limits import DEFAULT_LIMITS, CsvLimits
from flows.validation.csv_rows import ParsedCsv, read_rows
from flows.validation.findings import Finding

_SEPARATORS = np.frombuffer(b',\r\n', dtype=np.uint8)
_QUOTE = ord('"')
#: Every column is read as text (pyarrow names them f0, f1, ...): types are the schema's business.
_TEXT_COLUMNS = {f"f{index}": pa.string() for index in range(DEFAULT_LIMITS.row_cells + 1)}


@dataclass
class RawTable:
    """The header labels, one string column per label position (null where a row has no
    cell there), the rows whose width differs from the header's (row number → all its cells),
    and what reading found (malformed quoting, cut lines)."""

    labels: list[str]
    columns: list[pa.Array | pa.ChunkedArray]
    ragged: dict[int, tuple[str, ...]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    control: formats.CsvControl | None = None
    #: Data rows (blank ones included); set when there are rows but no columns.
    row_count: int | None = None

    @property
    def rows(self) -> int:
        if self.row_count is not None:
            return self.row_count
        return len(self.columns[0]) if self.columns else 0


class NotForArrow(Exception):
    """pyarrow cannot read this file exactly as ``csv`` does: read it with ``csv``."""


def read_raw_table(data: bytes, control: formats.CsvControl, *, empty_is_missing: bool,
                   limits: CsvLimits = DEFAULT_LIMITS) -> RawTable:
    """The UTF-8 ``data`` as a RawTable, with ``control``'s dialect. ``empty_is_missing``: ""
    is a missing value of every field (then an empty line reads like a row of empty cells)."""
    try:
        return _read_with_arrow(data, control, empty_is_missing=empty_is_missing,
                                limits=limits)
    except NotForArrow:
        text = data.decode("utf-8")
        return raw_table_from_rows(read_rows(text, control=control, limits=limits), control)


def raw_table_from_rows(parsed: ParsedCsv, control: formats.CsvControl) -> RawTable:
    """Rows from ``csv_rows.read_rows`` as a RawTable (the reader of the irregular files)."""
    rows = parsed.rows
    if not rows:
        return RawTable([], [], findings=list(parsed.findings), control=control)
    labels, data = list(rows[0]), rows[1:]
    # No header cells at all (an empty first line): frictionless reads the rows against every
    # field, so every cell the rows hold is kept.
    width = len(labels) or max(map(len, data), default=0)
    ragged = {number: row for number, row in enumerate(data, start=2) if len(row) != len(labels)}
    columns = [pa.array([row[index] if index < len(row) else None for row in data],
                        type=pa.string()) for index in range(width)]
    return RawTable(labels, columns, ragged, list(parsed.findings), control, len(data))


def _read_with_arrow(data: bytes, control: formats.CsvControl, *, empty_is_missing: bool,
                     limits: CsvLimits) -> RawTable:
    if control.skip_initial_space or control.escape_char or not control.double_quote:
        raise NotForArrow("a dialect pyarrow does not read like csv")
    if data.startswith((b"\n", b"\r")):
        raise NotForArrow("an empty header line")
    # One thread: only then does pyarrow number the rows it hands to the handler (and on two
    # cores it reads as fast as with threads).
    table, ragged_lines = _arrow_read(data, control)
    if table.num_rows == 0 and not ragged_lines:
        raise NotForArrow("no header row")
    columns = list(table.columns)
    labels = [column[0].as_py() for column in columns] if table.num_rows else []
    if not labels:
        raise NotForArrow("the header itself has a wrong width")
    columns = [column.slice(1) for column in columns]
    _refuse_what_csv_reads_otherwise(data, columns, control, empty_is_missing, limits)
    ragged = {number: _cells(text, control) for number, text in ragged_lines}
    if ragged:
        columns = _with_ragged_rows(columns, ragged)
    return RawTable(labels, columns, ragged, [], control)


def _arrow_read(data: bytes, control: formats.CsvControl
                ) -> tuple[pa.Table, list[tuple[int, str]]]:
    ragged: list[tuple[int, str]] = []

    def keep_aside(row: pa_csv.InvalidRow) -> str:
        ragged.append((row.number, row.text))
        return "skip"

    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(use_threads=False,
                                            autogenerate_column_names=True, block_size=1 << 22),
            parse_options=pa_csv.ParseOptions(
                delimiter=control.delimiter, quote_char=control.quote_char or False,
                double_quote=True, newlines_in_values=True, ignore_empty_lines=False,
                invalid_row_handler=keep_aside),
            convert_options=pa_csv.ConvertOptions(
                column_types=_TEXT_COLUMNS, strings_can_be_null=False,
                quoted_strings_can_be_null=False, check_utf8=True))
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise NotForArrow(str(exc)) from exc
    if ragged and ragged[0][0] == 1:
        raise NotForArrow("the header row is malformed")
    return table, ragged


def _refuse_what_csv_reads_otherwise(data: bytes, columns: list[pa.Array],
                                     control: formats.CsvControl, empty_is_missing: bool,
                                     limits: CsvLimits) -> None:
    if len(columns) > limits.row_cells:
        raise NotForArrow("more cells than the row limit")
    lengths = [pc.max(pc.utf8_length(column)).as_py() or 0 for column in columns]
    if max(lengths, default=0) > limits.cell_chars or sum(lengths) + len(columns) > \
            limits.line_chars:
        raise NotForArrow("a cell or a line may be over its limit")
    if not empty_is_missing and any(_all_empty_rows(columns)):
        raise NotForArrow("an empty line, where empty is not a missing value")
    if control.quote_char == '"' and data.find(b'"') >= 0:
        _check_quotes(data, columns, control)


def _all_empty_rows(columns: list[pa.Array]) -> list[bool]:
    empty = None
    for column in columns:
        blank = pc.equal(column, "")
        empty = blank if empty is None else pc.and_(empty, blank)
    return [bool(pc.any(empty).as_py())] if empty is not None else []


def _check_quotes(data: bytes, columns: list[pa.Array], control: formats.CsvControl) -> None:
    """Raise NotForArrow when a quote may be malformed in a way pyarrow silently accepts."""
    quotes = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == _QUOTE)
    if len(quotes) % 2:  # a quote never closed (every well-formed quoted cell holds pairs)
        raise NotForArrow("an odd number of quotes")
    lines = _suspicious_lines(data, quotes)
    if not lines:
        return
    if any(pc.any(pc.match_substring_regex(column, "[\r\n]")).as_py() for column in columns):
        raise NotForArrow("suspicious quotes and cells spanning lines")
    dialect = control.to_python()
    for line in lines:
        try:
            list(csv.reader([line], dialect, strict=True))
        except csv.Error as exc:
            raise NotForArrow(f"malformed quoting: {exc}") from exc


def _suspicious_lines(data: bytes, quotes: np.ndarray) -> list[str]:
    """The lines holding a run of quotes that is not plainly opening or closing a cell: with a
    letter on both sides (``ab"c``, ``"ab"c``, also a legitimate ``""`` inside a quoted cell),
    or an even run opening a cell (``,""c``)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    if not len(quotes):
        return []
    # runs of consecutive quotes: their first and last positions
    breaks = np.flatnonzero(np.diff(quotes) != 1)
    firsts = quotes[np.concatenate(([0], breaks + 1))]
    lasts = quotes[np.concatenate((breaks, [len(quotes) - 1]))]
    before = np.where(firsts > 0, raw[np.maximum(firsts - 1, 0)], ord("\n"))
    after = np.where(lasts + 1 < len(raw), raw[np.minimum(lasts + 1, len(raw) - 1)], ord("\n"))
    opens = np.isin(before, _SEPARATORS)
    closes = np.isin(after, _SEPARATORS)
    even = (lasts - firsts + 1) % 2 == 0
    suspicious = (~opens & ~closes) | (opens & ~closes & even)
    starts = sorted({int(data.rfind(b"\n", 0, int(first)) + 1)
                     for first in firsts[suspicious]})
    return [data[start:_line_end(data, start)].decode("utf-8") for start in starts]


def _line_end(data: bytes, start: int) -> int:
    end = data.find(b"\n", start)
    return len(data) if end < 0 else end


def _cells(text: str, control: formats.CsvControl) -> tuple[str, ...]:
    rows = list(csv.reader(io.StringIO(text, newline=""), control.to_python()))
    return tuple(rows[0]) if rows else ()


def _with_ragged_rows(columns: list[pa.Array], ragged: dict[int, tuple[str, ...]]
                      ) -> list[pa.Array]:
    """The columns with the ragged rows put back at their row numbers (a missing cell null)."""
    total = len(columns[0]) + len(ragged)
    numbers = np.fromiter(ragged, dtype=np.int64, count=len(ragged)) - 2
    is_ragged = np.zeros(total, dtype=bool)
    is_ragged[numbers] = True
    # position in concat(regular rows, ragged rows) of each final row
    order = np.empty(total, dtype=np.int64)
    order[~is_ragged] = np.arange(total - len(ragged))
    order[numbers] = np.arange(len(ragged)) + (total - len(ragged))
    taken = pa.array(order)
    result = []
    for index, column in enumerate(columns):
        extra = pa.array([row[index] if index < len(row) else None
                          for row in ragged.values()], type=pa.string())
        result.append(pa.chunked_array([*column.chunks, extra], pa.string()).take(taken))
    return result


def cells_of_row(table: RawTable, number: int) -> Sequence[str | None]:
    """Every cell of row ``number`` as read (a ragged row's own cells)."""
    if number in table.ragged:
        return table.ragged[number]
    return [column[number - 2].as_py() for column in table.columns]
