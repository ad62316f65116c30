"""Content hashes of what a dataset's run depends on: the keys of the flow's caches.

Two datasets' keys never share a cache entry, and any change that could change a result changes
its key: the data, its declarations, the datasets its foreign keys reference, the catalog rules,
the pipeline's own code, and the date the rules compare with.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from flows.datasets import DatasetSpec
from flows.validation.stage import referenced_datasets

FLOWS_DIR = Path(__file__).resolve().parent.parent
_ABSENT = "absent"


@dataclass(frozen=True)
class InputHashes:
    """sha256 of each input of one dataset, and one hash of them all (the cache key)."""

    source_sha256: str          # the tidy CSV the validation reads
    raw_sha256: str | None      # the raw files a reader converts (None: no reader)
    schema_sha256: str
    suite_sha256: str
    metadata_sha256: str
    waivers_sha256: str | None
    references_sha256: str      # CSV + schema of each dataset the foreign keys reference
    rules_sha256: str           # organization.yaml, classification.yaml, the scheming schema
    code_sha256: str            # the pipeline's own code and templates
    input_hash: str

    def as_record(self) -> dict[str, Any]:
        return asdict(self)


def input_hashes(spec: DatasetSpec, specs: dict[str, DatasetSpec]) -> InputHashes:
    """Hash everything the validation and description of ``spec`` read."""
    parts = {
        "source_sha256": file_sha256(spec.csv_path),
        "raw_sha256": raw_sha256(spec),
        "schema_sha256": file_sha256(spec.schema_path),
        "suite_sha256": file_sha256(spec.suite_path),
        "metadata_sha256": file_sha256(spec.root / "metadata" / f"{spec.id}.yaml"),
        "waivers_sha256": (file_sha256(spec.waivers_path) if spec.waivers_path.exists()
                           else None),
        "references_sha256": _hash_of([
            f"{ref}:{file_sha256(specs[ref].csv_path)}:{file_sha256(specs[ref].schema_path)}"
            for ref in referenced_datasets(spec) if ref in specs]),
        "rules_sha256": rules_sha256(spec.root),
        "code_sha256": code_sha256(),
    }
    return InputHashes(**parts, input_hash=_hash_of(f"{k}={v}" for k, v in sorted(parts.items())))


def raw_sha256(spec: DatasetSpec) -> str | None:
    """One hash of the raw files a reader converts, or None when the CSV is the source."""
    if not spec.source.get("reader"):
        return None
    names = spec.source.get("files") or []
    return _hash_of(f"{name}:{file_sha256(spec.raw_dir.parent / str(name))}" for name in names)


def rules_sha256(root: Path) -> str:
    schema_dir = root / "catalog_config" / "ckanext-senate_dga" / "ckanext" / "senate_dga" / "schemas"
    declared = [root / "catalog_config" / "organization.yaml",
                root / "catalog_config" / "classification.yaml"]
    return _hash_of(file_sha256(path) for path in [*declared, *sorted(schema_dir.glob("*.yaml"))])


#: The code a dataset's results depend on (not the CLI, the stack or the benchmarks).
_RESULT_CODE = ("sources", "validation", "describe", "catalog", "pipelines/stages.py",
                "datasets.py", "html_style.py", "templates")


@lru_cache(maxsize=1)
def code_sha256() -> str:
    """The code that makes the results: a new version of it invalidates every cache."""
    files = sorted(path for part in _RESULT_CODE for path in _files(FLOWS_DIR / part)
                   if path.suffix in (".py", ".html", ".css", ".json", ".yaml"))
    return _hash_of(f"{path.relative_to(FLOWS_DIR)}:{file_sha256(path)}" for path in files)


def _files(path: Path) -> list[Path]:
    return [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]


def file_sha256(path: Path) -> str:
    """The file's sha256, or "absent" (a missing file is a state too: creating it changes keys)."""
    try:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except (FileNotFoundError, IsADirectoryError):
        return _ABSENT


def json_sha256(value: Any) -> str:
    """A stable hash of a JSON-able value (sorted keys; paths and dates as text)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hash_of(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
