"""Foreign keys across the data package, checked on the typed frames of every dataset.

Frictionless checks foreign keys only inside one package run and row by row; here each dataset is
validated on its own (one failing dataset must not stop the others), so references are checked
afterwards, vectorised, between the frames that parsed.
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from flows.validation.findings import Finding, Severity, clip_value

RULE = "schema/foreign-key"
RULE_UNCHECKED = "schema/foreign-key-unchecked"


def check_foreign_keys(dataset: str, schema: Mapping[str, Any],
                       frames: Mapping[str, pd.DataFrame | None]) -> list[Finding]:
    """Findings for rows of ``dataset`` whose foreign key has no match in the referenced frame."""
    frame = frames.get(dataset)
    if frame is None:
        return []
    findings: list[Finding] = []
    for key in schema.get("foreignKeys") or []:
        fields = _as_list(key["fields"])
        target = key["reference"].get("resource") or dataset  # "" means self-reference
        target_fields = _as_list(key["reference"]["fields"])
        target_frame = frames.get(target)
        if target_frame is None:
            findings.append(_unchecked(fields, target))
            continue
        findings += _dangling(frame, fields, target_frame, target_fields, target)
    return findings


def _dangling(frame: pd.DataFrame, fields: list[str], target_frame: pd.DataFrame,
              target_fields: list[str], target: str) -> list[Finding]:
    present = frame[fields].notna().all(axis=1)
    keys = pd.MultiIndex.from_frame(frame.loc[present, fields].astype(str))
    known = pd.MultiIndex.from_frame(target_frame[target_fields].dropna().astype(str))
    missing = frame.loc[present].loc[~keys.isin(known)]
    label = ", ".join(fields)
    return [Finding(
        rule=RULE, severity=Severity.ERROR,
        message_th=f"ค่า {label} ไม่มีอยู่ในชุดข้อมูล {target} ที่อ้างอิง",
        message_en=f"{label} has no matching row in the referenced dataset {target}",
        hint_th=f"แก้ค่าให้ตรงกับ {target} หรือเพิ่มแถวที่ขาดใน {target}",
        hint_en=f"Correct the value or add the missing row to {target}",
        row=int(row), field=fields[0],
        value=clip_value(" / ".join(str(values[f]) for f in fields)))
        for row, values in missing[fields].iterrows()]


def _unchecked(fields: list[str], target: str) -> Finding:
    return Finding(
        rule=RULE_UNCHECKED, severity=Severity.WARNING,
        message_th=f"ตรวจสอบการอ้างอิง {', '.join(fields)} ไม่ได้ เพราะชุดข้อมูล {target} อ่านไม่ได้",
        message_en=f"Could not check {', '.join(fields)} against {target}: that dataset did not load",
        hint_th=f"แก้ปัญหาของชุดข้อมูล {target} ก่อน แล้วตรวจสอบอีกครั้ง",
        hint_en=f"Fix {target} first, then validate again", field=fields[0])


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
