"""The gate decides public / private / hold / skip from validation and DGA classification."""

from __future__ import annotations

import pytest

from flows.catalog.gate import Outcome, decide
from tests.catalog.described_samples import described_dataset, validation_result


def _decide(tmp_path, *, blocking=False, personal=False, **fields):
    described = described_dataset(tmp_path, "zz-gate", personal=personal, **fields)
    return decide(described, validation_result("zz-gate", blocking=blocking))


def test_public_data_classified_open_is_public(tmp_path) -> None:
    decision = _decide(tmp_path)
    assert decision.outcome is Outcome.PUBLIC and decision.writes and not decision.private
    assert not decision.internal_companion


@pytest.mark.parametrize("category,level", [("ข้อมูลใช้ภายใน", "ชั้นเผยแพร่ภายในองค์กร"),
                                            ("ข้อมูลส่วนบุคคล", "ชั้นเผยแพร่ภายในองค์กร"),
                                            ("ข้อมูลส่วนบุคคล", "ลับ")])
def test_internal_and_personal_categories_are_private(tmp_path, category, level) -> None:
    decision = _decide(tmp_path, data_category=category, data_classification=level)
    assert decision.outcome is Outcome.PRIVATE and decision.private


@pytest.mark.parametrize("category,level", [("ข้อมูลความมั่นคง", "ลับ"),
                                            ("ข้อมูลความลับทางราชการ", "ลับที่สุด"),
                                            ("ข้อมูลส่วนบุคคล", "ลับมาก")])
def test_security_secret_and_top_levels_are_never_registered(tmp_path, category, level) -> None:
    decision = _decide(tmp_path, data_category=category, data_classification=level)
    assert decision.outcome is Outcome.SKIP and not decision.writes
    assert "ไม่ลงทะเบียน" in decision.reasons[0].th and "never registered" in decision.reasons[0].en


def test_blocking_findings_hold_even_a_public_dataset(tmp_path) -> None:
    decision = _decide(tmp_path, blocking=True)
    assert decision.outcome is Outcome.HOLD and not decision.writes
    assert "1 blocking" in decision.reasons[0].en and "คงเดิม" in decision.reasons[0].th


def test_public_category_with_a_closed_level_is_held_for_a_metadata_fix(tmp_path) -> None:
    decision = _decide(tmp_path, data_classification="ลับ")
    assert decision.outcome is Outcome.HOLD
    assert "metadata/<id>.yaml" in decision.reasons[0].en


def test_personal_fields_add_a_private_companion_with_a_reason(tmp_path) -> None:
    decision = _decide(tmp_path, personal=True)
    assert decision.outcome is Outcome.PUBLIC and decision.internal_companion
    assert "birthdate" in decision.reasons[1].en and "ข้อมูลส่วนบุคคล" in decision.reasons[1].th


def test_a_held_personal_dataset_gets_no_companion(tmp_path) -> None:
    assert not _decide(tmp_path, personal=True, blocking=True).internal_companion
