"""The gate: may this dataset be registered, and how visible? A pure decision with reasons.

Rules (DGA data governance framework, §5 of catalog_config/reference/dga-metadata-standard.md):
blocking validation findings hold the dataset (nothing is written, a published version stays as
it was); ข้อมูลสาธารณะ + เปิดเผย is public; ข้อมูลใช้ภายใน and ข้อมูลส่วนบุคคล are private;
ข้อมูลความมั่นคง, ข้อมูลความลับทางราชการ and the ลับมาก / ลับที่สุด levels are not registered.
A dataset with personal-data fields also gets a private ``<name>-internal`` companion holding
the full file, because CKAN cannot hide a single resource of a public dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from flows.describe.described import DescribedDataset
from flows.validation.findings import ValidationResult

PUBLIC_CATEGORY = "ข้อมูลสาธารณะ"
PUBLIC_CLASSIFICATION = "เปิดเผย"
PRIVATE_CATEGORIES = frozenset({"ข้อมูลใช้ภายใน", "ข้อมูลส่วนบุคคล"})
UNREGISTERED_CATEGORIES = frozenset({"ข้อมูลความมั่นคง", "ข้อมูลความลับทางราชการ"})
UNREGISTERED_CLASSIFICATIONS = frozenset({"ลับมาก", "ลับที่สุด"})


class Outcome(str, Enum):
    """What the catalog stage does with one dataset."""

    PUBLIC = "public"     # registered, visible to everyone
    PRIVATE = "private"   # registered, visible to the organisation's members only
    HOLD = "hold"         # not written this run; the catalog keeps what it has
    SKIP = "skip"         # never registered


@dataclass(frozen=True)
class Reason:
    """Why, in Thai for the steward and English for the log."""

    th: str
    en: str

    def __str__(self) -> str:
        return f"{self.th} / {self.en}"


@dataclass(frozen=True)
class Decision:
    """The gate's verdict on one dataset."""

    outcome: Outcome
    reasons: tuple[Reason, ...]
    #: True when the full file (with personal-data fields) goes to a private companion dataset.
    internal_companion: bool = False

    @property
    def writes(self) -> bool:
        """Whether the catalog may be written for this dataset."""
        return self.outcome in (Outcome.PUBLIC, Outcome.PRIVATE)

    @property
    def private(self) -> bool:
        return self.outcome is Outcome.PRIVATE


def decide(described: DescribedDataset, result: ValidationResult) -> Decision:
    """Decide public / private / hold / skip from the validation and the DGA classification."""
    if result.blocking:
        errors = result.counts()["errors"]
        return Decision(Outcome.HOLD, (Reason(
            f"พบข้อผิดพลาดร้ายแรงจากการตรวจสอบ {errors} รายการ จึงไม่เผยแพร่ (ฉบับที่เผยแพร่แล้วคงเดิม)",
            f"{errors} blocking validation finding(s): not published "
            "(an already-published version stays as it was)"),))
    outcome, reason = _by_classification(described.fields.get("data_category"),
                                         described.fields.get("data_classification"))
    companion = described.internal_data is not None and outcome in (Outcome.PUBLIC, Outcome.PRIVATE)
    reasons = (reason, _companion_reason(described)) if companion else (reason,)
    return Decision(outcome, reasons, internal_companion=companion)


def _by_classification(category: str | None, level: str | None) -> tuple[Outcome, Reason]:
    if category in UNREGISTERED_CATEGORIES or level in UNREGISTERED_CLASSIFICATIONS:
        return Outcome.SKIP, Reason(
            f"หมวดหมู่ {category} / ระดับชั้น {level}: ไม่ลงทะเบียนในบัญชีข้อมูล",
            f"category {category} / classification {level}: never registered in the catalog")
    if category == PUBLIC_CATEGORY and level == PUBLIC_CLASSIFICATION:
        return Outcome.PUBLIC, Reason(f"{category} ระดับชั้น{level}: เผยแพร่สาธารณะ",
                                      "public data classified open: published for everyone")
    if category in PRIVATE_CATEGORIES:
        return Outcome.PRIVATE, Reason(
            f"{category}: ลงทะเบียนแบบส่วนตัว เห็นได้เฉพาะสมาชิกหน่วยงาน",
            f"category {category}: registered as private, visible to the organisation only")
    return Outcome.HOLD, Reason(
        f"หมวดหมู่ {category!r} กับระดับชั้น {level!r} ไม่สอดคล้องกัน แก้ไขใน metadata/<id>.yaml",
        f"data_category {category!r} and data_classification {level!r} do not fit the DGA "
        "table; fix them in metadata/<id>.yaml")


def _companion_reason(described: DescribedDataset) -> Reason:
    fields = ", ".join(described.personal_fields)
    return Reason(
        f"มีข้อมูลส่วนบุคคล ({fields}): ไฟล์ที่เผยแพร่ตัดฟิลด์เหล่านี้ออก "
        "ไฟล์เต็มอยู่ในชุดข้อมูลส่วนตัว -internal",
        f"personal-data fields ({fields}): the published file leaves them out; "
        "the full file goes to the private -internal companion dataset")
