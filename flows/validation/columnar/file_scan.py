"""One pass over a CSV file in 8 MiB pieces: what decides whether pyarrow may read it as it is.

The file is never held whole: a million-row file is ~150 MB, and the memory budget of the
validation stage is four times the file, imports included. The pass computes the checksum and
finds what would make pyarrow's reading differ from ``decode_table`` + ``csv``: a NUL byte,
mixed or CR-only line endings, a UTF-16 byte-order mark, a spreadsheet container, an odd
number of quotes, and the lines whose quotes need the strict ``csv`` parser's word.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from flows.validation.encoding import binary_container

CHUNK_BYTES = 1 << 23
_SEPARATORS = np.frombuffer(b",\r\n", dtype=np.uint8)
_QUOTE = ord('"')


@dataclass
class FileScan:
    """What one pass over the file found (see the module docstring)."""

    sha256: str = ""
    size: int = 0
    bom: bool = False
    #: No NUL, one kind of line ending, not UTF-16, not a spreadsheet, not empty: decoding it
    #: as UTF-8 has nothing to say.
    plain: bool = True
    quotes: int = 0
    suspicious_lines: list[bytes] = field(default_factory=list)


class FileScanner:
    """The scan fed piece by piece (whole lines each time, the file's start first)."""

    def __init__(self, *, line_limit: int) -> None:
        self.scan = FileScan()
        self.line_limit = line_limit
        self.digest = hashlib.sha256()
        self.endings = {"crlf": 0, "cr": 0, "lf": 0}
        self.started = False

    def checksum(self, piece: bytes) -> None:
        """Every byte of the file, in order (a piece of any length)."""
        if not self.started:
            _look_at_start(self.scan, piece)
            self.started = True
        self.digest.update(piece)
        self.scan.size += len(piece)

    def lines(self, lines: bytes, quotes: np.ndarray | None = None) -> None:
        """Whole lines, in order (``quotes``: the positions of their quotes, when known)."""
        if self.scan.plain and lines:
            _scan_lines(self.scan, lines, self.endings, quotes)

    def carry_too_long(self, carry: bytes) -> bool:
        if len(carry) > self.line_limit:
            self.scan.plain = False
        return not self.scan.plain

    def finish(self) -> FileScan:
        scan = self.scan
        scan.sha256 = self.digest.hexdigest()
        kinds = [kind for kind, count in self.endings.items() if count]
        if scan.size == len(codecs.BOM_UTF8) * scan.bom or kinds not in ([], ["lf"], ["crlf"]):
            scan.plain = False
        return scan


def scan_file(path: Path, *, line_limit: int) -> FileScan:
    """Scan ``path``; a line longer than ``line_limit`` bytes makes it not plain (the reader
    that cuts lines at their limit takes it)."""
    scanner = FileScanner(line_limit=line_limit)
    carry = b""
    with path.open("rb") as stream:
        while True:
            piece = stream.read(CHUNK_BYTES)
            scanner.checksum(piece)
            if not scanner.scan.plain:   # pyarrow will not read it: only the checksum counts
                carry = b""
                if not piece:
                    break
                continue
            block = carry + piece
            cut = block.rfind(b"\n") + 1 if piece else len(block)
            lines, carry = block[:cut], block[cut:]
            scanner.carry_too_long(carry)
            scanner.lines(lines)
            if not piece:
                break
    return scanner.finish()


def _look_at_start(scan: FileScan, piece: bytes) -> None:
    scan.bom = piece.startswith(codecs.BOM_UTF8)
    if binary_container(piece) or piece.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        scan.plain = False


def _scan_lines(scan: FileScan, lines: bytes, endings: dict[str, int],
                quotes: np.ndarray | None = None) -> None:
    if lines.find(b"\x00") >= 0:
        scan.plain = False
    if lines.find(b"\r") < 0:   # the usual case: LF only, one count
        endings["lf"] += lines.count(b"\n")
    else:
        crlf = lines.count(b"\r\n")
        endings["crlf"] += crlf
        endings["cr"] += lines.count(b"\r") - crlf
        endings["lf"] += lines.count(b"\n") - crlf
    raw = np.frombuffer(lines, dtype=np.uint8)
    if quotes is None:
        quotes = np.flatnonzero(raw == _QUOTE)
    scan.quotes += len(quotes)
    if len(quotes) and len(scan.suspicious_lines) <= 100_000:
        scan.suspicious_lines += suspicious_lines(lines, raw, quotes)


def suspicious_lines(data: bytes, raw: np.ndarray, quotes: np.ndarray) -> list[bytes]:
    """The lines of ``data`` holding a run of quotes that is not plainly opening or closing a
    cell: with a letter on both sides (``ab"c``, ``"ab"c``, also a legitimate ``""`` inside a
    quoted cell), or an even run opening a cell (``,""c``)."""
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
    return [data[start:_line_end(data, start)] for start in starts]


def _line_end(data: bytes, start: int) -> int:
    end = data.find(b"\n", start)
    return len(data) if end < 0 else end
