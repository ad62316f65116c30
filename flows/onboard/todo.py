"""The TODO marker of drafted files, and where a dataset still holds one.

`senate-catalog new` writes ``TODO`` for every decision only a person can make. Such a dataset
must not reach the catalog: ``find_todos`` names each marker (file and key) so the pipeline can
refuse it as this dataset's failure, listing what is left to decide.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import yaml

TODO = "TODO"


def find_todos(root: Path, dataset_id: str) -> list[str]:
    """``"<file>: <key path>"`` for every TODO in the dataset's metadata, schema and suite."""
    files = (f"metadata/{dataset_id}.yaml", f"schemas/{dataset_id}.schema.json",
             f"schemas/{dataset_id}.expectations.json")
    found: list[str] = []
    for relative in files:
        document = _load(root / relative)
        found += [f"{relative}: {key}" for key in _todo_keys(document, "")]
    return found


def holds_todo(value: Any) -> bool:
    """Whether a scalar is (or starts with) the TODO marker."""
    return isinstance(value, str) and value.strip().startswith(TODO)


def _load(path: Path) -> Any:
    if not path.is_file():
        return None   # a missing file is validation's finding, not a TODO
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError, UnicodeDecodeError):
        return None   # unreadable: the stages that read it report it


def _todo_keys(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _todo_keys(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            label = item.get("name") if isinstance(item, dict) else None
            yield from _todo_keys(item, f"{path}[{label or index}]")
    elif holds_todo(value):
        yield path or "(the whole file)"
