"""The one way every stage reads a dataset's CSV, so that all of them see the same text.

    table = read_csv_table(spec.csv_path, encoding=csv_encoding(spec))

1. Bytes → text as ``flows.validation.encoding.decode_table`` decides: the declared encoding,
   else UTF-8 (BOM or not), else cp874 only when the bytes read as real Thai; never a guess that
   turns Thai into mojibake. An empty file and a binary one give findings and no text.
2. Text → rows by ``flows.validation.csv_rows.read_rows``, within the limits of
   ``flows.validation.csv_limits`` (a line, a cell, a row): each cut is a finding.

The validation stage, describe (the dates, the public copy, the dictionary examples) and the KPI
derivations all read through here. Validation turns an unreadable file into findings; a stage
that needs the rows raises ``DataFileError``, whose message names the file and what to fix and,
like every finding, never holds the file's bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from flows.datasets import DatasetSpec
from flows.errors import DataFileError
from flows.validation.csv_rows import ParsedCsv, read_rows
from flows.validation.encoding import decode_table, utf8_payload
from flows.validation.findings import Finding, Severity

#: Encodings whose bytes are published as they are (published files are UTF-8).
UTF8 = frozenset({"utf-8", "utf-8-sig"})


@dataclass(frozen=True)
class CsvText:
    """A CSV file's text (None when it cannot be read), its encoding, checksum and findings."""

    path: Path
    text: str | None
    encoding: str
    sha256: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def utf8(self) -> bool:
        """Whether the file's own bytes are UTF-8 (so they can be published as they are)."""
        return self.encoding in UTF8


@dataclass(frozen=True)
class CsvTable:
    """A CSV file read and parsed: its text, and the rows (header first) when it has any."""

    source: CsvText
    parsed: ParsedCsv | None

    @property
    def findings(self) -> list[Finding]:
        return [*self.source.findings, *(self.parsed.findings if self.parsed else [])]

    @property
    def rows(self) -> list[tuple[str, ...]]:
        """Header first; ``DataFileError`` (what is wrong, how to fix it) when unreadable."""
        if self.parsed is None:
            raise DataFileError(unreadable_message(self.source))
        return self.parsed.rows

    @property
    def verbatim(self) -> bool:
        """Whether the file itself is what was read: UTF-8, and no line or cell cut."""
        return self.source.utf8 and self.parsed is not None and not self.parsed.cut


def csv_encoding(spec: DatasetSpec) -> str | None:
    """The encoding of ``spec``'s CSV: the declared one when the CSV is the source; UTF-8 when
    the pipeline writes it (a reader's tidy CSV, a derived dataset: ``source.encoding`` then
    names the raw files' encoding)."""
    source = spec.source
    return "utf-8" if source.get("reader") or source.get("derived") else spec.declared_encoding


def read_csv_text(path: Path, *, encoding: str | None = None) -> CsvText:
    """Read and decode ``path`` (``encoding``: the declared one, None to detect)."""
    data = path.read_bytes()
    decoded = decode_table(data, declared=encoding)
    return CsvText(path=path, text=decoded.text, encoding=decoded.encoding,
                   sha256=hashlib.sha256(data).hexdigest(), findings=decoded.findings)


@dataclass(frozen=True)
class CsvBytes:
    """A CSV file as UTF-8 bytes to parse (None when it cannot be read), its encoding,
    checksum and findings: what the columnar Table Schema check reads."""

    path: Path
    data: bytes | None
    encoding: str
    sha256: str
    findings: list[Finding] = field(default_factory=list)


def read_csv_bytes(path: Path, *, encoding: str | None = None) -> CsvBytes:
    """Read ``path`` as UTF-8 bytes. A UTF-8 file that decoding has nothing to say about is
    used as it is (no Python string of a big file is made); any other goes through
    ``decode_table`` and is re-encoded."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    fast = utf8_payload(data, declared=encoding)
    if fast is not None:
        return CsvBytes(path, fast[0], fast[1], digest)
    decoded = decode_table(data, declared=encoding)
    del data
    text = decoded.text.encode("utf-8") if decoded.text is not None else None
    return CsvBytes(path, text, decoded.encoding, digest, decoded.findings)


def read_csv_table(path: Path, *, encoding: str | None = None,
                   delimiter: str | None = ",") -> CsvTable:
    """Read, decode and parse ``path``; the rows are None when the file cannot be read."""
    source = read_csv_text(path, encoding=encoding)
    parsed = read_rows(source.text, delimiter=delimiter) if source.text is not None else None
    return CsvTable(source=source, parsed=parsed)


def read_csv_records(path: Path, *, encoding: str | None = None) -> list[dict[str, str | None]]:
    """The data rows as dicts by header label (as ``csv.DictReader``: blank rows skipped, a
    short row's missing cells None); ``DataFileError`` when the file cannot be read."""
    rows = read_csv_table(path, encoding=encoding).rows
    if not rows:
        return []
    header = rows[0]
    return [{label: row[i] if i < len(row) else None for i, label in enumerate(header)}
            for row in rows[1:] if row]


def unreadable_message(source: CsvText) -> str:
    """Why ``source`` gives no rows and what to fix, from its first error finding."""
    error = next((f for f in source.findings if f.severity is Severity.ERROR), None)
    why = f"{error.message_en} {error.hint_en}" if error else "it holds no text."
    rule = f" ({error.rule})" if error else ""
    return f"the data file {source.path} cannot be read{rule}: {why}"
