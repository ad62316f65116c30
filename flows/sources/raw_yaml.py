"""Read a raw YAML source file that holds a list of records (one mapping per record)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import yaml

from flows.errors import ConfigError, SenateCatalogError

# libyaml's safe loader reads the 1.9 MB people.yaml about ten times faster than the pure-Python
# one and builds the same values; fall back when PyYAML was built without it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SourceError(SenateCatalogError):
    """A raw source file cannot be read, or does not have the shape its reader expects."""


def load_yaml_records(path: Path, *, encoding: str) -> list[dict[str, Any]]:
    """The records of a YAML file whose top level is a list of mappings.

    Raises ``SourceError`` with what to fix when the file is missing, is not in ``encoding``, is
    not YAML, or is not a list of mappings: the reader cannot convert such a file at all.
    """
    try:
        text = path.read_text(encoding=encoding)
    except FileNotFoundError as exc:
        raise SourceError(f"{path} does not exist: copy the raw file there, or correct "
                          "source.files in the dataset's metadata/<id>.yaml") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path} is not valid {encoding} ({exc}): set source.encoding in the "
                          "dataset's metadata/<id>.yaml to the file's real encoding") from exc
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise SourceError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SourceError(f"{path} must hold a YAML list of records (mappings), "
                          f"found {type(data).__name__}: is source.reader the right one?")
    return data


def one_file(files: Sequence[Path], *, reader: str) -> Path:
    """The single raw file of a one-file reader; a clear error when the metadata lists more."""
    if len(files) != 1:
        raise ConfigError(f"the reader {reader} converts exactly one raw file, got {len(files)}: "
                          "list one file in source.files of metadata/<id>.yaml")
    return files[0]
