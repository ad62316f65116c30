"""The quality grade of a dataset, and the verdict its data file states, from its validation.

    quality_fields(result, dga=..., table_schema=..., dictionary=..., rules=..., page=...)

measures the validation result (errors, waived findings, warnings per 1,000 cells), the DGA
metadata and the data dictionary, and grades them by the one declared rule,
``catalog_config/quality_grade.yaml`` (``ckanext.senate_dga.quality_rule``, which the catalog's
about page explains). The grade changes only when a measure crosses a threshold, so a re-run on
the same inputs sends the same fields and writes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from flows.describe.completeness import dictionary_completeness, metadata_completeness
from flows.describe.derived import temporal_fields
from flows.describe.described import ResourceFile
from flows.describe.scheming import SchemaRules
from flows.errors import ConfigError
from flows.validation.findings import ValidationResult
from flows.validation.reports.summary import Verdict, verdict_of

from ckanext.senate_dga.quality_rule import (  # noqa: E402 (flows.describe.scheming puts the
    QualityRule, QualityRuleError, load_quality_rule)  # extension on sys.path)

#: The anchor of the quality panel on a dataset page: ``quality_report_url`` points there, a
#: link known before any upload (the report resource's own URL carries ids CKAN assigns).
REPORT_ANCHOR = "quality"


@lru_cache(maxsize=4)
def quality_rule(path: Path | None = None) -> QualityRule:
    """The project's grade rule (read once per process); ``ConfigError`` says what to fix."""
    try:
        return load_quality_rule(path)
    except QualityRuleError as exc:
        raise ConfigError(str(exc)) from exc


def quality_measures(result: ValidationResult, *, dga: Mapping[str, Any],
                     table_schema: Mapping[str, Any], dictionary: Iterable[Mapping[str, Any]],
                     rules: SchemaRules, rule: QualityRule) -> dict[str, float]:
    """The five measures the grade rule reads (``quality_rule.MEASURES``)."""
    counts = result.counts()
    cells = (result.rows or 0) * len(table_schema.get("fields") or [])
    has_dates = bool(temporal_fields(dict(table_schema)))
    completeness = metadata_completeness(dict(dga), rules=rules, has_dates=has_dates)
    return {
        "blocking_errors": counts["errors"],
        "waived": counts["waived"],
        # no cell at all: any warning is as bad as it gets
        "warnings_per_1000_cells": (1000 * counts["warnings"] / cells if cells
                                    else float("inf") if counts["warnings"] else 0.0),
        "metadata_completeness": completeness.percent,
        "dictionary_completeness": dictionary_completeness(
            dictionary, tuple(rule.dictionary_entry_needs)),
    }


def quality_fields(result: ValidationResult, *, dga: Mapping[str, Any],
                   table_schema: Mapping[str, Any], dictionary: Iterable[Mapping[str, Any]],
                   rules: SchemaRules, page: str, rule: QualityRule | None = None
                   ) -> dict[str, str]:
    """``quality_grade`` (A..E) and ``quality_report_url`` (``page`` + ``#quality``).

    ``quality_checked_at`` is not here: it is the date of the last validation whose result or
    inputs changed, which only the run history knows (``flows.describe.quality_history``).
    """
    rule = rule or quality_rule()
    measures = quality_measures(result, dga=dga, table_schema=table_schema,
                                dictionary=dictionary, rules=rules, rule=rule)
    return {"quality_grade": rule.grade_of(measures).grade,
            "quality_report_url": f"{page}#{REPORT_ANCHOR}"}


def verdict_text(result: ValidationResult) -> tuple[str, str]:
    """The validation's verdict in words (Thai, English), e.g. "ผ่านการตรวจสอบ มีข้อสังเกต 7
    รายการ ยกเว้น 1 รายการ": "ผ่าน" alone only when nothing at all was found."""
    counts = result.counts()
    verdict = verdict_of(result)
    if verdict is Verdict.FAIL:
        return (f"ไม่ผ่านการตรวจสอบคุณภาพ มีข้อผิดพลาด {counts['errors']:,} รายการ",
                f"Failed validation: {counts['errors']:,} error(s)")
    if verdict is Verdict.PASS:
        return ("ผ่านการตรวจสอบคุณภาพ ไม่พบข้อผิดพลาดหรือข้อสังเกต",
                "Passed validation with no error or warning")
    notes_th = [f"มีข้อสังเกต {counts['warnings']:,} รายการ" if counts["warnings"] else "",
                f"ยกเว้น {counts['waived']:,} รายการ" if counts["waived"] else ""]
    notes_en = [f"{counts['warnings']:,} warning(s)" if counts["warnings"] else "",
                f"{counts['waived']:,} finding(s) waived by the data steward"
                if counts["waived"] else ""]
    return ("ผ่านการตรวจสอบ " + " ".join(n for n in notes_th if n),
            "Passed validation with " + " and ".join(n for n in notes_en if n))


def with_verdict(resource: ResourceFile, result: ValidationResult) -> ResourceFile:
    """A data file's description with the validation's real verdict as its last paragraph."""
    th, en = verdict_text(result)
    return replace(resource, description=f"{resource.description}\n\n"
                                         f"ผลการตรวจสอบคุณภาพ: {th}\n\nValidation: {en}")
