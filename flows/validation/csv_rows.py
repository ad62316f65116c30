"""CSV text → rows of cells, with the same dialect handed to frictionless.

We parse once ourselves (the C ``csv`` module: ~1 s per million rows) because the raw cells are
needed before frictionless sees them (Thai-form conversion) and after (the typed frame, the
values shown in findings). frictionless is given the very same dialect, fully spelled out, so
its ``rowNumber`` is our row index + 1 (header = row 1) and nothing is sniffed twice.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from itertools import islice

from frictionless import formats

from flows.validation.findings import Finding, Severity

#: Delimiters a sniffed file may use (as frictionless: comma, tab, semicolon, pipe).
SNIFF_DELIMITERS = ",\t;|"
SNIFF_LINES = 100

# Cells as large as a whole document (long Thai legal titles) must not abort the parse.
csv.field_size_limit(2**31 - 1)


@dataclass
class ParsedCsv:
    """All rows (header first) as lists of str, the dialect used, and what parsing found."""

    rows: list[tuple[str, ...]]
    control: formats.CsvControl
    findings: list[Finding] = field(default_factory=list)


def choose_dialect(text: str, *, delimiter: str | None) -> formats.CsvControl:
    """The CSV dialect: RFC 4180 with ``delimiter``, or sniffed like frictionless when None."""
    if delimiter is not None:
        return _control(delimiter=delimiter)
    sample = "".join(islice(io.StringIO(text, newline=""), SNIFF_LINES))
    try:
        sniffed = csv.Sniffer().sniff(sample, SNIFF_DELIMITERS)
    except csv.Error:
        return _control()
    # A single quote as quote char is a frequent false guess (apostrophes in text).
    quote = '"' if sniffed.quotechar == "'" else sniffed.quotechar
    return _control(delimiter=sniffed.delimiter, quote_char=quote,
                    escape_char=sniffed.escapechar, skip_initial_space=sniffed.skipinitialspace)


def read_rows(text: str, *, delimiter: str | None = ",") -> ParsedCsv:
    """Parse the whole text; a quoting mistake becomes a ``structure/malformed-quoting`` finding.

    The strict parse catches what lenient readers (frictionless, spreadsheets) silently accept: a
    stray character after a closing quote, or a quote never closed (which swallows every later
    row into one cell). The rows then come from a lenient parse, as frictionless reads them.
    """
    control = choose_dialect(text, delimiter=delimiter)
    dialect = control.to_python()
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    # Tuples, not lists: the garbage collector stops tracking tuples of str, while a million
    # tracked lists would make every later collection (frictionless allocates a lot) crawl.
    rows: list[tuple[str, ...]] = []
    try:
        rows.extend(map(tuple, reader))
    except csv.Error as exc:
        malformed = _malformed_quoting(row=len(rows) + 1, reason=str(exc))
        rows = list(map(tuple, csv.reader(io.StringIO(text, newline=""), dialect)))
        return ParsedCsv(rows, control, [malformed])
    return ParsedCsv(rows, control)


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
