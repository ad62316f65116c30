"""The gate: public / private / metadata-only / hold / skip, and what must be withdrawn, from
the validation and the classification policy (catalog_config/classification.yaml)."""

from __future__ import annotations

import pytest

from flows.catalog.gate import Outcome, decide, decide_removed, decide_unreadable
from tests.catalog.described_samples import POLICY, described_dataset, validation_result

WITHHELD_PAIRS = [("ข้อมูลความมั่นคง", "ลับ"), ("ข้อมูลความลับทางราชการ", "ลับที่สุด"),
                  ("ข้อมูลส่วนบุคคล", "ลับมาก"), ("ข้อมูลส่วนบุคคล", "ลับ"),
                  # a pair that does not fit the table takes the closed side, never the open one
                  ("ข้อมูลสาธารณะ", "ลับ")]


def _decide(tmp_path, *, blocking=False, personal=False, rule="table-schema/type-error",
            metadata_only=False, **fields):
    described = described_dataset(tmp_path, "zz-gate", personal=personal,
                                  metadata_only=metadata_only, **fields)
    return decide(described, validation_result("zz-gate", blocking=blocking, rule=rule))


def test_public_data_classified_open_is_public(tmp_path) -> None:
    decision = _decide(tmp_path)
    assert decision.outcome is Outcome.PUBLIC and decision.writes and not decision.private
    assert decision.with_files and not decision.internal_companion
    assert decision.withdrawal is None


@pytest.mark.parametrize("category,level", [("ข้อมูลใช้ภายใน", "ชั้นเผยแพร่ภายในองค์กร"),
                                            ("ข้อมูลส่วนบุคคล", "ชั้นเผยแพร่ภายในองค์กร")])
def test_internal_categories_are_private_with_their_files(tmp_path, category, level) -> None:
    decision = _decide(tmp_path, data_category=category, data_classification=level)
    assert decision.outcome is Outcome.PRIVATE and decision.private and decision.with_files


@pytest.mark.parametrize("category,level", WITHHELD_PAIRS)
def test_secret_levels_are_never_registered_and_withdrawn_with_their_files(
        tmp_path, category, level) -> None:
    decision = _decide(tmp_path, data_category=category, data_classification=level)
    assert decision.outcome is Outcome.SKIP and not decision.writes
    assert decision.withdrawal is not None and decision.withdrawal.remove_files
    assert not decision.withdrawal.purge and not decision.keeps_companion
    assert "ไม่ออกจากเครื่อง" in decision.reasons[0].th
    assert "never leave" in decision.reasons[0].en


def test_secret_data_with_personal_fields_gets_no_companion(tmp_path) -> None:
    decision = _decide(tmp_path, personal=True, data_category="ข้อมูลส่วนบุคคล",
                       data_classification="ลับ")
    assert decision.outcome is Outcome.SKIP and not decision.internal_companion
    assert not decision.keeps_companion


def test_a_metadata_only_record_is_private_without_files(tmp_path) -> None:
    decision = _decide(tmp_path, metadata_only=True, data_category="ข้อมูลความมั่นคง",
                       data_classification="ลับ")
    assert decision.outcome is Outcome.METADATA_ONLY
    assert decision.writes and decision.private and not decision.with_files
    assert "catalog_record: metadata-only" in decision.reasons[1].en


def test_blocking_findings_hold_a_public_dataset_and_keep_its_published_version(
        tmp_path) -> None:
    decision = _decide(tmp_path, blocking=True)
    assert decision.outcome is Outcome.HOLD and not decision.writes
    assert decision.withdrawal is None and decision.keeps_companion
    assert "1 blocking" in decision.reasons[0].en and "คงเดิม" in decision.reasons[1].th


def test_personal_data_found_withdraws_the_published_version(tmp_path) -> None:
    decision = _decide(tmp_path, blocking=True, rule="personal-data/phone-number")
    assert decision.outcome is Outcome.HOLD
    assert decision.withdrawal is not None and not decision.withdrawal.remove_files
    assert "personal-data finding" in decision.withdrawal.reason.en


def test_a_held_internal_dataset_is_still_taken_out_of_public_view(tmp_path) -> None:
    decision = _decide(tmp_path, blocking=True, data_category="ข้อมูลใช้ภายใน",
                       data_classification="ชั้นเผยแพร่ภายในองค์กร")
    assert decision.outcome is Outcome.HOLD
    assert decision.withdrawal is not None and not decision.withdrawal.remove_files


def test_a_held_secret_dataset_loses_its_files_in_the_catalog(tmp_path) -> None:
    decision = _decide(tmp_path, blocking=True, data_category="ข้อมูลความมั่นคง",
                       data_classification="ลับมาก")
    assert decision.withdrawal is not None and decision.withdrawal.remove_files


def test_personal_fields_add_a_private_companion_with_a_reason(tmp_path) -> None:
    decision = _decide(tmp_path, personal=True)
    assert decision.outcome is Outcome.PUBLIC and decision.internal_companion
    assert "birthdate" in decision.reasons[1].en and "ข้อมูลส่วนบุคคล" in decision.reasons[1].th


def test_a_held_personal_dataset_gets_no_new_companion_but_keeps_its_old_one(tmp_path) -> None:
    decision = _decide(tmp_path, personal=True, blocking=True)
    assert not decision.internal_companion and decision.keeps_companion


@pytest.mark.parametrize("category,level,removes", [
    ("ข้อมูลสาธารณะ", "เปิดเผย", None), ("ข้อมูลใช้ภายใน", "ชั้นเผยแพร่ภายในองค์กร", False),
    ("ข้อมูลความมั่นคง", "ลับ", True), (None, None, False)])
def test_a_dataset_that_cannot_be_described_is_withdrawn_by_its_declared_class(
        category, level, removes) -> None:
    metadata = {"dga": {"data_category": category, "data_classification": level}}
    decision = decide_unreadable(metadata, POLICY, "metadata/x.yaml: 1 problem")
    assert decision.outcome is Outcome.HOLD and not decision.writes
    if removes is None:
        assert decision.withdrawal is None
    else:
        assert decision.withdrawal is not None and decision.withdrawal.remove_files is removes


@pytest.mark.parametrize("purge", [False, True])
def test_a_dataset_gone_from_the_repository_is_withdrawn_or_purged(purge) -> None:
    decision = decide_removed(purge=purge)
    assert decision.outcome is Outcome.WITHDRAWN and not decision.writes
    assert decision.withdrawal is not None and decision.withdrawal.purge is purge
    assert not decision.keeps_companion
