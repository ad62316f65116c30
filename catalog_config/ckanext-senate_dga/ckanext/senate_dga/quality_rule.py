"""The quality-grade rule (``catalog_config/quality_grade.yaml``) as a typed object.

Pure: PyYAML and the standard library only, no CKAN. The pipeline grades every dataset with it
(``flows.describe.quality``) and the catalog's about page explains it (``theme.py``), so the
rule a citizen reads is the rule that graded the dataset.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

from ckanext.senate_dga.classification import Label

#: Where the file lives in this repository (the extension is installed from its source folder).
DEFAULT_RULE_FILE = Path(__file__).resolve().parents[3] / "quality_grade.yaml"

#: The measures the pipeline computes for every dataset; a grade's conditions name them.
MEASURES = ("blocking_errors", "waived", "warnings_per_1000_cells", "metadata_completeness",
            "dictionary_completeness")


class QualityRuleError(ValueError):
    """The rule file is missing or malformed; the message says what to fix."""


@dataclass(frozen=True)
class Condition:
    """One measure's bound in a grade; both ends inclusive, either may be absent."""

    measure: str
    min: Optional[float] = None
    max: Optional[float] = None

    def holds(self, value: float) -> bool:
        return ((self.min is None or value >= self.min)
                and (self.max is None or value <= self.max))


@dataclass(frozen=True)
class Grade:
    grade: str                      # "A"
    label: Label                    # ดีมาก / Very good
    conditions: tuple[Condition, ...]

    def fits(self, measures: Mapping[str, float]) -> bool:
        return all(c.holds(measures[c.measure]) for c in self.conditions)


@dataclass(frozen=True)
class QualityRule:
    """Grades best first (the last has no condition), the measures' names, and what makes one
    field of the data dictionary complete."""

    grades: tuple[Grade, ...]
    measures: Mapping[str, Label]
    dictionary_entry_needs: Mapping[str, Label]

    def grade_of(self, measures: Mapping[str, float]) -> Grade:
        """The first grade whose every condition holds (the last grade always does)."""
        missing = [name for name in MEASURES if name not in measures]
        if missing:
            raise ValueError(f"measures {missing} are missing; pass all of {', '.join(MEASURES)}")
        return next(grade for grade in self.grades if grade.fits(measures))

    def grade_named(self, name: str) -> Optional[Grade]:
        return next((grade for grade in self.grades if grade.grade == name), None)


def load_quality_rule(path: Optional[Path] = None) -> QualityRule:
    """Read and check the rule file (default: ``catalog_config/quality_grade.yaml``)."""
    path = Path(path or DEFAULT_RULE_FILE)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QualityRuleError(f"cannot read the quality-grade rule {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise QualityRuleError(f"{path} is not valid YAML: {exc}") from exc
    return rule_from_mapping(document, source=str(path))


def rule_from_mapping(document: Any, *, source: str = "quality rule") -> QualityRule:
    """Build the rule from the parsed YAML; every problem names the key to fix."""
    if not isinstance(document, Mapping):
        raise QualityRuleError(f"{source}: must be a mapping with measures and grades")
    measures = _labels(document, "measures", source)
    if set(measures) != set(MEASURES):
        raise QualityRuleError(f"{source}: `measures` must name exactly {', '.join(MEASURES)}")
    needs = _labels(document, "dictionary_entry_needs", source)
    entries = document.get("grades")
    if not isinstance(entries, list) or len(entries) < 2:
        raise QualityRuleError(f"{source}: `grades` must list at least two grades, best first")
    grades = tuple(_grade(entry, f"{source}: grades[{i}]") for i, entry in enumerate(entries))
    if grades[-1].conditions:
        raise QualityRuleError(f"{source}: the last grade ({grades[-1].grade}) must have no "
                               "`when`: it is what a dataset gets when no better grade fits")
    names = [grade.grade for grade in grades]
    if len(set(names)) != len(names):
        raise QualityRuleError(f"{source}: grade names repeat: {names}")
    return QualityRule(grades=grades, measures=measures, dictionary_entry_needs=needs)


def _grade(entry: Any, where: str) -> Grade:
    if not isinstance(entry, Mapping) or not entry.get("grade"):
        raise QualityRuleError(f"{where} needs `grade` (e.g. A) and `label` (th, en)")
    when = entry.get("when") or {}
    if not isinstance(when, Mapping):
        raise QualityRuleError(f"{where}.when must map measures to {{min: ..}} or {{max: ..}}")
    return Grade(grade=str(entry["grade"]), label=_label(entry.get("label"), f"{where}.label"),
                 conditions=tuple(_condition(m, b, f"{where}.when.{m}") for m, b in when.items()))


def _condition(measure: str, bounds: Any, where: str) -> Condition:
    if measure not in MEASURES:
        raise QualityRuleError(f"{where}: unknown measure; use one of {', '.join(MEASURES)}")
    if not isinstance(bounds, Mapping) or not bounds or set(bounds) - {"min", "max"}:
        raise QualityRuleError(f"{where} must be {{min: number}}, {{max: number}} or both")
    for key, value in bounds.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise QualityRuleError(f"{where}.{key}: {value!r} is not a number")
    return Condition(measure=measure, min=bounds.get("min"), max=bounds.get("max"))


def _labels(document: Mapping, key: str, source: str) -> dict[str, Label]:
    value = document.get(key)
    if not isinstance(value, Mapping) or not value:
        raise QualityRuleError(f"{source}: `{key}` must be a non-empty mapping")
    return {str(name): _label(entry, f"{source}: {key}.{name}") for name, entry in value.items()}


def _label(entry: Any, where: str) -> Label:
    if not isinstance(entry, Mapping) or not entry.get("th") or not entry.get("en"):
        raise QualityRuleError(f"{where} needs a Thai (th) and English (en) text")
    return Label(th=str(entry["th"]), en=str(entry["en"]))
