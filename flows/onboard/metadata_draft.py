"""The draft ``metadata/<id>.yaml``: what the data and the organisation tell, TODO for every
decision a person makes. Derived fields (formats, first/last year) are never typed: the
pipeline computes them, so they appear only in a comment for the steward to check."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from flows.onboard.profile import ColumnProfile
from flows.onboard.todo import TODO

#: DGA fields only a person can decide.
HUMAN_FIELDS = ("data_type", "title", "tag_string", "notes", "objective",
                "update_frequency_unit", "geo_coverage", "data_source", "data_category",
                "data_classification", "license_id", "accessible_condition")


def draft_metadata(dataset_id: str, *, profiles: list[ColumnProfile], encoding: str,
                   raw_name: str, sheet: str | None = None, owner: str | None, steward: str | None,
                   custodian: str | None, today: date) -> str:
    """The YAML text of the metadata draft."""
    years = _years(profiles)
    document: dict[str, Any] = {
        "id": dataset_id,
        "source": _source(encoding, raw_name, sheet, today),
        "groups": [TODO],
        "stakeholders": {"data_owner": owner or TODO, "data_steward": steward or TODO,
                         "data_custodian": custodian or TODO},
        "dga": {**{name: TODO for name in HUMAN_FIELDS}, "allow_harvest": "True",
                "data_language": ["ไทย"], "created_date": today},
        "open_data": {"primary": TODO, "free_of_charge": True},
    }
    if not any(p.kind == "date" for p in profiles):
        document["freshness"] = {"source_date": TODO}
    header = (f"# Drafted by `senate-catalog new` from {raw_name} (read as {encoding}; the\n"
              f"# tidy CSV is UTF-8). Replace every TODO; docs/steward.md explains each field.\n"
              f"# Derived by the pipeline, never typed: data_format (CSV)"
              + (f", first/last year of data ({years[0]}–{years[1]})" if years else "")
              + ".\n")
    return header + yaml.dump(document, Dumper=_NoAliases, allow_unicode=True, sort_keys=False,
                              width=100)


def _source(encoding: str, raw_name: str, sheet: str | None, today: date) -> dict[str, Any]:
    if encoding != "xlsx":   # the tidy UTF-8 CSV is the source; the raw copy is provenance
        return {"encoding": "utf-8", "snapshot_date": today}
    # Excel: `ingest` (the excel reader) writes the tidy CSV from the raw workbook.
    source: dict[str, Any] = {"reader": "excel", "files": [f"raw/{raw_name}"]}
    if sheet:
        source["sheet"] = sheet
    return {**source, "encoding": "utf-8", "snapshot_date": today}


class _NoAliases(yaml.SafeDumper):
    """Writes a repeated value (today's date) twice instead of as a YAML anchor."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _years(profiles: list[ColumnProfile]) -> tuple[int, int] | None:
    dates = [(p.minimum, p.maximum) for p in profiles if p.kind == "date"]
    if not dates:
        return None
    return min(low.year for low, _ in dates), max(high.year for _, high in dates)
