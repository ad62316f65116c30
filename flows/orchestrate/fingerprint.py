"""Content hashes of what a dataset's run depends on: the keys of the flow's caches.

Two datasets' keys never share a cache entry, and any change that could change a result changes
its key: the data, its declarations, the datasets its foreign keys and code lists reference
(transitively, in the run or not), the catalog rules, the pipeline's own code and the libraries
it validates with, and the date the rules compare with.

A derived dataset (flows.orchestrate.derive) is hashed after it is derived: its CSV stands for what
it was computed from (other datasets, the steward's files, the run records). The run history
itself is never part of a key: it grows on every run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from flows.datasets import DatasetSpec, load_dataset
from flows.errors import ConfigError
from flows.orchestrate.code_hash import code_sha256
from flows.validation.validate_and_report import reference_closure

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
    references_sha256: str      # CSV, schema, encoding of each dataset referenced, transitively
    rules_sha256: str           # organization.yaml, classification.yaml, the scheming schema
    code_sha256: str            # the code validate + describe run, its templates, the libraries
    input_hash: str

    def as_record(self) -> dict[str, Any]:
        return asdict(self)


def input_hashes(spec: DatasetSpec, specs: Mapping[str, DatasetSpec]) -> InputHashes:
    """Hash everything the validation and description of ``spec`` read.

    ``specs`` are the datasets of the run; a referenced dataset that is not among them is read
    from the project (``spec.root``), as validation reads it.
    """
    parts = {
        "source_sha256": file_sha256(spec.csv_path),
        "raw_sha256": raw_sha256(spec),
        "schema_sha256": file_sha256(spec.schema_path),
        "suite_sha256": file_sha256(spec.suite_path),
        "metadata_sha256": file_sha256(spec.root / "metadata" / f"{spec.id}.yaml"),
        "waivers_sha256": (file_sha256(spec.waivers_path) if spec.waivers_path.exists()
                           else None),
        "references_sha256": references_sha256(spec, specs),
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


def references_sha256(spec: DatasetSpec, specs: Mapping[str, DatasetSpec]) -> str:
    """One hash of what validating ``spec`` reads of the datasets its foreign keys and code
    lists reference, transitively (flows.validation.validate_and_report.reference_closure):
    each one's CSV, Table Schema and declared encoding, or the state of an id that is no dataset (yet)."""
    def lookup(dataset_id: str) -> DatasetSpec | None:
        return specs.get(dataset_id) or _project_dataset(spec.root, dataset_id)

    parts = []
    for ref, found in sorted(reference_closure(spec, lookup).items()):
        if found is None:   # its metadata file is missing or unreadable: that state, hashed
            metadata = spec.root / "metadata" / f"{ref}.yaml"
            parts.append(f"{ref}:no-dataset:{file_sha256(metadata)}")
        else:
            parts.append(f"{ref}:{file_sha256(found.csv_path)}:{file_sha256(found.schema_path)}"
                         f":{_declared_state(found)}")
    return _hash_of(parts)


def _declared_state(spec: DatasetSpec) -> str:
    """What validation reads of a referenced dataset's metadata: the declared encoding, and
    whether the file has a problem (then nothing of it is read)."""
    problem = getattr(spec, "problem", None)
    return f"problem {problem.rule}" if problem is not None else f"{spec.declared_encoding}"


def _project_dataset(root: Path, dataset_id: str) -> DatasetSpec | None:
    if not (root / "metadata" / f"{dataset_id}.yaml").exists():
        return None
    try:
        return load_dataset(root, dataset_id, source="a foreign key or code list reference")
    except ConfigError:   # validation reports it; the key hashes the file as it is
        return None


_SCHEMING = Path("catalog_config") / "ckanext-senate_dga" / "ckanext" / "senate_dga" / "schemas"


def rules_sha256(root: Path) -> str:
    """The project's organisation and classification files and its copy of the scheming schema
    (what its catalog loads). The checkout's copy, which describe reads, is package data of
    the extension and so part of ``code_sha256``."""
    declared = [root / "catalog_config" / "organization.yaml",
                root / "catalog_config" / "classification.yaml",
                # decides each dataset's catalog licence id (flows/catalog/licences.py)
                root / "catalog_config" / "licence_map.yaml",
                # decides each dataset's update_status (flows/describe/freshness.py)
                root / "catalog_config" / "freshness.yaml",
                # decides each dataset's quality_grade (flows/describe/quality.py)
                root / "catalog_config" / "quality_grade.yaml"]
    schemas = sorted((root / _SCHEMING).glob("*.yaml"))
    return _hash_of(file_sha256(path) for path in [*declared, *schemas])


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
