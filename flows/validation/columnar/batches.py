"""A big CSV file in batches of rows, read once, never held whole.

The file is read in pieces of about ``BATCH_BYTES``, each cut after a line break that is not
inside a quoted cell (the quotes before it are even in number), so every piece holds whole rows
and pyarrow reads each on its own. The same pass computes the checksum and what decides whether
pyarrow read the file as ``csv`` would (``file_scan``); the checks of the whole file that need
every batch (the longest cell, line breaks in cells next to suspicious quotes, empty lines) are
made at the end, and NotForArrow then sends the caller to the whole-file reader.

(pyarrow's own streaming reader reads ~16 blocks ahead: 70-180 MB more for nothing here.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO, Iterator

import numpy as np
import pyarrow as pa
from frictionless import formats

from flows.validation.columnar.file_scan import FileScan, FileScanner
from flows.validation.columnar.raw_table import (NotForArrow, QuoteLines, RawTable, ReadStats,
                                                 batch_of, cells_of, read_piece,
                                                 refuse_dialect)
from flows.validation.csv_limits import DEFAULT_LIMITS, CsvLimits

#: The size of one batch's piece of the file.
BATCH_BYTES = 8 << 20
_QUOTE, _NEWLINE = ord('"'), ord("\n")


@dataclass
class BatchedFile:
    """What reading in batches found about the whole file, complete after the last batch."""

    scan: FileScan | None = None
    stats: ReadStats = field(default_factory=lambda: ReadStats(True, DEFAULT_LIMITS))


def read_batches(path: Path, control: formats.CsvControl, found: BatchedFile, *,
                 empty_is_missing: bool, limits: CsvLimits = DEFAULT_LIMITS,
                 batch_bytes: int = BATCH_BYTES) -> Iterator[RawTable]:
    """The file's rows as RawTables (each with the header's labels and its own first row
    number); ``found`` gets the file's scan. NotForArrow, possibly after the last batch,
    when pyarrow did not read it as ``csv`` would."""
    refuse_dialect(path, control)
    scanner = FileScanner(line_limit=limits.line_chars * 4)
    found.stats = ReadStats(empty_is_missing, limits)
    labels: list[str] | None = None
    next_row = 2
    # the first piece holds the header: later pieces are read at its width
    labels_width = _LabelsWidth()
    with path.open("rb") as stream, ThreadPoolExecutor(max_workers=1) as hashing:
        # The next piece is read, scanned and parsed while the caller checks this batch (two
        # cores); the checksum runs on its own thread.
        for lines, (table, ragged) in _prefetched(
                (lines, _parsed(lines, control, labels_width))
                for lines in _pieces(stream, scanner, batch_bytes, hashing, found.stats)):
            if not scanner.scan.plain or scanner.scan.quotes % 2:
                raise NotForArrow("not plain UTF-8, or a quote never closed")
            columns = list(table.columns)
            first_number = next_row - 1   # row number of the piece's row 1
            if labels is None:
                if ragged and ragged[0][0] == 1 or table.num_rows == 0:
                    raise NotForArrow("the header row is malformed")
                labels = [column[0].as_py() for column in columns]
                columns = [column.slice(1) for column in columns]
                first_number = 0
            found.stats.add(columns)
            rows = {first_number + number: cells_of(text, control) for number, text in ragged}
            batch = batch_of(labels, columns, rows, next_row, control)
            next_row += batch.rows
            yield batch
    found.scan = scanner.finish()   # (the checksum thread has finished: the pool is closed)
    if labels is None or not found.scan.plain or found.scan.quotes % 2:
        raise NotForArrow("no header, or not plain UTF-8")
    found.stats.refuse(control, QuoteLines(found.scan.suspicious_lines, found.scan.quotes > 0))


class _LabelsWidth:
    """The header's width once the first piece is read (None before)."""

    value: int | None = None


def _parsed(lines: bytes, control: formats.CsvControl, width: _LabelsWidth
            ) -> tuple[pa.Table, list[tuple[int, str]]]:
    """One piece parsed; the first sets the header's width for the next ones."""
    table, ragged = read_piece(lines, control, width=width.value)
    if width.value is None:
        width.value = table.num_columns
    return table, ragged


def _prefetched(items: Iterator[Any]) -> Iterator[Any]:
    """``items``, each produced on a helper thread while the previous one is used. The first
    is produced before the second is asked for (the header's width comes from it)."""
    with ThreadPoolExecutor(max_workers=1) as helper:
        iterator = iter(items)
        pending = helper.submit(next, iterator, _DONE)
        while True:
            item = pending.result()
            if item is _DONE:
                return
            pending = helper.submit(next, iterator, _DONE)
            yield item


_DONE = object()


def _pieces(stream: BinaryIO, scanner: FileScanner, size: int,
            hashing: ThreadPoolExecutor, stats: ReadStats) -> Iterator[bytes]:
    """Whole-row pieces of the file, each scanned; the checksum covers every byte."""
    carry = b""
    while True:
        piece = stream.read(size)
        hashing.submit(scanner.checksum, piece)   # in order: one worker
        block = carry + piece
        quotes = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == _QUOTE)
        cut = _row_end(block, quotes, stats, final=not piece)
        lines, carry = block[:cut], block[cut:]
        if scanner.carry_too_long(carry):
            raise NotForArrow("a line over its limit")
        if lines:
            scanner.lines(lines, quotes[:np.searchsorted(quotes, cut)])
            yield lines
        if not piece:
            return


def _row_end(block: bytes, quotes: np.ndarray, stats: ReadStats, *, final: bool) -> int:
    """Just after the last line break of ``block`` outside quotes (0: none yet; the whole
    block when ``final``); a line break inside quotes before the cut is a cell spanning lines
    (``stats.line_break``)."""
    raw = np.frombuffer(block, dtype=np.uint8)
    breaks = np.flatnonzero(raw == _NEWLINE)
    quotes_before = np.searchsorted(quotes, breaks)
    outside = quotes_before % 2 == 0
    if final:
        stats.line_break = stats.line_break or not outside.all()
        return len(block)
    if not len(breaks):
        return 0
    if not outside.any():
        return 0
    last = int(np.flatnonzero(outside)[-1])
    if not outside[:last].all():
        stats.line_break = True
    return int(breaks[last]) + 1
