"""The public copy of a tidy CSV: the same rows without the personal-data columns.

Same input, same bytes: the copy is written with ``"\\n"`` line ends and minimal quoting (the
tidy CSVs' own convention), so its checksum changes only when the data do.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Sequence

from flows.atomic import write_bytes_atomic
from flows.errors import ConfigError


def write_public_copy(source: Path, target: Path, *, drop: Sequence[str]) -> Path:
    """Write ``source`` without the columns named in ``drop`` to ``target``; return ``target``.

    Only the file's bytes are compared before writing, so an unchanged copy keeps its mtime.
    """
    return write_bytes_atomic(target, public_copy_bytes(source, drop=drop))


def public_copy_bytes(source: Path, *, drop: Sequence[str]) -> bytes:
    """The CSV text of ``source`` without the ``drop`` columns, UTF-8 encoded."""
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ConfigError(f"{source} is empty; run the conversion (`senate-catalog ingest`)")
        missing = [name for name in drop if name not in header]
        if missing:
            raise ConfigError(f"{source} has no column(s) {missing} that the Table Schema marks "
                              "personalData; regenerate the CSV or fix the schema")
        keep = [i for i, name in enumerate(header) if name not in set(drop)]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([header[i] for i in keep])
        for row in reader:
            writer.writerow([row[i] if i < len(row) else "" for i in keep])
    return out.getvalue().encode("utf-8")
