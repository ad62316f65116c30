"""The data dictionary (KPI 1.3 condition 5.3): one entry per field, from the Table Schema + data.

Per dataset it is written as ``out/<id>/dictionary.csv`` and ``dictionary.html``; all datasets
together as ``out/catalog/dictionary.csv`` and ``.html``. Same input, same bytes: nothing in the
files depends on the clock, the machine or the order of a dict.

The CSV is UTF-8 **with a byte-order mark** and CRLF line ends (RFC 4180): stewards open it in
Excel, which shows Thai as mojibake without the BOM. The BOM is part of the file, so the checksum
the catalog records is as stable as without it; pandas (``encoding="utf-8-sig"``), frictionless
and CKAN read it either way.

Every cell is neutralised against spreadsheet formula injection (``flows.csv_safety``) as it is
written: descriptions are free text, and the examples come from data cells, which may hold
``=HYPERLINK(...)``. The HTML page shows the same text (a browser runs no formulas).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd

from flows.atomic import write_bytes_atomic, write_text_atomic
from flows.csv_safety import neutralise
from flows.describe.dictionary_examples import example_values, read_tidy_frame
from flows.describe.dictionary_html import render_catalog_html, render_dataset_html
from flows.describe.dictionary_text import (PERSONAL_NOTE_EN, PERSONAL_NOTE_TH,
                                            constraints_text, english_label, key_notes,
                                            thai_description)

__all__ = ["DICTIONARY_COLUMNS", "PERSONAL_EXAMPLE_NOTE", "build_data_dictionary",
           "dictionary_csv_bytes", "write_catalog_dictionary", "write_data_dictionary"]

#: Shown instead of examples for a personal-data field.
PERSONAL_EXAMPLE_NOTE = f"({PERSONAL_NOTE_TH} / {PERSONAL_NOTE_EN})"

#: The keys of an entry, which are also the CSV header, in order.
DICTIONARY_COLUMNS = (
    "dataset", "dataset_title", "position", "field", "label_th", "label_en", "type", "format",
    "unit", "constraints_th", "constraints_en", "keys_th", "keys_en", "personal_data",
    "description_en", "description_th", "examples",
)

# Several examples share one CSV cell, one per line: " ; " and " | " occur inside the pilot
# data itself (other_documents), a line break never does (examples are collapsed to one line).
_EXAMPLE_SEPARATOR = "\n"


def build_data_dictionary(schema: dict[str, Any], frame: pd.DataFrame | None, *, dataset: str,
                          title: str = "", csv_path: Path | None = None) -> list[dict[str, Any]]:
    """One entry per schema field, in schema order.

    ``frame`` is the validation stage's typed frame; when it is None the tidy CSV at ``csv_path``
    is read as strings; with neither, the entries have no examples. Examples never come from a
    personal-data field, whatever the frame holds.
    """
    if frame is None and csv_path is not None:
        frame = read_tidy_frame(csv_path, schema)
    return [_entry(field, position, schema, frame, dataset=dataset, title=title)
            for position, field in enumerate(schema.get("fields", []), start=1)]


def _entry(field: dict[str, Any], position: int, schema: dict[str, Any],
           frame: pd.DataFrame | None, *, dataset: str, title: str) -> dict[str, Any]:
    constraints_th, constraints_en = constraints_text(field)
    keys_th, keys_en = key_notes(field["name"], schema)
    personal = bool(field.get("personalData"))
    return {
        "dataset": dataset,
        "dataset_title": title,
        "position": position,
        "field": field["name"],
        "label_th": str(field.get("title") or ""),
        "label_en": english_label(field),
        "type": str(field.get("type") or "any"),
        "format": str(field.get("format") or "default"),
        "unit": str(field.get("unit") or ""),
        "constraints_th": constraints_th,
        "constraints_en": constraints_en,
        "keys_th": keys_th,
        "keys_en": keys_en,
        "personal_data": personal,
        "description_en": " ".join(str(field.get("description") or "").split()),
        "description_th": thai_description(field),
        "examples": [] if personal else _examples(field, frame),
    }


def _examples(field: dict[str, Any], frame: pd.DataFrame | None) -> list[str]:
    if frame is None or field["name"] not in frame.columns:
        return []
    return example_values(frame[field["name"]], field_type=str(field.get("type") or "any"))


def write_data_dictionary(entries: list[dict[str, Any]], out_dir: Path) -> dict[str, Path]:
    """Write ``dictionary.csv`` and ``dictionary.html`` of one dataset into ``out_dir``."""
    datasets = _dataset_order(entries)
    if len(datasets) != 1:
        raise ValueError("write_data_dictionary takes the entries of exactly one dataset, "
                         f"got {datasets or 'none'}; use write_catalog_dictionary for several")
    return _write(out_dir, entries, render_dataset_html(entries))


def write_catalog_dictionary(all_entries: list[dict[str, Any]],
                             out_dir: Path) -> dict[str, Path]:
    """Write the catalog-wide dictionary (all datasets, grouped by dataset id) into ``out_dir``."""
    # Sorted by dataset id, schema order within a dataset: the bytes do not depend on the
    # order in which the caller described the datasets.
    ordered = sorted(all_entries, key=lambda entry: (entry["dataset"], entry["position"]))
    return _write(out_dir, ordered, render_catalog_html(ordered))


def _write(out_dir: Path, entries: list[dict[str, Any]], html: str) -> dict[str, Path]:
    return {"csv": write_bytes_atomic(out_dir / "dictionary.csv", dictionary_csv_bytes(entries)),
            "html": write_text_atomic(out_dir / "dictionary.html", html)}


def dictionary_csv_bytes(entries: list[dict[str, Any]], *, bom: bool = True) -> bytes:
    """The entries as CSV: UTF-8 with BOM, CRLF, every value quoted only when needed, and no
    cell a spreadsheet would run as a formula. ``bom=False``: without the byte-order mark, as
    every data file of the catalog is (the public data dictionary's, which the DataStore reads)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DICTIONARY_COLUMNS)
    for entry in entries:
        writer.writerow([neutralise(_csv_cell(column, entry)) for column in DICTIONARY_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def _csv_cell(column: str, entry: dict[str, Any]) -> str:
    value = entry.get(column)
    if column == "personal_data":
        return "true" if value else "false"
    if column == "examples":
        return PERSONAL_EXAMPLE_NOTE if entry.get("personal_data") else _EXAMPLE_SEPARATOR.join(
            value or [])
    return "" if value is None else str(value)


def _dataset_order(entries: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(entry["dataset"] for entry in entries))
