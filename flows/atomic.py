"""Write a file so that a crash never leaves half of it, and an unchanged file is left alone.

Every generated file of the project (tidy CSVs, reports, dictionaries, run-derived datasets,
the quality history) goes through here: readers see the old bytes or the new, never a mix, and
rewriting identical bytes keeps the file's timestamp (nothing downstream thinks it changed).
"""

from __future__ import annotations

import os
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a hidden sibling file renamed over it; return ``path``."""
    path = Path(path)
    if path.exists() and path.read_bytes() == data:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    """``write_bytes_atomic`` of UTF-8 text, "\\n" kept as is (same text, same bytes)."""
    return write_bytes_atomic(path, text.encode("utf-8"))
