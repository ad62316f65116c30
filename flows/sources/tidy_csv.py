"""Write a reader's frame as the dataset's tidy CSV, byte for byte the same on every run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from flows.atomic import write_text_atomic


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV text of ``frame``: header row, then one line per row; missing cells are empty.

    Fields are quoted only when they must be (a comma, quote or line break inside).
    """
    return frame.to_csv(index=False, lineterminator="\n", na_rep="")


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` to ``path`` as UTF-8 without BOM and with "\\n" line endings.

    Bytes are written directly so no platform newline translation can change them: re-running a
    conversion gives a byte-identical file.
    """
    return write_text_atomic(path, csv_text(frame))
