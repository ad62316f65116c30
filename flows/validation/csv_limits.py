"""What one pathological line may cost: the parse cuts a line, a cell and a row at a limit.

A 20 MB line of commas is ten million cells: parsed whole, it made the validation peak at
gigabytes (frictionless builds an error object per extra cell). ``csv_rows.read_rows`` therefore
reads no physical line past ``line_chars`` characters, cuts every cell at ``cell_chars`` and
every row at ``row_cells`` cells; each cut is an error finding, and the cut rows are what every
later check, the data dictionary and the public copy read (``flows.csv_source``).

| limit  | default              | finding, and what is kept                               |
|--------|----------------------|---------------------------------------------------------|
| a line | 1,000,000 characters | ``structure/line-too-long``: the line's first 1,000,000 |
| a cell | 100,000 characters   | ``structure/cell-too-long``: the cell's first 100,000   |
| a row  | 1,000 cells          | ``structure/too-many-cells``: the first 1,000 cells     |

No finding quotes the cut text: it may be anything, personal data included.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Iterator

from flows.validation.findings import Finding, Severity

MAX_LINE_CHARS = 1_000_000
MAX_CELL_CHARS = 100_000
# frictionless copies a row's cells into the error of each extra cell: a row of n cells costs
# n² pointers when the header is short, 8 MB for 1,000 cells (800 MB for 10,000).
MAX_ROW_CELLS = 1_000
#: A header label longer than this is not quoted as a field name in a finding.
MAX_LABEL_CHARS = 200


@dataclass(frozen=True)
class CsvLimits:
    """The limits one parse applies (characters per physical line and per cell, cells per row)."""

    line_chars: int = MAX_LINE_CHARS
    cell_chars: int = MAX_CELL_CHARS
    row_cells: int = MAX_ROW_CELLS


DEFAULT_LIMITS = CsvLimits()


def physical_lines(text: str) -> Iterator[str]:
    """The text's lines, each with its own line ending (CRLF, LF or CR), as the csv module
    reads them. Over its UTF-8 bytes, not an ``io.StringIO``: that holds a copy of the whole
    text at 4 bytes per character (80 MB for a 20 MB file), this one 1 to 3."""
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8", newline="")


def longest_line(text: str, limits: CsvLimits) -> int:
    """The length of the longest physical line, or 0 when the whole text is within every limit
    (most files: nothing to measure)."""
    if len(text) <= min(limits.cell_chars, limits.row_cells, limits.line_chars):
        return 0
    return max(map(len, physical_lines(text)), default=0)


@dataclass
class BoundedLines:
    """The text's physical lines for ``csv.reader``, none longer than ``limit`` characters.

    A cut line that leaves a quoted cell open gets its quote closed, so the cut does not swallow
    the rows after it. ``cuts`` collects (physical line number, length) of each cut line.
    """

    text: str
    limit: int
    quote: str = '"'
    cuts: list[tuple[int, int]] = field(default_factory=list)

    def __iter__(self) -> Iterator[str]:
        inside = False  # within a quoted cell, from the parity of the quote characters so far
        for number, line in enumerate(physical_lines(self.text), start=1):
            if len(line) > self.limit:
                self.cuts.append((number, len(line)))
                line = line[:self.limit]
                if inside != self._odd(line):
                    line += self.quote
                inside = False
            elif self._odd(line):
                inside = not inside
            yield line

    def _odd(self, line: str) -> bool:
        return bool(self.quote) and line.count(self.quote) % 2 == 1


def cut_row(row: tuple[str, ...], number: int, header: tuple[str, ...] | None,
            limits: CsvLimits) -> tuple[tuple[str, ...], list[Finding]]:
    """``row`` (row ``number``; header = 1) within the cell limits, and a finding per cut."""
    findings: list[Finding] = []
    if len(row) > limits.row_cells:
        findings.append(_too_many_cells(number, len(row), limits.row_cells))
        row = row[:limits.row_cells]
    if max(map(len, row), default=0) > limits.cell_chars:
        cells = list(row)
        for position, cell in enumerate(cells):
            if len(cell) > limits.cell_chars:
                name = _label(header, position)
                findings.append(_cell_too_long(number, position + 1, name, len(cell),
                                               limits.cell_chars))
                cells[position] = cell[:limits.cell_chars]
        row = tuple(cells)
    return row, findings


def _label(header: tuple[str, ...] | None, position: int) -> str | None:
    """The header's label of a cell, when it is a plausible field name (else the position)."""
    label = header[position] if header and position < len(header) else None
    return label if label and len(label) <= MAX_LABEL_CHARS else None


def line_too_long(row: int, line: int, length: int, limit: int) -> Finding:
    """A physical line cut at ``limit`` characters (row ``row`` of the table)."""
    return Finding(
        rule="structure/line-too-long", severity=Severity.ERROR,
        message_th=f"บรรทัดที่ {line:,} ของไฟล์ (แถว {row:,}) ยาว {length:,} ตัวอักษร เกินขีดจำกัด "
                   f"{limit:,} ตัวอักษร ระบบอ่านเพียง {limit:,} ตัวอักษรแรก",
        message_en=f"Line {line:,} of the file (row {row:,}) is {length:,} characters long, over "
                   f"the limit of {limit:,}; only its first {limit:,} characters were read.",
        hint_th="บรรทัดที่ยาวเช่นนี้มักเกิดจากการขึ้นบรรทัดใหม่หายไป หรือไฟล์ไม่ใช่ตาราง "
                "ตรวจไฟล์แล้วส่งออกเป็น CSV ใหม่ ให้หนึ่งแถวต่อหนึ่งบรรทัด",
        hint_en="A line this long is usually missing line breaks, or the file is not a table: "
                "check it and export the CSV again, one row per line.",
        row=row)


def _cell_too_long(row: int, position: int, name: str | None, length: int,
                   limit: int) -> Finding:
    where_th = f'คอลัมน์ "{name}"' if name else f"ช่องที่ {position}"
    where_en = f'field "{name}"' if name else f"cell {position}"
    return Finding(
        rule="structure/cell-too-long", severity=Severity.ERROR,
        message_th=f"แถว {row:,} {where_th} ยาว {length:,} ตัวอักษร เกินขีดจำกัด {limit:,} ตัวอักษร "
                   f"ระบบตัดเหลือ {limit:,} ตัวอักษรแรก",
        message_en=f"Row {row:,}, {where_en} is {length:,} characters long, over the limit of "
                   f"{limit:,}; it was cut to its first {limit:,} characters.",
        hint_th="ตรวจว่าเครื่องหมายคำพูด (\") เปิด-ปิดครบ (คำพูดที่ไม่ได้ปิดจะรวมหลายแถวเป็นช่องเดียว) "
                "ข้อความยาวมากควรเก็บเป็นไฟล์แยกแล้วอ้างถึงด้วยลิงก์",
        hint_en='Check that every opened quote (") is closed (an unclosed quote merges many rows '
                "into one cell); keep very long text in a separate file and link to it.",
        row=row, field=name)


def _too_many_cells(row: int, cells: int, limit: int) -> Finding:
    return Finding(
        rule="structure/too-many-cells", severity=Severity.ERROR,
        message_th=f"แถว {row:,} มี {cells:,} ช่อง เกินขีดจำกัด {limit:,} ช่อง ระบบอ่านเพียง {limit:,} ช่องแรก",
        message_en=f"Row {row:,} has {cells:,} cells, over the limit of {limit:,}; only the "
                   f"first {limit:,} were read.",
        hint_th="ตรวจตัวคั่น (จุลภาค) ของแถวนี้ และส่งออกไฟล์เป็น CSV ใหม่",
        hint_en="Check the row's delimiters (commas) and export the CSV again.",
        row=row)
