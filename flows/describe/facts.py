"""The generated part of a dataset's description: the facts KPI 1.3 condition 5.2 asks for.

The DGA schema has no field for stakeholders, personal data, dissemination scope or storage
location, so they are appended to ``notes`` (Markdown, Thai then English) under a fixed
heading. They are computed, so the notes stay true when the data or the declarations change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from flows.describe.stakeholders import ROLES, Stakeholder

FACTS_HEADING = "### ข้อมูลกำกับชุดข้อมูล (Dataset governance facts)"


@dataclass(frozen=True)
class DatasetFacts:
    """What the generated section states; every value is derived, none typed."""

    stakeholders: dict[str, Stakeholder]    # role -> stakeholder
    personal_fields: Sequence[str]
    scope: tuple[str, str]                  # Thai, English: the classification policy's label
    classification: str
    update_frequency: str
    last_updated: str | None
    rows: int | None
    coverage: tuple[int, int] | None        # CE years
    storage: Sequence[str]                  # where the data are kept (catalog page, repo paths)


def facts_markdown(facts: DatasetFacts) -> str:
    """The facts as a Markdown list under ``FACTS_HEADING``."""
    lines = [FACTS_HEADING, ""]
    lines += [f"- {ROLES[role][0]} ({ROLES[role][1]}): {s.contact} <{s.email}>"
              for role, s in facts.stakeholders.items()]
    lines.append(_personal_line(facts.personal_fields))
    scope_th, scope_en = facts.scope
    lines.append(f"- ขอบเขตการเผยแพร่ (Dissemination scope): {scope_th} ({scope_en})")
    lines.append(f"- ระดับชั้นข้อมูล (Classification): {facts.classification or '-'}")
    lines.append(f"- ความถี่ในการปรับปรุง (Update frequency): {facts.update_frequency}")
    lines.append(f"- วันที่ปรับปรุงข้อมูลล่าสุด (Last updated): {facts.last_updated or '-'}")
    if facts.rows is not None:
        lines.append(f"- จำนวนระเบียน (Rows): {facts.rows:,}")
    if facts.coverage:
        first, last = facts.coverage
        lines.append(f"- ช่วงเวลาของข้อมูล (Temporal coverage): พ.ศ. {first + 543}–{last + 543} "
                     f"(CE {first}–{last})")
    lines += [f"- แหล่งจัดเก็บ (Storage location): {place}" for place in facts.storage]
    return "\n".join(lines)


def notes_with_facts(notes: str, facts: DatasetFacts) -> str:
    """The declared notes followed by the generated facts section."""
    return f"{notes.rstrip()}\n\n{facts_markdown(facts)}\n"


def _personal_line(fields: Sequence[str]) -> str:
    if not fields:
        return "- ข้อมูลส่วนบุคคล (Personal data): ไม่มี (none)"
    names = ", ".join(f"`{name}`" for name in fields)
    return (f"- ข้อมูลส่วนบุคคล (Personal data): มี ในฟิลด์ {names} — ไม่อยู่ในไฟล์ที่เผยแพร่สาธารณะ "
            f"(yes, in {names}; left out of the public file)")
