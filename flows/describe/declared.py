"""What a human declares about a dataset in ``metadata/<id>.yaml``, read and checked.

Top-level keys: ``id``, ``source`` (reader, files, encoding, snapshot_date), ``groups``,
``stakeholders``, ``dga`` (the DGA CKAN fields a human decides) and ``freshness`` (what the
data's dates cannot tell: ``source_date``, the day the source published or last changed the
data, for data without a date column of their own; ``fiscal_year_field``, the column holding
the Buddhist-Era fiscal year each row describes; ``fiscal_year_be``, the one fiscal year data
without such a column describe). Derived fields
(``flows.describe.derived``) must not be typed here: they would go stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flows.datasets import DatasetSpec
from flows.describe.metadata import (check_dga_fields, dga_field_problems, normalize_dga_fields,
                                    single_text)
from flows.describe.scheming import PUBLIC, WITHHELD, SchemaRules, rules
from flows.describe.stakeholders import ROLES, OrganizationProfile, Stakeholder
from flows.errors import ConfigError

_TOP_KEYS = ("id", "source", "groups", "stakeholders", "dga", "catalog_record", "freshness",
             "open_data")   # open_data: flows.describe.open_data_facts reads it
_FRESHNESS_KEYS = ("source_date", "fiscal_year_field", "fiscal_year_be")
#: ``catalog_record`` values: a withheld dataset (classified ลับ and above) is not registered at
#: all, unless its metadata asks for a private record of its metadata only.
METADATA_ONLY = "metadata-only"
#: DGA fields the pipeline computes; typing one in a metadata file is an error.
DERIVED_FIELDS = ("name", "owner_org", "maintainer", "maintainer_email", "last_updated_date",
                  "data_format", "data_format_other", "first_year_of_data", "last_year_of_data")


@dataclass(frozen=True)
class DeclaredMetadata:
    """One metadata file, checked: DGA fields as CKAN takes them, groups, stakeholders."""

    id: str
    dga: dict[str, Any]
    groups: list[str]
    stakeholders: dict[str, Stakeholder]   # role -> stakeholder
    snapshot_date: str | None               # source.snapshot_date, ISO (when copied: provenance)
    treatment: str = PUBLIC                 # the classification policy's: public|internal|withheld
    metadata_only: bool = False             # withheld, with a private metadata-only record
    source_date: str | None = None          # freshness.source_date, ISO
    fiscal_year_field: str | None = None    # freshness.fiscal_year_field
    fiscal_year_be: int | None = None       # freshness.fiscal_year_be (no fiscal-year column)


def load_declared_metadata(spec: DatasetSpec, *, schema: SchemaRules,
                           organization: OrganizationProfile) -> DeclaredMetadata:
    """Check ``metadata/<id>.yaml`` completely; raise ``ConfigError`` listing every problem."""
    source = f"metadata/{spec.id}.yaml"
    raw = spec.metadata
    problems = [f"{key}: unknown top-level key; allowed: {', '.join(_TOP_KEYS)}"
                for key in raw if key not in _TOP_KEYS]
    if raw.get("id") not in (None, spec.id):
        problems.append(f"id: {raw.get('id')!r} differs from the file name; write {spec.id!r}")
    declared_dga = raw.get("dga") or {}
    if not isinstance(declared_dga, dict):
        problems.append(f"dga: is {type(declared_dga).__name__}, not a mapping of DGA fields "
                        "(field: value, one per line)")
        declared_dga = {}
    dga = normalize_dga_fields(declared_dga, schema)
    problems += [f"dga.{name}: derived by the pipeline; remove it from the file"
                 for name in DERIVED_FIELDS if name in dga]
    treatment = _treatment(dga, schema)
    problems += [f"dga.{p}" for p in dga_field_problems(
        dga, schema, private=treatment != PUBLIC, skip_required=DERIVED_FIELDS)]
    metadata_only, record_problems = _catalog_record(raw.get("catalog_record"), treatment)
    groups, group_problems = _groups(raw.get("groups"), organization)
    stakeholders, stakeholder_problems = _stakeholders(raw.get("stakeholders"), organization)
    snapshot, snapshot_problems = _snapshot_date((raw.get("source") or {}).get("snapshot_date"))
    freshness, freshness_problems = _freshness(raw.get("freshness"))
    problems += group_problems + stakeholder_problems + snapshot_problems + record_problems
    problems += freshness_problems
    if problems:
        raise ConfigError(f"{source}: {len(problems)} metadata problem(s):\n  - "
                          + "\n  - ".join(problems))
    return DeclaredMetadata(id=spec.id, dga=dga, groups=groups, stakeholders=stakeholders,
                            snapshot_date=snapshot, treatment=treatment,
                            metadata_only=metadata_only, **freshness)


def check_described_fields(fields: dict[str, Any], *, dataset_id: str, schema: SchemaRules,
                           private: bool) -> None:
    """The final check of declared + derived fields, every required one included."""
    check_dga_fields(fields, schema, source=f"metadata/{dataset_id}.yaml (with derived fields)",
                     private=private)


def _treatment(dga: dict[str, Any], schema: SchemaRules) -> str:
    # The catalog stage publishes only what the classification policy treats as public.
    return schema.policy.treatment(single_text(dga.get("data_category")),
                                   single_text(dga.get("data_classification")))


def _catalog_record(value: Any, treatment: str) -> tuple[bool, list[str]]:
    """Whether a private metadata-only record is asked for; only a withheld dataset may."""
    if value in (None, ""):
        return False, []
    if value != METADATA_ONLY:
        return False, [f"catalog_record: {value!r} is not known; the only value is "
                       f"{METADATA_ONLY!r} (a withheld dataset's private record without files)"]
    if treatment != WITHHELD:
        return False, [f"catalog_record: {METADATA_ONLY!r} applies only to withheld datasets "
                       "(classified ลับ and above); this one is registered with its files"]
    return True, []


def _groups(value: Any, organization: OrganizationProfile) -> tuple[list[str], list[str]]:
    groups = value if isinstance(value, list) else []
    known = organization.group_names
    problems = [] if isinstance(value, list) and value else [
        f"groups: list at least one group; allowed: {', '.join(known)}"]
    problems += [f"groups: {g!r} is not a group of catalog_config/organization.yaml; "
                 f"allowed: {', '.join(known)}" for g in groups if g not in known]
    return [str(g) for g in groups], problems


def _stakeholders(value: Any, organization: OrganizationProfile
                  ) -> tuple[dict[str, Stakeholder], list[str]]:
    declared = value if isinstance(value, dict) else {}
    known = organization.stakeholders
    found, problems = {}, []
    for role in ROLES:
        key = declared.get(role)
        entry = known.get(str(key)) if key else None
        if entry is None:
            keys = ", ".join(k for k, s in known.items() if s.role == role) or "none declared"
            problems.append(f"stakeholders.{role}: {key!r} is not a stakeholder of "
                            f"catalog_config/organization.yaml; allowed: {keys}")
        elif entry.role != role:
            problems.append(f"stakeholders.{role}: {key!r} is declared as {entry.role}")
        else:
            found[role] = entry
    problems += [f"stakeholders.{role}: unknown role; allowed: {', '.join(ROLES)}"
                 for role in declared if role not in ROLES]
    return found, problems


def _freshness(value: Any) -> tuple[dict[str, str | None], list[str]]:
    """The ``freshness:`` block: ``source_date`` (a CE date) and ``fiscal_year_field``."""
    if value is None:
        return {}, []
    if not isinstance(value, dict):
        return {}, [f"freshness: is {type(value).__name__}, not a mapping; keys: "
                    f"{', '.join(_FRESHNESS_KEYS)}"]
    problems = [f"freshness.{key}: unknown key; allowed: {', '.join(_FRESHNESS_KEYS)}"
                for key in value if key not in _FRESHNESS_KEYS]
    source_date, date_problems = _iso_date(value.get("source_date"), "freshness.source_date")
    field = value.get("fiscal_year_field")
    if field is not None and not (isinstance(field, str) and field.strip()):
        problems.append(f"freshness.fiscal_year_field: {field!r} is not a column name")
        field = None
    year = value.get("fiscal_year_be")
    if year is not None and not (isinstance(year, int) and 2400 <= year <= 2700):
        problems.append(f"freshness.fiscal_year_be: {year!r} is not a Buddhist-Era year such "
                        "as 2567")
        year = None
    return ({"source_date": source_date, "fiscal_year_field": field, "fiscal_year_be": year},
            problems + date_problems)


def _snapshot_date(value: Any) -> tuple[str | None, list[str]]:
    return _iso_date(value, "source.snapshot_date")


def _iso_date(value: Any, key: str) -> tuple[str | None, list[str]]:
    if value is None:
        return None, []
    text = value.isoformat() if isinstance(value, date) else str(value)
    try:
        year = date.fromisoformat(text).year
    except ValueError:
        return None, [f"{key}: {text!r} is not a date; write YYYY-MM-DD"]
    problem = rules.buddhist_era_year_problem(year)
    return (None, [f"{key}: {text!r}: {problem}"]) if problem else (text, [])
