"""CSV text → rows of cells, with the same dialect handed to frictionless.

We parse once ourselves (the C ``csv`` module: ~1 s per million rows) because the raw cells are
needed before frictionless sees them (Thai-form conversion) and after (the typed frame, the
values shown in findings). frictionless is given the very same dialect, fully spelled out, so
its ``rowNumber`` is our row index + 1 (header = row 1) and nothing is sniffed twice.

The parse applies ``csv_limits`` (a line, a cell, a row): a pathological line costs at most its
limit, and each cut is a finding.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from frictionless import formats

from flows.validation.csv_limits import (DEFAULT_LIMITS, BoundedLines, CsvLimits, cut_row,
                                        line_too_long, longest_line, physical_lines)
from flows.validation.findings import Finding, Severity

#: Delimiters a sniffed file may use (as frictionless: comma, tab, semicolon, pipe).
SNIFF_DELIMITERS = ",\t;|"
SNIFF_LINES = 100
#: At most this much of the sample is sniffed (a pathological first line can be megabytes).
SNIFF_CHARS = 65_536

# Cells as large as a whole document (long Thai legal titles) must not abort the parse: the
# cell limit (csv_limits) cuts them afterwards, with a finding.
csv.field_size_limit(2**31 - 1)


@dataclass
class ParsedCsv:
    """All rows (header first) as lists of str, the dialect used, and what parsing found."""

    rows: list[tuple[str, ...]]
    control: formats.CsvControl
    findings: list[Finding] = field(default_factory=list)
    #: A limit cut a line, cell or row: the rows are not the text's own (re-serialise them).
    cut: bool = False


def choose_dialect(text: str, *, delimiter: str | None) -> formats.CsvControl:
    """The CSV dialect: RFC 4180 with ``delimiter``, or sniffed like frictionless when None."""
    if delimiter is not None:
        return _control(delimiter=delimiter)
    sample = "".join(islice(physical_lines(text), SNIFF_LINES))[:SNIFF_CHARS]
    try:
        sniffed = csv.Sniffer().sniff(sample, SNIFF_DELIMITERS)
    except csv.Error:
        return _control()
    # A single quote as quote char is a frequent false guess (apostrophes in text).
    quote = '"' if sniffed.quotechar == "'" else sniffed.quotechar
    return _control(delimiter=sniffed.delimiter, quote_char=quote,
                    escape_char=sniffed.escapechar, skip_initial_space=sniffed.skipinitialspace)


def read_rows(text: str, *, delimiter: str | None = ",", limits: CsvLimits = DEFAULT_LIMITS,
              control: formats.CsvControl | None = None) -> ParsedCsv:
    """Parse the whole text; a quoting mistake becomes a ``structure/malformed-quoting`` finding.

    The strict parse catches what lenient readers (frictionless, spreadsheets) silently accept: a
    stray character after a closing quote, or a quote never closed (which swallows every later
    row into one cell). The rows then come from a lenient parse, as frictionless reads them.
    A line, cell or row over ``limits`` is cut, with a finding (``csv_limits``). ``control``:
    a dialect already chosen (``delimiter`` is then not used).
    """
    control = control or choose_dialect(text, delimiter=delimiter)
    parse = _Parse(text, control, limits)
    try:
        rows, cuts = parse.run(strict=True)
    except csv.Error as exc:
        malformed = _malformed_quoting(row=parse.rows_read + 1, reason=str(exc))
        rows, cuts = parse.run(strict=False)
        return ParsedCsv(rows, control, [malformed, *cuts], cut=bool(cuts))
    return ParsedCsv(rows, control, cuts, cut=bool(cuts))


class _Parse:
    """One text parsed with one dialect, within the limits; ``run`` can be repeated."""

    def __init__(self, text: str, control: formats.CsvControl, limits: CsvLimits) -> None:
        self.text, self.limits, self.dialect = text, limits, control.to_python()
        self.quote = control.quote_char or ""
        self.longest = longest_line(text, limits)
        self.rows_read = 0

    def run(self, *, strict: bool) -> tuple[list[tuple[str, ...]], list[Finding]]:
        # Tuples, not lists: the garbage collector stops tracking tuples of str, while a million
        # tracked lists would make every later collection (frictionless allocates a lot) crawl.
        rows: list[tuple[str, ...]] = []
        self.rows_read = 0
        if self.longest > self.limits.line_chars:
            lines = BoundedLines(self.text, self.limits.line_chars, self.quote)
            reader = csv.reader(lines, self.dialect, strict=strict)
            findings = self._read_cutting_lines(reader, lines, rows)
        else:
            reader = csv.reader(physical_lines(self.text), self.dialect, strict=strict)
            try:
                rows.extend(map(tuple, reader))
            finally:
                self.rows_read = len(rows)
            findings = []
        if self._cells_may_exceed(reader.line_num, len(rows)):
            findings += self._cut_cells(rows)
        return rows, sorted(findings, key=lambda finding: finding.row or 0)

    def _read_cutting_lines(self, reader: Any, lines: BoundedLines,
                            rows: list[tuple[str, ...]]) -> list[Finding]:
        """Rows into ``rows``; a finding per cut line, on the row that holds it."""
        findings: list[Finding] = []
        for row in reader:
            rows.append(tuple(row))
            self.rows_read = len(rows)
            # reader.line_num: the physical lines read so far, this row's last one included
            for line, length in lines.cuts[len(findings):]:
                if line > reader.line_num:
                    break
                findings.append(line_too_long(len(rows), line, length, self.limits.line_chars))
        return findings

    def _cells_may_exceed(self, lines_read: int, rows: int) -> bool:
        """Whether a cell or a row can be over its limit: a long line, or a row over lines."""
        limits = self.limits
        return bool(self.longest) and (self.longest > min(limits.cell_chars, limits.row_cells)
                                       or lines_read > rows)

    def _cut_cells(self, rows: list[tuple[str, ...]]) -> list[Finding]:
        findings: list[Finding] = []
        limits = self.limits
        for index, row in enumerate(rows):
            if len(row) > limits.row_cells or max(map(len, row), default=0) > limits.cell_chars:
                rows[index], cut = cut_row(row, index + 1, rows[0] if index else None, limits)
                findings += cut
        return findings


def _control(*, delimiter: str = ",", quote_char: str = '"', escape_char: str | None = None,
             skip_initial_space: bool = False) -> formats.CsvControl:
    # Every property is set explicitly: frictionless sniffs whatever is left undefined.
    return formats.CsvControl(delimiter=delimiter, quote_char=quote_char, double_quote=True,
                              escape_char=escape_char, skip_initial_space=skip_initial_space)


def _malformed_quoting(*, row: int, reason: str) -> Finding:
    return Finding(
        rule="structure/malformed-quoting", severity=Severity.ERROR,
        message_th=f"เครื่องหมายคำพูด (\") ในแถว {row} ไม่ถูกต้อง ทำให้อ่านข้อมูลแถวนี้และแถวถัดไปผิดได้",
        message_en=f"Malformed quoting in row {row} ({reason}); this row and the following ones "
                   "may be read wrongly.",
        hint_th='ข้อความที่มีเครื่องหมายคำพูดต้องครอบทั้งช่องด้วย "..." และเขียนเครื่องหมายคำพูดข้างในเป็น "" '
                "ตรวจว่าเปิด-ปิดเครื่องหมายคำพูดครบ",
        hint_en='Wrap the whole cell in "..." and write a quote inside it as ""; check every opened '
                "quote is closed.",
        row=row)
