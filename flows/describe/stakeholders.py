"""Stakeholders of the organisation's data (KPI 1.3 condition 5.1), declared once.

``catalog_config/organization.yaml`` holds, next to the organisation and groups, a
``stakeholders:`` mapping of keyed entries; each dataset's ``metadata/<id>.yaml`` names the
keys of its data owner, data steward and data custodian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from flows.catalog.organization import CatalogLayout, load_layout
from flows.errors import ConfigError
from flows.yaml_text import load_yaml

#: The three roles of the government data-governance framework, Thai and English labels.
ROLES: dict[str, tuple[str, str]] = {
    "data_owner": ("เจ้าของข้อมูล", "Data owner"),
    "data_steward": ("บริกรข้อมูล", "Data steward"),
    "data_custodian": ("ผู้ดูแลข้อมูล", "Data custodian"),
}
_KEYS = {"role", "bureau_th", "bureau_en", "unit_th", "unit_en", "email", "duties"}
_REQUIRED = ("role", "bureau_th", "bureau_en", "email")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Stakeholder:
    """One unit of the Secretariat in one data-governance role."""

    key: str
    role: str          # a key of ROLES
    bureau_th: str
    bureau_en: str
    email: str         # a functional mailbox, never a person's
    unit_th: str = ""  # the unit inside the bureau, when there is one
    unit_en: str = ""
    duties: str = ""

    @property
    def name_th(self) -> str:
        """"<unit> <bureau>" in Thai, the way the Secretariat names a unit."""
        return f"{self.unit_th} {self.bureau_th}".strip()

    @property
    def name_en(self) -> str:
        return ", ".join(part for part in (self.unit_en, self.bureau_en) if part)

    @property
    def contact(self) -> str:
        """What the catalog's contact field (``maintainer``) shows: Thai, then English."""
        return f"{self.name_th} ({self.name_en})"


@dataclass(frozen=True)
class OrganizationProfile:
    """organization.yaml: the CKAN organisation and groups plus the stakeholders."""

    layout: CatalogLayout
    stakeholders: dict[str, Stakeholder] = field(default_factory=dict)

    @property
    def group_names(self) -> list[str]:
        return [group["name"] for group in self.layout.groups]


def load_organization_profile(path: Path) -> OrganizationProfile:
    """Read organization.yaml: organisation and groups (``load_layout``) and stakeholders."""
    layout = load_layout(path)
    raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    entries = raw.get("stakeholders") or {}
    if not isinstance(entries, dict):
        raise ConfigError(f"{path}: `stakeholders:` must map keys to entries")
    return OrganizationProfile(layout=layout, stakeholders={
        str(key): _stakeholder(str(key), entry, path) for key, entry in entries.items()})


def _stakeholder(key: str, entry: Any, path: Path) -> Stakeholder:
    where = f"{path}: stakeholders.{key}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a mapping with {', '.join(_REQUIRED)}")
    unknown = sorted(set(entry) - _KEYS)
    missing = [name for name in _REQUIRED if not entry.get(name)]
    if unknown or missing:
        raise ConfigError(f"{where}: unknown keys {unknown}, missing {missing}; "
                          f"allowed: {', '.join(sorted(_KEYS))}")
    if entry["role"] not in ROLES:
        raise ConfigError(f"{where}: role {entry['role']!r} is not one of {', '.join(ROLES)}")
    if not _EMAIL.match(str(entry["email"])):
        raise ConfigError(f"{where}: email {entry['email']!r} is not an e-mail address")
    return Stakeholder(key=key, **{name: str(value).strip() for name, value in entry.items()})
