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

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from frictionless import formats

from flows.csv_source import read_csv_bytes
from flows.validation.columnar.file_scan import FileScan, scan_file, suspicious_lines
from flows.validation.csv_limits import DEFAULT_LIMITS, CsvLimits
from flows.validation.csv_rows import ParsedCsv, read_rows
from flows.validation.findings import Finding

_QUOTE = ord('"')
#: Every column is read as text (pyarrow names them f0, f1, ...): types are the schema's business.
_TEXT_COLUMNS = {f"f{index}": pa.string() for index in range(DEFAULT_LIMITS.row_cells + 1)}
_TEXT_CONVERSION = pa_csv.ConvertOptions(column_types=_TEXT_COLUMNS, strings_can_be_null=False,
                                         quoted_strings_can_be_null=False, check_utf8=True)


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
    #: The row number of the first row (header = 1): a batch of a big file starts later.
    first_row: int = 2

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
        return _read_with_arrow(data, control, lambda: _quote_lines(data), empty_is_missing,
                                limits)
    except NotForArrow:
        return raw_table_from_rows(read_rows(data.decode("utf-8"), control=control,
                                             limits=limits), control)


@dataclass
class SourceTable:
    """A CSV file read for the Table Schema check: its cells (None when it cannot be read),
    its encoding, checksum and what decoding found."""

    raw: RawTable | None
    encoding: str
    sha256: str
    findings: list[Finding] = field(default_factory=list)


def read_raw_table_file(path: Path, control: formats.CsvControl, *, encoding: str | None,
                        empty_is_missing: bool, limits: CsvLimits = DEFAULT_LIMITS
                        ) -> SourceTable:
    """Read the CSV at ``path`` (``encoding``: the declared one, None to detect).

    A plain UTF-8 file (``file_scan``) is read by pyarrow from the file, never held whole;
    any other file is read into memory, decoded by ``decode_table`` and parsed from there.
    """
    if may_be_utf8(encoding):
        # The checksum-and-quotes pass and pyarrow's read run side by side (two cores; both
        # release the GIL): the read is kept only if the pass finds the file plain.
        with ThreadPoolExecutor(max_workers=1) as pool:
            scanning = pool.submit(scan_file, path, line_limit=limits.line_chars * 4)
            try:
                raw = _read_with_arrow(path, control, lambda: plain_quotes(scanning.result()),
                                       empty_is_missing, limits)
                scan = scanning.result()
                return SourceTable(raw, "utf-8-sig" if scan.bom else "utf-8", scan.sha256)
            except NotForArrow:
                pass
    source = read_csv_bytes(path, encoding=encoding)
    if source.data is None:
        return SourceTable(None, source.encoding, source.sha256, list(source.findings))
    raw = read_raw_table(source.data, control, empty_is_missing=empty_is_missing,
                         limits=limits)
    return SourceTable(raw, source.encoding, source.sha256, list(source.findings))


def plain_quotes(scan: FileScan) -> QuoteLines:
    if not scan.plain or scan.quotes % 2:
        raise NotForArrow("not plain UTF-8, or a quote never closed")
    return QuoteLines(scan.suspicious_lines, scan.quotes > 0)


def may_be_utf8(encoding: str | None) -> bool:
    try:
        return not encoding or codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


@dataclass
class QuoteLines:
    """The lines whose quotes pyarrow may read otherwise than strict ``csv``, and whether the
    file holds quotes at all."""

    lines: list[bytes]
    any_quote: bool


def _quote_lines(data: bytes) -> QuoteLines:
    raw = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(raw == _QUOTE)
    if len(quotes) % 2:  # a quote never closed (every well-formed quoted cell holds pairs)
        raise NotForArrow("a quote never closed")
    return QuoteLines(suspicious_lines(data, raw, quotes) if len(quotes) else [],
                      bool(len(quotes)))


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


def _read_with_arrow(source: bytes | Path, control: formats.CsvControl,
                     quotes: Callable[[], QuoteLines], empty_is_missing: bool,
                     limits: CsvLimits) -> RawTable:
    """``quotes`` gives the quote facts once the read is done (or raises NotForArrow)."""
    refuse_dialect(source, control)
    # One thread: only then does pyarrow number the rows it hands to the handler (and on two
    # cores it reads as fast as with threads).
    table, ragged_lines = _arrow_read(source, control)
    if table.num_rows == 0 and not ragged_lines:
        raise NotForArrow("no header row")
    columns = list(table.columns)
    labels = [column[0].as_py() for column in columns] if table.num_rows else []
    if not labels:
        raise NotForArrow("the header itself has a wrong width")
    del table
    columns = [column.slice(1) for column in columns]
    stats = ReadStats(empty_is_missing, limits)
    stats.add(columns)
    found = quotes()
    if found.lines:   # only then does it matter, and it reads every cell
        stats.line_break = cells_span_lines(columns)
    stats.refuse(control, found)
    ragged = {number: _cells(text, control) for number, text in ragged_lines}
    if ragged:
        columns = _with_ragged_rows(columns, ragged)
    return RawTable(labels, columns, ragged, [], control)


def _starts_with_empty_line(source: bytes | Path) -> bool:
    if isinstance(source, Path):
        with source.open("rb") as stream:
            source = stream.read(4)
    return source.lstrip(codecs.BOM_UTF8).startswith((b"\n", b"\r"))


def _arrow_read(source: bytes | Path, control: formats.CsvControl
                ) -> tuple[pa.Table, list[tuple[int, str]]]:
    ragged: list[tuple[int, str]] = []

    def keep_aside(row: pa_csv.InvalidRow) -> str:
        ragged.append((row.number, row.text))
        return "skip"

    try:
        table = pa_csv.read_csv(
            str(source) if isinstance(source, Path) else pa.BufferReader(source),
            read_options=pa_csv.ReadOptions(use_threads=False,
                                            autogenerate_column_names=True, block_size=1 << 22),
            parse_options=_parse_options(control, keep_aside),
            convert_options=_TEXT_CONVERSION)
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise NotForArrow(str(exc)) from exc
    if ragged and ragged[0][0] == 1:
        raise NotForArrow("the header row is malformed")
    return table, ragged


def _parse_options(control: formats.CsvControl, keep_aside: Callable[[pa_csv.InvalidRow], str]
                   ) -> pa_csv.ParseOptions:
    return pa_csv.ParseOptions(
        delimiter=control.delimiter, quote_char=control.quote_char or False, double_quote=True,
        newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=keep_aside)


class ReadStats:
    """What decides, over every batch of a file, whether pyarrow read it as ``csv`` would:
    the longest cells and rows (over a limit: ``csv_rows`` cuts them), empty lines where ""
    is not a missing value, and suspicious quotes next to cells spanning lines. ``line_break``
    (a cell spans lines) is set by the reader, which knows it best."""

    def __init__(self, empty_is_missing: bool, limits: CsvLimits) -> None:
        self.empty_is_missing, self.limits = empty_is_missing, limits
        self.longest_cell = self.longest_row = self.width = 0
        self.empty_row = self.line_break = False

    def add(self, columns: list[pa.Array]) -> None:
        self.width = max(self.width, len(columns))
        # bytes first: no more characters than bytes, and counting bytes reads no text
        lengths = [pc.max(pc.binary_length(column)).as_py() or 0 for column in columns]
        if max(lengths, default=0) > self.limits.cell_chars or \
                sum(lengths) + len(columns) > self.limits.line_chars:
            lengths = [pc.max(pc.utf8_length(column)).as_py() or 0 for column in columns]
        self.longest_cell = max(self.longest_cell, *lengths, 0)
        self.longest_row = max(self.longest_row, sum(lengths) + len(columns))
        if not self.empty_is_missing and _any_empty_row(columns):
            self.empty_row = True

    def refuse(self, control: formats.CsvControl, quotes: QuoteLines) -> None:
        limits = self.limits
        if self.width > limits.row_cells or self.longest_cell > limits.cell_chars or \
                self.longest_row > limits.line_chars:
            raise NotForArrow("a cell, a line or a row may be over its limit")
        if self.empty_row:
            raise NotForArrow("an empty line, where empty is not a missing value")
        if control.quote_char == '"' and quotes.lines:
            if self.line_break:
                raise NotForArrow("suspicious quotes and cells spanning lines")
            strict_lines(control, quotes.lines)


def _any_empty_row(columns: list[pa.Array]) -> bool:
    empty = None
    for column in columns:
        blank = pc.equal(column, "")
        empty = blank if empty is None else pc.and_(empty, blank)
    return empty is not None and bool(pc.any(empty).as_py())


def cells_span_lines(columns: list[pa.ChunkedArray]) -> bool:
    """Whether a cell holds a line break (then a line is not a row)."""
    return any(pc.any(pc.match_substring_regex(column, "[\r\n]")).as_py() for column in columns)


def strict_lines(control: formats.CsvControl, lines: list[bytes]) -> None:
    dialect = control.to_python()
    for line in lines:
        try:
            list(csv.reader([line.decode("utf-8")], dialect, strict=True))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise NotForArrow(f"malformed quoting: {exc}") from exc


def _cells(text: str, control: formats.CsvControl) -> tuple[str, ...]:
    rows = list(csv.reader(io.StringIO(text, newline=""), control.to_python()))
    return tuple(rows[0]) if rows else ()


def _with_ragged_rows(columns: list[pa.ChunkedArray], ragged: dict[int, tuple[str, ...]],
                      first_row: int = 2) -> list[pa.ChunkedArray]:
    """The columns with the ragged rows put back at their row numbers (a missing cell null).
    Zero-copy: the regular rows stay where pyarrow put them, as slices between the ragged
    rows (a copy of every column would cost the file's size again)."""
    numbers = sorted(ragged)
    result = []
    for index, column in enumerate(columns):
        column = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array([column])
        pieces: list[pa.Array] = []
        start = 0
        for count, number in enumerate(numbers):
            regular_before = number - first_row - count
            pieces += column.slice(start, regular_before - start).chunks
            cells = ragged[number]
            pieces.append(pa.array([cells[index] if index < len(cells) else None],
                                   pa.string()))
            start = regular_before
        pieces += column.slice(start).chunks
        result.append(pa.chunked_array(pieces, pa.string()))
    return result


#: Above this size a file is checked in batches of rows (``columnar.batches``), so its text is
#: never held whole; below it, whole (one batch, and describe reuses the cells).
STREAM_ABOVE_BYTES = 32 << 20


def refuse_dialect(source: bytes | Path, control: formats.CsvControl) -> None:
    """NotForArrow for a dialect pyarrow does not read as ``csv`` does, or an empty header
    line (``csv`` reads no cells there, pyarrow one empty cell)."""
    if control.skip_initial_space or control.escape_char or not control.double_quote:
        raise NotForArrow("a dialect pyarrow does not read like csv")
    if _starts_with_empty_line(source):
        raise NotForArrow("an empty header line")


def read_piece(data: bytes, control: formats.CsvControl, *, width: int | None
               ) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Whole lines of CSV as text columns: the header's own width (``width`` None: the piece
    starts with the header) or ``width`` columns; the rows of another width aside, numbered
    from 1 within the piece."""
    ragged: list[tuple[int, str]] = []

    def keep_aside(row: pa_csv.InvalidRow) -> str:
        ragged.append((row.number, row.text))
        return "skip"

    names = None if width is None else [f"f{index}" for index in range(width)]
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(use_threads=False, column_names=names,
                                            autogenerate_column_names=names is None,
                                            block_size=max(len(data), 1 << 20) + 1),
            parse_options=_parse_options(control, keep_aside),
            convert_options=_TEXT_CONVERSION)
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        raise NotForArrow(str(exc)) from exc
    return table, ragged


def batch_of(labels: list[str], columns: list[pa.Array], ragged: dict[int, tuple[str, ...]],
             first_row: int, control: formats.CsvControl) -> RawTable:
    """One batch's RawTable: its regular rows and its ragged ones (by row number) in place."""
    regular = len(columns[0]) if columns else 0
    if ragged:
        columns = _with_ragged_rows(columns, ragged, first_row)
    return RawTable(list(labels), list(columns), ragged, [], control, regular + len(ragged),
                    first_row)


def cells_of(text: str, control: formats.CsvControl) -> tuple[str, ...]:
    """A ragged row's cells, as ``csv`` reads its text."""
    return _cells(text, control)


def cells_of_row(table: RawTable, number: int) -> Sequence[str | None]:
    """Every cell of row ``number`` as read (a ragged row's own cells)."""
    if number in table.ragged:
        return table.ragged[number]
    return [column[number - table.first_row].as_py() for column in table.columns]
