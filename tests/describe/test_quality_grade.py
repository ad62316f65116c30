"""The quality grade: the declared rule (catalog_config/quality_grade.yaml) at every boundary,
the measures taken from a validation result, and the verdict a data file states."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.describe.quality import (quality_fields, quality_measures, quality_rule,
                                    verdict_text, with_verdict)
from flows.describe.described import ResourceFile
from flows.describe.scheming import load_schema_rules
from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from flows.validation.findings import Finding, Severity, ValidationResult

from ckanext.senate_dga.quality_rule import MEASURES, QualityRuleError, rule_from_mapping

RULE_FILE = PROJECT_ROOT / "catalog_config" / "quality_grade.yaml"
#: The best value of each measure, and the smallest step that crosses a bound (counts and
#: percents are whole numbers; warnings per 1,000 cells is a ratio).
BEST = {"blocking_errors": 0, "waived": 0, "warnings_per_1000_cells": 0.0,
        "metadata_completeness": 100, "dictionary_completeness": 100}
STEP = {"blocking_errors": 1, "waived": 1, "warnings_per_1000_cells": 0.001,
        "metadata_completeness": 1, "dictionary_completeness": 1}


def _measures(**changes: float) -> dict[str, float]:
    return {**BEST, **changes}


# --- the project's rule file, pinned -------------------------------------------------------


@pytest.mark.parametrize("changes, grade", [
    ({}, "A"),
    # A's bounds, at and just past each
    ({"waived": 0, "warnings_per_1000_cells": 1, "metadata_completeness": 90}, "A"),
    ({"waived": 1}, "B"),
    ({"warnings_per_1000_cells": 1.001}, "B"),
    ({"metadata_completeness": 89}, "B"),
    ({"dictionary_completeness": 99}, "B"),
    # B's bounds
    ({"waived": 2, "warnings_per_1000_cells": 10, "metadata_completeness": 80,
      "dictionary_completeness": 90}, "B"),
    ({"waived": 3}, "C"),
    ({"warnings_per_1000_cells": 10.001}, "C"),
    ({"metadata_completeness": 79}, "C"),
    ({"dictionary_completeness": 89}, "C"),
    # C's bounds
    ({"waived": 5, "warnings_per_1000_cells": 50, "metadata_completeness": 70,
      "dictionary_completeness": 75}, "C"),
    ({"waived": 6}, "D"),
    ({"warnings_per_1000_cells": 50.001}, "D"),
    ({"metadata_completeness": 69}, "D"),
    ({"dictionary_completeness": 74}, "D"),
    # D's only bound: no unresolved error; anything else is E
    ({"waived": 99, "warnings_per_1000_cells": 999, "metadata_completeness": 0,
      "dictionary_completeness": 0}, "D"),
    ({"blocking_errors": 1}, "E"),
    ({"blocking_errors": 1, "waived": 0}, "E"),
])
def test_the_project_rule_at_and_just_past_every_bound(changes, grade):
    assert quality_rule(RULE_FILE).grade_of(_measures(**changes)).grade == grade


def test_the_project_rule_has_five_grades_with_thai_labels():
    rule = quality_rule(RULE_FILE)
    assert [(g.grade, g.label.th) for g in rule.grades] == [
        ("A", "ดีมาก"), ("B", "ดี"), ("C", "พอใช้"), ("D", "ควรปรับปรุง"),
        ("E", "ต้องแก้ไขก่อนเผยแพร่")]


def _bounds():
    rule = quality_rule(RULE_FILE)
    for rank, grade in enumerate(rule.grades):
        for condition in grade.conditions:
            yield pytest.param(rank, condition, id=f"{grade.grade}-{condition.measure}")


@pytest.mark.parametrize("rank, condition", list(_bounds()))
def test_every_bound_of_the_file_holds_at_the_bound_and_fails_one_step_past(rank, condition):
    """Whatever the steward changes in the file: a dataset exactly at a grade's bound (every
    other measure at its best) gets that grade or better; one step past it gets a worse one."""
    rule = quality_rule(RULE_FILE)
    bound = condition.max if condition.max is not None else condition.min
    step = STEP[condition.measure] * (1 if condition.max is not None else -1)
    at = rule.grades.index(rule.grade_of(_measures(**{condition.measure: bound})))
    past = rule.grades.index(rule.grade_of(_measures(**{condition.measure: bound + step})))
    assert at <= rank < past


# --- the rule's mechanics on a constructed rule -------------------------------------------


def _rule(**overrides):
    document = yaml.safe_load(RULE_FILE.read_text(encoding="utf-8"))
    document.update(overrides)
    return rule_from_mapping(document, source="test rule")


def test_a_grade_needs_every_condition_and_the_first_fitting_grade_wins():
    labels = {"th": "ท", "en": "e"}
    rule = _rule(grades=[
        {"grade": "X", "label": labels, "when": {"waived": {"max": 0},
                                                 "metadata_completeness": {"min": 50}}},
        {"grade": "Y", "label": labels, "when": {"waived": {"min": 0, "max": 3}}},
        {"grade": "Z", "label": labels}])
    assert rule.grade_of(_measures(waived=0, metadata_completeness=50)).grade == "X"
    assert rule.grade_of(_measures(waived=0, metadata_completeness=49)).grade == "Y"
    assert rule.grade_of(_measures(waived=3)).grade == "Y"
    assert rule.grade_of(_measures(waived=4)).grade == "Z"


@pytest.mark.parametrize("overrides, words", [
    ({"grades": [{"grade": "A", "label": {"th": "ก", "en": "a"},
                  "when": {"waived": {"max": 0}}}]}, "at least two grades"),
    ({"grades": [{"grade": "A", "label": {"th": "ก", "en": "a"}, "when": {"waived": {"max": 0}}},
                 {"grade": "B", "label": {"th": "ข", "en": "b"},
                  "when": {"waived": {"max": 9}}}]}, "must have no `when`"),
    ({"grades": [{"grade": "A", "label": {"th": "ก", "en": "a"}, "when": {"speed": {"max": 0}}},
                 {"grade": "B", "label": {"th": "ข", "en": "b"}}]}, "unknown measure"),
    ({"grades": [{"grade": "A", "label": {"th": "ก", "en": "a"},
                  "when": {"waived": {"max": "none"}}},
                 {"grade": "B", "label": {"th": "ข", "en": "b"}}]}, "is not a number"),
    ({"grades": [{"grade": "A", "label": {"en": "a"}}, {"grade": "B",
                                                       "label": {"th": "ข", "en": "b"}}]},
     "needs a Thai (th)"),
    ({"measures": {"waived": {"th": "ก", "en": "a"}}}, "must name exactly"),
])
def test_a_malformed_rule_file_says_what_to_fix(overrides, words):
    with pytest.raises(QualityRuleError, match=words.replace("(", r"\(").replace(")", r"\)")):
        _rule(**overrides)


def test_a_broken_rule_file_is_a_config_error_naming_it(tmp_path: Path):
    broken = tmp_path / "quality_grade.yaml"
    broken.write_text("grades: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="quality_grade.yaml is not valid YAML"):
        quality_rule(broken)


def test_grading_without_every_measure_is_refused():
    with pytest.raises(ValueError, match="missing"):
        quality_rule(RULE_FILE).grade_of({"waived": 0})


# --- measures from a validation result ----------------------------------------------------


def _finding(severity: Severity, *, waived: bool = False) -> Finding:
    return Finding(rule="table/x", severity=severity, message_th="ท", message_en="e",
                   waived_by="steward note" if waived else None)


def _result(*, rows: int = 100, errors: int = 0, warnings: int = 0,
            waived: int = 0) -> ValidationResult:
    findings = ([_finding(Severity.ERROR)] * errors + [_finding(Severity.WARNING)] * warnings
                + [_finding(Severity.ERROR, waived=True)] * waived)
    return ValidationResult(dataset="d", source="", source_sha256="", encoding="utf-8",
                            schema_version="", suite_version="", rows=rows, findings=findings)


_SCHEMA = {"fields": [{"name": f"f{i}", "type": "string"} for i in range(10)]}
_ENTRY = {"label_th": "ชื่อ", "description_th": "คำอธิบาย", "description_en": "What",
          "type": "string"}


def _measure(result: ValidationResult, dictionary=(_ENTRY,) * 4):
    return quality_measures(result, dga={"data_type": "ข้อมูลระเบียน"}, table_schema=_SCHEMA,
                            dictionary=dictionary, rules=load_schema_rules(),
                            rule=quality_rule(RULE_FILE))


def test_measures_count_errors_waivers_and_warnings_per_thousand_cells():
    measures = _measure(_result(rows=200, errors=1, warnings=7, waived=2))
    assert set(measures) == set(MEASURES)
    assert measures["blocking_errors"] == 1
    assert measures["waived"] == 2
    assert measures["warnings_per_1000_cells"] == pytest.approx(3.5)  # 7 of 2,000 cells


def test_warnings_without_any_cell_are_the_worst_ratio_and_none_are_zero():
    assert _measure(_result(rows=0, warnings=1))["warnings_per_1000_cells"] == float("inf")
    assert _measure(_result(rows=0))["warnings_per_1000_cells"] == 0


@pytest.mark.parametrize("missing, percent", [(None, 100), ("description_en", 75),
                                              ("label_th", 75)])
def test_dictionary_completeness_needs_every_declared_part(missing, percent):
    entries = [dict(_ENTRY) for _ in range(4)]
    if missing:
        entries[0][missing] = ""
    assert _measure(_result(), entries)["dictionary_completeness"] == percent


def test_a_field_of_undeclared_type_is_incomplete_and_percent_rounds_down():
    entries = [dict(_ENTRY) for _ in range(3)]
    entries[2]["type"] = "any"
    assert _measure(_result(), entries)["dictionary_completeness"] == 66


def test_quality_fields_are_the_grade_and_the_quality_panel_link():
    fields = quality_fields(_result(errors=1), dga={"data_type": "ข้อมูลระเบียน"},
                            table_schema=_SCHEMA, dictionary=[_ENTRY],
                            rules=load_schema_rules(),
                            page="http://catalog/dataset/senators")
    assert fields == {"quality_grade": "E",
                      "quality_report_url": "http://catalog/dataset/senators#quality"}


# --- the verdict a data file states ---------------------------------------------------------


@pytest.mark.parametrize("counts, th, en", [
    ({}, "ผ่านการตรวจสอบคุณภาพ ไม่พบข้อผิดพลาดหรือข้อสังเกต",
     "Passed validation with no error or warning"),
    ({"warnings": 7, "waived": 1}, "ผ่านการตรวจสอบ มีข้อสังเกต 7 รายการ ยกเว้น 1 รายการ",
     "Passed validation with 7 warning(s) and 1 finding(s) waived by the data steward"),
    ({"waived": 2}, "ผ่านการตรวจสอบ ยกเว้น 2 รายการ",
     "Passed validation with 2 finding(s) waived by the data steward"),
    ({"errors": 3, "warnings": 1}, "ไม่ผ่านการตรวจสอบคุณภาพ มีข้อผิดพลาด 3 รายการ",
     "Failed validation: 3 error(s)"),
])
def test_the_verdict_is_in_the_words_of_the_result(counts, th, en):
    assert verdict_text(_result(**counts)) == (th, en)


def test_a_data_file_with_warnings_never_says_it_simply_passed():
    data = ResourceFile(kind="data", path=Path("x.csv"), name="n", description="ข้อมูล\n\nData",
                        format="CSV", sha256="0", size=1)
    described = with_verdict(data, _result(warnings=7, waived=1)).description
    assert "ผ่านการตรวจสอบคุณภาพแล้ว" not in described
    assert described.endswith("ผลการตรวจสอบคุณภาพ: ผ่านการตรวจสอบ มีข้อสังเกต 7 รายการ "
                              "ยกเว้น 1 รายการ\n\nValidation: Passed validation with 7 "
                              "warning(s) and 1 finding(s) waived by the data steward")
