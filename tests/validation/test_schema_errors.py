"""The frictionless error type → Finding table: slugs, Thai texts, hints, masking."""

from __future__ import annotations

import pytest
from frictionless import errors as fl_errors

from flows.validation.findings import Severity
from flows.validation.schema_errors import ERROR_TEXTS, finding_from_error, rule_for


@pytest.mark.parametrize("error_type", sorted(ERROR_TEXTS))
def test_every_mapped_type_has_thai_text_and_hints(error_type):
    text = ERROR_TEXTS[error_type]
    assert text.message_th and text.hint_th and text.hint_en
    # Every placeholder a template uses is one finding_from_error fills.
    text.message_th.format(row=2, field="f", label="l", position=1, detail="d")


@pytest.mark.parametrize("error_type, rule", [
    ("blank-label", "structure/blank-label"), ("extra-cell", "structure/extra-cell"),
    ("blank-row", "structure/blank-row"), ("source-error", "structure/source-error"),
    ("type-error", "schema/type-error"), ("primary-key", "schema/primary-key"),
    ("constraint-error", "schema/constraint-error"), ("foreign-key", "schema/foreign-key"),
])
def test_rule_scope(error_type, rule):
    assert rule_for(error_type) == rule


def _type_error(cell: str) -> fl_errors.TypeError:
    return fl_errors.TypeError(note='type is "date/default"', cells=["1", cell], row_number=7,
                               cell=cell, field_name="birthdate", field_number=2)


def test_type_error_finding():
    finding = finding_from_error(_type_error("x"), field={"name": "birthdate", "type": "date"},
                                 value="x")
    assert finding.rule == "schema/type-error"
    assert finding.severity is Severity.ERROR
    assert (finding.row, finding.field, finding.value) == (7, "birthdate", "x")
    assert finding.message_th == 'ค่าในแถว 7 คอลัมน์ "birthdate" ไม่ใช่วันที่ที่ถูกต้อง (รูปแบบ YYYY-MM-DD)'
    assert finding.message_en == 'Row 7, field "birthdate": not a valid date (YYYY-MM-DD)'


def test_personal_data_never_reaches_the_finding_in_clear():
    field = {"name": "birthdate", "type": "date", "personalData": True}
    finding = finding_from_error(_type_error("1967-13-45"), field=field, value="1967-13-45")
    assert finding.value == "19******45"
    assert "1967-13-45" not in finding.message_en + finding.message_th


def test_long_values_are_clipped():
    finding = finding_from_error(_type_error("x" * 500), field={"type": "date"}, value="x" * 500)
    assert len(finding.value) == 200


def test_unknown_error_types_get_a_generic_thai_message():
    error = fl_errors.DuplicateRowError(note="the same as row at position 2", cells=["a"],
                                        row_number=3)
    finding = finding_from_error(error)
    assert finding.rule == "schema/duplicate-row"
    assert "duplicate-row" in finding.message_th
    assert finding.hint_th and finding.hint_en
