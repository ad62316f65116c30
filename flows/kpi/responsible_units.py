"""Who is responsible for a dataset, by role, as the head of the agency reads it: the Thai name
of the unit and bureau (``catalog_config/organization.yaml`` stakeholders), looked up from the
dataset's ``metadata/<id>.yaml`` stakeholder keys.

The KPI 1.3 report's suggestions name these units instead of repository files, because its
reader decides who acts, not where a file is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROLES_TH = {"data_owner": "เจ้าของข้อมูล", "data_steward": "บริกรข้อมูล",
            "data_custodian": "ผู้ดูแลระบบข้อมูล"}
ROLES_EN = {"data_owner": "data owner", "data_steward": "data steward",
            "data_custodian": "data custodian"}
#: The dataset whose stakeholders answer for KPI 1.3's conditions.
CONDITIONS_DATASET = "kpi-1-3-conditions"


@dataclass(frozen=True)
class Unit:
    """A stakeholder unit: Thai and English names (unit, then bureau)."""

    th: str
    en: str


@dataclass(frozen=True)
class ResponsibleUnits:
    """Dataset id → role → unit; unknown datasets or roles fall back to the role's name."""

    by_dataset: dict[str, dict[str, Unit]] = field(default_factory=dict)

    def of(self, dataset: str, role: str) -> Unit:
        unit = self.by_dataset.get(dataset, {}).get(role)
        if unit is not None:
            return unit
        return Unit(f"{ROLES_TH[role]}ของชุดข้อมูล {dataset}", f"the {ROLES_EN[role]} of {dataset}")


def load_responsible_units(root: Path) -> ResponsibleUnits:
    """Every dataset's stakeholder units, from the project under ``root``; a file that cannot
    be read gives no entry (the report then names the role, never fails for it)."""
    stakeholders = _read(Path(root) / "catalog_config" / "organization.yaml").get("stakeholders")
    units = {key: _unit(value) for key, value in (stakeholders or {}).items()
             if isinstance(value, dict)}
    by_dataset = {}
    for path in sorted((Path(root) / "metadata").glob("*.yaml")):
        keys = _read(path).get("stakeholders")
        if isinstance(keys, dict):
            by_dataset[path.stem] = {role: units[key] for role, key in keys.items()
                                     if role in ROLES_TH and key in units}
    return ResponsibleUnits(by_dataset)


def _unit(entry: dict[str, Any]) -> Unit:
    th = " ".join(str(entry[k]) for k in ("unit_th", "bureau_th") if entry.get(k))
    en = ", ".join(str(entry[k]) for k in ("unit_en", "bureau_en") if entry.get(k))
    return Unit(th or "-", en or "-")


def _read(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return document if isinstance(document, dict) else {}
