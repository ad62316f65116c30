"""The CSV header against the schema's field names, summed up in one finding.

frictionless compares labels position by position (``incorrect-label``, ``missing-label``,
``extra-label``, one error per column). A steward needs the diagnosis instead: which columns are
missing, which are extra, which look renamed, or whether only the order differs. That is this
check's single ``structure/header-mismatch`` finding; the per-column errors stay as they are.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from flows.validation.findings import Finding, Severity


def header_findings(labels: Sequence[str], field_names: Sequence[str]) -> list[Finding]:
    """One finding describing how ``labels`` differ from ``field_names``; none when equal."""
    labels, field_names = list(labels), list(field_names)
    if labels == field_names:
        return []
    missing = list((Counter(field_names) - Counter(labels)).elements())
    extra = list((Counter(labels) - Counter(field_names)).elements())
    renamed = _renamed(labels, field_names, missing, extra)
    missing = [name for name in missing if name not in renamed.values()]
    extra = [label for label in extra if label not in renamed]
    parts_en, parts_th = _describe(missing, extra, renamed)
    if not parts_en:
        parts_en.append("the columns are in a different order than the schema's fields")
        parts_th.append("ลำดับคอลัมน์ไม่ตรงกับลำดับฟิลด์ใน schema")
    expected = ", ".join(field_names)
    return [Finding(
        rule="structure/header-mismatch", severity=Severity.ERROR,
        message_th="หัวคอลัมน์ไม่ตรงกับ schema: " + "; ".join(parts_th),
        message_en="The header does not match the schema: " + "; ".join(parts_en) + ".",
        hint_th=f"แก้หัวคอลัมน์ (แถวที่ 1) ให้เป็น {expected} ตามลำดับ หรือแก้ schema ถ้าตั้งใจเปลี่ยนคอลัมน์",
        hint_en=f"Make the header (row 1) read {expected}, in this order, or update the schema "
                "if the change was intended.")]


def _renamed(labels: list[str], field_names: list[str], missing: list[str],
             extra: list[str]) -> dict[str, str]:
    """Extra label → missing field where both sit at the same position: likely a rename."""
    renamed: dict[str, str] = {}
    for label, name in zip(labels, field_names):
        if label in extra and name in missing and label not in renamed:
            renamed[label] = name
    return renamed


def _describe(missing: list[str], extra: list[str],
              renamed: dict[str, str]) -> tuple[list[str], list[str]]:
    parts_en: list[str] = []
    parts_th: list[str] = []
    if missing:
        parts_en.append("missing " + _quoted(missing))
        parts_th.append("ไม่มีคอลัมน์ " + _quoted(missing))
    if extra:
        parts_en.append("not in the schema " + _quoted(extra))
        parts_th.append("มีคอลัมน์ที่ไม่อยู่ใน schema " + _quoted(extra))
    if renamed:
        pairs = ", ".join(f'"{label}" → "{name}"' for label, name in renamed.items())
        parts_en.append("probably renamed " + pairs)
        parts_th.append("น่าจะเปลี่ยนชื่อคอลัมน์ " + pairs)
    return parts_en, parts_th


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)
