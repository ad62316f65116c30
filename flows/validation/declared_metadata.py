"""The metadata checks ``plan`` runs, as validation findings, so ``validate`` shows them too.

A steward runs ``validate`` first; a metadata file holding only ``id:`` used to pass it and fail
only at ``plan``. This runs the very same check the describe stage runs on ``metadata/<id>.yaml``
(``flows.describe.declared.load_declared_metadata``: the DGA fields against the ckanext-scheming
rules, groups, stakeholders, freshness) and turns each problem it lists into one finding, so
every missing required field is named in the report. The fields the pipeline derives (formats,
years, the maintainer) are checked when they are derived, at ``plan``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from flows.datasets import DatasetSpec
from flows.describe.declared import load_declared_metadata
from flows.describe.scheming import load_schema_rules
from flows.describe.stakeholders import load_organization_profile
from flows.errors import ConfigError
from flows.validation.findings import Finding, Severity

log = logging.getLogger(__name__)

RULE = "metadata/declared"
#: How load_declared_metadata lists its problems in the ConfigError it raises.
_PROBLEM_BULLET = "\n  - "

MetadataCheck = Callable[[DatasetSpec], list[Finding]]


def declared_metadata_check(root: Path) -> MetadataCheck | None:
    """The check for the datasets of the project at ``root``, or None when the project has no
    usable ``catalog_config/organization.yaml`` (a folder of CSVs with no catalog to register
    in; a broken profile is plan's to report, once for the project, not once per dataset).

    The organization profile and the scheming rules are loaded once: every dataset of a run is
    checked against the same ones.
    """
    path = root / "catalog_config" / "organization.yaml"
    if not path.exists():
        return None
    try:
        organization = load_organization_profile(path)
    except ConfigError as exc:
        log.warning("metadata not checked by validate (plan will report it): %s", exc)
        return None
    schema = load_schema_rules()

    def check(spec: DatasetSpec) -> list[Finding]:
        try:
            load_declared_metadata(spec, schema=schema, organization=organization)
        except ConfigError as exc:
            return metadata_findings(spec.id, str(exc))
        return []

    return check


def metadata_findings(dataset_id: str, error: str) -> list[Finding]:
    """One error finding per problem of a ``load_declared_metadata`` error message."""
    head, *problems = error.split(_PROBLEM_BULLET)
    return [_finding(dataset_id, problem) for problem in (problems or [head])]


def _finding(dataset_id: str, problem: str) -> Finding:
    file = f"metadata/{dataset_id}.yaml"
    key, _, why = problem.partition(": ")
    key = key if why and " " not in key else ""
    missing = why.startswith("required but missing")
    what_th = (f"ยังไม่ได้กรอก {key} ซึ่งต้องมี" if missing
               else f"ค่า {key} ไม่ถูกต้อง" if key else "คำอธิบายข้อมูลไม่ถูกต้อง")
    return Finding(
        rule=RULE, severity=Severity.ERROR,
        message_th=f"{file}: {what_th} ({why or problem})",
        message_en=f"{file}: {problem}",
        hint_th=f"แก้ {key or 'ค่าที่ระบุ'} ใน {file} ตามรายละเอียด (ค่าที่ใช้ได้ดูใน docs/steward.md) "
                "แล้วรัน senate-catalog validate อีกครั้ง; plan และ publish ไม่รับชุดข้อมูลนี้จนกว่าจะแก้",
        hint_en=f"Fix {key or 'it'} in {file} as the message says (allowed values: "
                "docs/steward.md), then run senate-catalog validate again; plan and publish "
                "refuse this dataset until then")
