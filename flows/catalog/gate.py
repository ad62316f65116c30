"""The gate: may this dataset be registered, how visible, and must anything be withdrawn?

A pure decision with reasons. Visibility comes from the classification policy
(catalog_config/classification.yaml), already applied by describe as ``described.treatment``:

| treatment | validation clean | blocking findings |
|---|---|---|
| public    | public (personal-data fields: public copy + private ``-internal`` companion) | hold; a published version stays, unless the findings are personal data: then it is withdrawn |
| internal  | private | hold; a public version is withdrawn (made private) |
| withheld  | never registered, or a private metadata-only record when the metadata ask for it; a registered version is withdrawn and its files removed | the same withdrawal |

Withdrawal never deletes a dataset: it becomes private, is marked withdrawn (why, since when)
and, for withheld data, loses its files. Deleting is ``--purge``'s job
(flows.orchestrate.plan_or_run).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Mapping

from flows.describe.described import DescribedDataset
from flows.describe.scheming import INTERNAL, PUBLIC, WITHHELD, ClassificationPolicy
from flows.validation.findings import ValidationResult

#: Blocking findings of these rules mean the data hold personal data where the public would see
#: it: the published version can no longer be trusted and is withdrawn.
PERSONAL_DATA_RULE_PREFIX = "personal-data/"


class Outcome(str, Enum):
    """What the catalog stage does with one dataset."""

    PUBLIC = "public"                 # registered, visible to everyone
    PRIVATE = "private"               # registered, visible to the organisation's members only
    METADATA_ONLY = "metadata-only"   # withheld data: a private record without any file
    HOLD = "hold"                     # not written this run (a withdrawal may still apply)
    SKIP = "skip"                     # withheld data: never registered
    WITHDRAWN = "withdrawn"           # its files left the repository: withdrawn, or purged


@dataclass(frozen=True)
class Reason:
    """Why, in Thai for the steward and English for the log."""

    th: str
    en: str

    def __str__(self) -> str:
        return f"{self.th} / {self.en}"


@dataclass(frozen=True)
class Withdrawal:
    """What must leave public view in this run, whatever else happens to the dataset."""

    reason: Reason
    remove_files: bool = False   # withheld data: the files leave the catalog too
    purge: bool = False          # delete the records altogether (only with --purge)


@dataclass(frozen=True)
class Decision:
    """The gate's verdict on one dataset."""

    outcome: Outcome
    reasons: tuple[Reason, ...]
    #: True when the full file (with personal-data fields) goes to a private companion dataset.
    internal_companion: bool = False
    withdrawal: Withdrawal | None = None

    @property
    def writes(self) -> bool:
        """Whether the dataset's record is created or updated from its metadata."""
        return self.outcome in (Outcome.PUBLIC, Outcome.PRIVATE, Outcome.METADATA_ONLY)

    @property
    def private(self) -> bool:
        return self.outcome in (Outcome.PRIVATE, Outcome.METADATA_ONLY)

    @property
    def with_files(self) -> bool:
        return self.outcome in (Outcome.PUBLIC, Outcome.PRIVATE)

    @property
    def keeps_companion(self) -> bool:
        """Whether an existing ``-internal`` companion stays: a held dataset keeps what it has
        (the companion is private anyway); otherwise only a wanted companion stays."""
        if self.outcome is Outcome.HOLD:
            return not (self.withdrawal and self.withdrawal.remove_files)
        return self.internal_companion


def decide(described: DescribedDataset, result: ValidationResult) -> Decision:
    """Decide from the validation and the policy's treatment (``described.treatment``)."""
    treatment = described.treatment
    if treatment == WITHHELD:
        return _withheld(described, result)
    if result.blocking:
        return _held(result, treatment)
    outcome = Outcome.PUBLIC if treatment == PUBLIC else Outcome.PRIVATE
    reason = _PUBLIC_REASON if outcome is Outcome.PUBLIC else _INTERNAL_REASON
    companion = described.internal_data is not None
    reasons = (reason, _companion_reason(described)) if companion else (reason,)
    return Decision(outcome, reasons, internal_companion=companion)


def decide_unreadable(metadata: Mapping[str, Any], policy: ClassificationPolicy,
                      why: str) -> Decision:
    """A dataset that could not be described (its metadata are wrong): hold it, and withdraw
    what its declared category and classification no longer allow to be seen."""
    dga = metadata.get("dga") if isinstance(metadata.get("dga"), Mapping) else {}
    # only texts can be looked up: anything else (a list, a mapping) is unknown, the closed side
    category, level = (value if isinstance(value, str) else None for value in (
        dga.get("data_category"), dga.get("data_classification")))
    treatment = policy.treatment(category, level)
    reason = Reason(f"อธิบายชุดข้อมูลไม่ได้: {why}", f"could not be described: {why}")
    return Decision(Outcome.HOLD, (reason,), withdrawal=_closing(treatment))


def decide_removed(*, purge: bool) -> Decision:
    """A dataset whose files left the repository: withdrawn (or purged with ``--purge``)."""
    reason = Reason("ไฟล์ของชุดข้อมูลถูกนำออกจากคลังข้อมูลของระบบ จึงถอนออกจากการเผยแพร่",
                    "its files were removed from the repository: withdrawn from the catalog")
    return Decision(Outcome.WITHDRAWN, (reason,), withdrawal=Withdrawal(reason, purge=purge))


def _withheld(described: DescribedDataset, result: ValidationResult) -> Decision:
    category = described.fields.get("data_category")
    level = described.fields.get("data_classification")
    reason = Reason(f"หมวดหมู่ {category} ระดับชั้น {level}: ไฟล์ข้อมูลไม่ออกจากเครื่องของระบบ",
                    f"category {category} / classification {level}: the data never leave "
                    "the pipeline's machine")
    withdrawal = Withdrawal(reason, remove_files=True)
    if described.metadata_only and not result.blocking:
        return Decision(Outcome.METADATA_ONLY, (reason, Reason(
            "ลงทะเบียนเฉพาะคำอธิบายข้อมูลแบบส่วนตัว ไม่มีไฟล์", "a private record of the "
            "metadata only, without files (catalog_record: metadata-only)")))
    return Decision(Outcome.SKIP, (reason,), withdrawal=withdrawal)


def _held(result: ValidationResult, treatment: str) -> Decision:
    errors = result.counts()["errors"]
    reason = Reason(
        f"พบข้อผิดพลาดร้ายแรงจากการตรวจสอบ {errors} รายการ จึงไม่เผยแพร่ฉบับใหม่",
        f"{errors} blocking validation finding(s): the new version is not published")
    personal = [f for f in result.findings
                if f.blocking and f.rule.startswith(PERSONAL_DATA_RULE_PREFIX)]
    if personal:
        cells = sum(finding.count for finding in personal)   # a summary stands for many
        found = Reason(f"พบข้อมูลส่วนบุคคล {cells} รายการในส่วนที่จะเผยแพร่ "
                       "จึงถอนชุดข้อมูลออกจากการเผยแพร่สาธารณะจนกว่าจะแก้ไข",
                       f"{cells} personal-data finding(s) where the public would see "
                       "them: withdrawn from public view until fixed")
        return Decision(Outcome.HOLD, (reason, found), withdrawal=Withdrawal(found))
    withdrawal = _closing(treatment)
    if withdrawal is None:
        return Decision(Outcome.HOLD, (reason, _KEPT_REASON))
    return Decision(Outcome.HOLD, (reason, withdrawal.reason), withdrawal=withdrawal)


def _closing(treatment: str) -> Withdrawal | None:
    """The withdrawal a treatment needs when the dataset is not (re)published this run."""
    if treatment == WITHHELD:
        return Withdrawal(_NOT_OPEN_REASON, remove_files=True)
    if treatment == INTERNAL:
        return Withdrawal(_NOT_OPEN_REASON)
    return None


_PUBLIC_REASON = Reason("ข้อมูลสาธารณะ ระดับชั้นเปิดเผย: เผยแพร่สาธารณะ",
                        "public data classified open: published for everyone")
_INTERNAL_REASON = Reason("ข้อมูลใช้ภายใน: ลงทะเบียนแบบส่วนตัว เห็นได้เฉพาะสมาชิกหน่วยงาน",
                          "internal data: registered as private, visible to the organisation only")
_KEPT_REASON = Reason("ฉบับที่เผยแพร่แล้วคงเดิม", "an already-published version stays as it was")
_NOT_OPEN_REASON = Reason("หมวดหมู่หรือระดับชั้นข้อมูลไม่อนุญาตให้เผยแพร่สาธารณะแล้ว "
                          "จึงถอนออกจากการเผยแพร่สาธารณะ",
                          "its category or classification no longer allows public view: "
                          "withdrawn from public view")


def _companion_reason(described: DescribedDataset) -> Reason:
    fields = ", ".join(described.personal_fields)
    return Reason(
        f"มีข้อมูลส่วนบุคคล ({fields}): ไฟล์ที่เผยแพร่ตัดฟิลด์เหล่านี้ออก "
        "ไฟล์เต็มอยู่ในชุดข้อมูลส่วนตัว -internal",
        f"personal-data fields ({fields}): the published file leaves them out; "
        "the full file goes to the private -internal companion dataset")
