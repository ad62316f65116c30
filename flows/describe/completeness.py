"""How complete a dataset's DGA metadata and its data dictionary are.

Metadata completeness is one number with two readers: the quality grade (describe stage,
``flows.describe.quality``) and the KPI 1.3 outcome report (``flows.kpi.outcome_report``), so
it lives here, below both. Only DGA fields count: the pipeline's own fields (``pipeline_field:
true`` in the scheming schema: ownership mark, grade, score, status) are not metadata a steward
declares, and adding one must not lower every dataset's completeness.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence


from flows.describe.declared import DERIVED_FIELDS
from flows.describe.scheming import SCHEMA_DIR, SchemaRules
from flows.yaml_text import load_yaml

#: Derived fields every registered dataset has; first/last year of data only with a date column.
_ALWAYS_DERIVED = frozenset(DERIVED_FIELDS) - {"data_format_other", "first_year_of_data",
                                                "last_year_of_data"}
#: Filled by people in the catalog (the dataset's GD Catalog link): the pipeline cannot see it.
_NOT_COUNTED = frozenset({"reference_url_catalog"})


@dataclass(frozen=True)
class Completeness:
    """How many of the DGA fields that apply to a dataset are filled."""

    required_filled: int
    required_total: int
    optional_filled: int
    optional_total: int

    @property
    def percent(self) -> int:
        total = self.required_total + self.optional_total
        return round(100 * (self.required_filled + self.optional_filled) / total) if total else 0

    @property
    def text(self) -> str:
        return (f"{self.percent}% (บังคับ/required {self.required_filled}/{self.required_total}, "
                f"ไม่บังคับ/optional {self.optional_filled}/{self.optional_total})")


@dataclass(frozen=True)
class _FieldFacts:
    types: tuple[str, ...]      # the data types thai_gdc's form shows the field for (): all
    pipeline: bool              # pipeline_field: true


@lru_cache(maxsize=4)
def _schema_facts(schema_dir: Path) -> dict[str, _FieldFacts]:
    schema = load_yaml((schema_dir / "dga_dataset.yaml").read_text(encoding="utf-8"))
    return {field["field_name"]: _FieldFacts(tuple(field.get("form_data_type") or ()),
                                             bool(field.get("pipeline_field")))
            for field in schema.get("dataset_fields") or []}


def metadata_completeness(dga: dict[str, Any], *, rules: SchemaRules, has_dates: bool,
                          schema_dir: Path = SCHEMA_DIR) -> Completeness:
    """Share of the DGA fields filled for a registered dataset.

    Counted: the scheming schema's DGA dataset fields that apply to the dataset's ``data_type``
    (``form_data_type``), except ``*_other`` (the catalog demands one exactly when อื่นๆ is
    chosen), ``reference_url_catalog`` (filled by people in the catalog) and the pipeline's own
    fields. Filled: declared in ``metadata/<id>.yaml`` or derived by the pipeline at publication
    (first/last year of data only when the Table Schema has a non-personal date column).
    """
    facts = _schema_facts(schema_dir)
    years = {"first_year_of_data", "last_year_of_data"} if has_dates else set()
    derived = _ALWAYS_DERIVED | years
    counts = {True: [0, 0], False: [0, 0]}   # required? -> [filled, total]
    for name, rule in rules.fields.items():
        fact = facts.get(name, _FieldFacts((), False))
        applies = not fact.types or dga.get("data_type") in fact.types
        if rule.other_of or name in _NOT_COUNTED or fact.pipeline or not applies:
            continue
        counts[rule.required][1] += 1
        counts[rule.required][0] += int(name in derived or dga.get(name) not in (None, "", []))
    return Completeness(counts[True][0], counts[True][1], counts[False][0], counts[False][1])


def dictionary_completeness(entries: Iterable[Mapping[str, Any]],
                            needs: Sequence[str]) -> int:
    """Percent (rounded down: 100 means every field) of data-dictionary entries with every key
    of ``needs`` filled (a ``type`` of "any" is no declared type); 0 for no field at all."""
    entries = list(entries)
    if not entries:
        return 0
    complete = sum(1 for entry in entries if all(_filled(entry, key) for key in needs))
    return 100 * complete // len(entries)


def _filled(entry: Mapping[str, Any], key: str) -> bool:
    value = str(entry.get(key) or "").strip()
    return bool(value) and not (key == "type" and value == "any")
