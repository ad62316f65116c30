"""Ingest: raw source files → the dataset's tidy CSV (``datasets/<id>/<id>.csv``).

A dataset names its reader in ``metadata/<id>.yaml``::

    source:
      reader: politician-directory/senate-votes
      files: [raw/senate_votelog.yaml]     # relative to datasets/<id>/
      encoding: utf-8

Each reader is a pure function ``(files, *, encoding) -> (DataFrame, findings)``: the frame holds
the CSV's cells (text or None, columns in the Table Schema's order) and the findings are what the
conversion saw that the CSV cannot show. Readers never drop or correct data; their docstrings and
each dataset's ``raw/PROVENANCE.md`` list what they map and drop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd

from flows.datasets import DatasetSpec
from flows.errors import ConfigError
from flows.sources.excel import read_excel_source
from flows.sources.politician_directory import (read_senate_votes, read_senator_votes,
                                                read_senators)
from flows.sources.raw_yaml import SourceError
from flows.sources.tidy_csv import csv_text, write_csv
from flows.validation.findings import Finding

Reader = Callable[..., tuple[pd.DataFrame, list[Finding]]]

#: Reader names as written in ``source.reader`` of ``metadata/<id>.yaml``.
READERS: dict[str, Reader] = {
    "politician-directory/senate-votes": read_senate_votes,
    "politician-directory/senators": read_senators,
    "politician-directory/senator-votes": read_senator_votes,
    "excel": read_excel_source,
}

#: ``source:`` keys a reader takes as keyword options (the others are the block's own).
READER_OPTIONS: dict[str, tuple[str, ...]] = {"excel": ("sheet", "header_row")}

__all__ = ["READERS", "Reader", "SourceError", "build_dataset", "csv_text", "ingest_dataset",
           "write_csv"]


def build_dataset(spec: DatasetSpec) -> tuple[pd.DataFrame, list[Finding]]:
    """Run the dataset's reader on its raw files (as its ``source:`` block declares)."""
    reader = _reader(spec)
    files = _raw_files(spec)
    options = {key: spec.source[key] for key in READER_OPTIONS.get(spec.source["reader"], ())
               if spec.source.get(key) is not None}
    return reader(files, encoding=spec.declared_encoding or "utf-8", **options)


def ingest_dataset(spec: DatasetSpec) -> list[Finding]:
    """Convert the raw files and write ``datasets/<id>/<id>.csv``; the conversion's findings."""
    frame, findings = build_dataset(spec)
    write_csv(frame, spec.csv_path)
    return findings


def _reader(spec: DatasetSpec) -> Reader:
    name = spec.source.get("reader")
    if name not in READERS:
        raise ConfigError(f"metadata/{spec.id}.yaml: source.reader {name!r} is not a known "
                          f"reader; use one of {', '.join(sorted(READERS))}")
    return READERS[name]


def _raw_files(spec: DatasetSpec) -> list[Path]:
    names = spec.source.get("files")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ConfigError(f"metadata/{spec.id}.yaml: source.files must list the raw files, "
                          "e.g. [raw/source.yaml] (paths relative to datasets/<id>/)")
    folder = spec.raw_dir.parent
    files = [(folder / name).resolve() for name in names]
    # Raw files travel with their LICENSE and PROVENANCE.md, so they must live in the raw folder.
    outside = [name for name, file in zip(names, files)
               if not file.is_relative_to(spec.raw_dir.resolve())]
    if outside:
        raise ConfigError(f"metadata/{spec.id}.yaml: source.files {outside} are outside "
                          f"datasets/{spec.id}/raw/; copy them there with their licence")
    return files
