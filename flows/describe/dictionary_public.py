"""The catalog-wide data dictionary the public reads (KPI 1.3 condition 5.3), as a dataset.

``data-dictionary`` (``metadata/data-dictionary.yaml``, ``source: {derived: catalog/dictionary}``)
is derived on every run (flows.orchestrate.derive): one row per field of every **public** dataset,
in the columns of the per-dataset dictionary (``flows.describe.dictionary``), written as its data
file ``datasets/data-dictionary/data-dictionary.csv`` (git-ignored, generated) and as a readable
page ``out/data-dictionary/catalog-dictionary.html`` registered with it. The data file is UTF-8
without a byte-order mark, like every data file of the catalog (the DataStore reads it); the
page is what a reader opens, the CSV what a program reads.

Which datasets are public is what the gate decided, read from the run records: a dataset is
covered when its newest record published (or confirmed) it with the decision ``public``, *and*
its metadata still declare a category and classification the policy
(``catalog_config/classification.yaml``) treats as public. So an internal or withheld dataset,
a held one, or one withdrawn, is never covered, whatever an older record says. Personal-data
fields are left out (the public copy has none), and so are their examples. The dictionary does
not list its own fields (its Table Schema and per-dataset dictionary do): it cannot report on
its own publication.

Everything is read from the files (Table Schema, tidy CSV, metadata title), sorted by dataset
id and field position, so the same inputs give the same bytes: a run with nothing changed
derives the same file and writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from flows.atomic import write_bytes_atomic, write_text_atomic
from flows.datasets import DatasetSpec, discover_datasets, load_dataset
from flows.describe.derived import personal_fields
from flows.describe.dictionary import build_data_dictionary, dictionary_csv_bytes
from flows.describe.dictionary_html import render_catalog_html
from flows.describe.scheming import PUBLIC, ClassificationPolicy, load_classification_policy
from flows.errors import ConfigError
from flows.records import PUBLISHED_STATUSES, last_runs

__all__ = ["PAGE_NAME", "public_dataset_ids", "public_dictionary_entries",
           "public_table_schema", "write_public_dictionary"]

#: The readable page's file name in ``out/<id>/`` (``dictionary.html`` there is the dictionary
#: of the data-dictionary dataset itself, written by describe).
PAGE_NAME = "catalog-dictionary.html"
#: The gate's decision (flows.catalog.gate.Outcome.PUBLIC) as the run record stores it.
_PUBLIC_DECISION = "public"


def public_dataset_ids(root: Path, history: Iterable[Mapping[str, Any]], *,
                       exclude: Sequence[str] = ()) -> list[str]:
    """The datasets of the project at ``root`` the catalog shows to everyone, by id (sorted).

    ``history``: the run records (this run's so far, then the earlier ones); ``exclude``: ids
    never covered (the dictionary's own).
    """
    newest = last_runs(list(history))
    policy = load_classification_policy(root)
    return [spec.id for spec in discover_datasets(root)
            if spec.id not in exclude and spec.problem is None
            and _published_publicly(newest.get(spec.id)) and _declared_public(spec, policy)]


def _published_publicly(record: Mapping[str, Any] | None) -> bool:
    if record is None or record.get("status") not in PUBLISHED_STATUSES:
        return False
    return (record.get("catalog") or {}).get("decision") == _PUBLIC_DECISION


def _declared_public(spec: DatasetSpec, policy: ClassificationPolicy) -> bool:
    """What the metadata declare now: a dataset reclassified since its last run is not public."""
    dga = spec.metadata.get("dga")
    if not isinstance(dga, Mapping):
        return False
    return policy.treatment(dga.get("data_category"), dga.get("data_classification")) == PUBLIC


def public_dictionary_entries(root: Path, dataset_ids: Iterable[str]) -> list[dict[str, Any]]:
    """The dictionary entries of the public file of each dataset (personal-data fields left
    out), sorted by dataset id, then field position."""
    entries: list[dict[str, Any]] = []
    for spec in sorted((_spec(root, dataset_id) for dataset_id in dataset_ids),
                       key=lambda spec: spec.id):
        schema = public_table_schema(_read_schema(spec))
        dga = spec.metadata.get("dga") if isinstance(spec.metadata.get("dga"), dict) else {}
        csv_path = spec.csv_path if spec.csv_path.exists() else None
        entries += build_data_dictionary(schema, None, dataset=spec.id,
                                         title=str(dga.get("title") or ""), csv_path=csv_path)
    return entries


def write_public_dictionary(entries: list[dict[str, Any]], *, csv_path: Path,
                            page_path: Path) -> dict[str, Path]:
    """Write the entries as the dataset's CSV and the readable page; their paths."""
    return {"csv": write_bytes_atomic(csv_path, dictionary_csv_bytes(entries, bom=False)),
            "html": write_text_atomic(page_path, render_catalog_html(entries, public=True))}


def public_table_schema(table_schema: dict[str, Any]) -> dict[str, Any]:
    """The Table Schema of the public file: the ``personalData`` fields, and the keys on them,
    removed (the public copy leaves those columns out)."""
    gone = set(personal_fields(table_schema))
    if not gone:
        return table_schema
    public = {**table_schema,
              "fields": [f for f in table_schema.get("fields", []) if f["name"] not in gone]}
    keys = [key for key in table_schema.get("foreignKeys", [])
            if not gone & set(_as_list(key["fields"]))]
    if keys:
        public["foreignKeys"] = keys
    else:
        public.pop("foreignKeys", None)
    if gone & set(_as_list(table_schema.get("primaryKey", []))):
        public.pop("primaryKey", None)
    return public


def _spec(root: Path, dataset_id: str) -> DatasetSpec:
    return load_dataset(root, dataset_id, source="the public data dictionary")


def _read_schema(spec: DatasetSpec) -> dict[str, Any]:
    try:
        return json.loads(spec.schema_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"the public data dictionary cannot read {spec.schema_path}: {exc}; "
                          f"fix the Table Schema and validate {spec.id} again") from exc


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
