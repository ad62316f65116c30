"""Write every draft of a new dataset; refuse to overwrite unless forced."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flows.dataset_ids import check_dataset_id
from flows.errors import ConfigError
from flows.onboard.metadata_draft import draft_metadata
from flows.onboard.profile import profile_column
from flows.onboard.schema_draft import draft_schema, primary_key_guess
from flows.onboard.source_table import SourceTable, read_source_table
from flows.onboard.suite_draft import draft_suite
from flows.sources.tidy_csv import write_csv
from flows.today import bangkok_today


@dataclass(frozen=True)
class Drafted:
    """What ``new`` wrote, and what it guessed."""

    files: list[Path]
    rows: int
    encoding: str
    key: str | None
    personal: list[str]
    notes: list[str]              # what the Excel reader found (merged or empty headers ...)


def draft_dataset(root: Path, dataset_id: str, source: Path, *, sheet: str | None = None,
                  owner: str | None = None, steward: str | None = None,
                  custodian: str | None = None, force: bool = False,
                  today: date | None = None) -> Drafted:
    """Draft ``dataset_id``'s files under ``root`` from the table file ``source``."""
    check_dataset_id(dataset_id, source="senate-catalog new")
    today = today or bangkok_today()
    paths = _paths(root, dataset_id, source)
    existing = [p for p in paths.values() if p.exists()]
    if existing and not force:
        raise ConfigError("these files exist already: " + ", ".join(
            str(p.relative_to(root)) for p in existing)
            + "; choose another id, or add --force to replace them")
    table = read_source_table(source, sheet=sheet)
    profiles = [profile_column(name, [row[i] for row in table.rows])
                for i, name in enumerate(table.header)]
    _write_tidy_csv(table, paths["csv"])
    paths["raw"].parent.mkdir(parents=True, exist_ok=True)
    if source.resolve() != paths["raw"].resolve():
        shutil.copyfile(source, paths["raw"])
    paths["provenance"].write_text(_provenance(source.name, table.encoding, today),
                                   encoding="utf-8")
    schema = draft_schema(paths["csv"], profiles)
    key = primary_key_guess(profiles)
    _write_json(paths["schema"], schema)
    _write_json(paths["suite"], draft_suite(dataset_id, profiles, key))
    paths["metadata"].parent.mkdir(parents=True, exist_ok=True)
    paths["metadata"].write_text(draft_metadata(
        dataset_id, profiles=profiles, encoding=table.encoding, raw_name=source.name,
        sheet=table.sheet, owner=owner, steward=steward, custodian=custodian, today=today),
        encoding="utf-8")
    return Drafted(files=list(paths.values()), rows=len(table.rows), encoding=table.encoding,
                   key=key, personal=[p.name for p in profiles if p.personal],
                   notes=list(table.notes))


def _paths(root: Path, dataset_id: str, source: Path) -> dict[str, Path]:
    folder = root / "datasets" / dataset_id
    return {"csv": folder / f"{dataset_id}.csv", "raw": folder / "raw" / source.name,
            "provenance": folder / "raw" / "PROVENANCE.md",
            "schema": root / "schemas" / f"{dataset_id}.schema.json",
            "suite": root / "schemas" / f"{dataset_id}.expectations.json",
            "metadata": root / "metadata" / f"{dataset_id}.yaml"}


def _write_tidy_csv(table: SourceTable, path: Path) -> None:
    import pandas as pd   # the validation stack's; not needed to import the CLI

    frame = pd.DataFrame(table.rows, columns=table.header, dtype=object)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(frame, path)


def _write_json(path: Path, document: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n",
                    encoding="utf-8")


def _provenance(name: str, encoding: str, today: date) -> str:
    return (f"# Provenance / ที่มาของข้อมูล\n\n"
            f"- File / ไฟล์: `{name}` (read as {encoding}), copied on {today.isoformat()}\n"
            f"- Source / แหล่งที่มา: TODO (who produced it, from which system or document)\n"
            f"- How it was obtained / ได้มาอย่างไร: TODO\n"
            f"- Licence or terms / เงื่อนไขการใช้: TODO\n")

