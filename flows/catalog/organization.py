"""The organisation and theme groups declared in catalog_config/organization.yaml, made real.

Ensuring is idempotent: a second run finds nothing to change and makes no write call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Protocol

import ckanapi
import yaml

from flows.errors import ConfigError
from flows.yaml_text import load_yaml

_KEYS = ("name", "title", "description", "image_url")


class ActionCaller(Protocol):
    def call(self, action: str, **data: Any) -> Any: ...


@dataclass(frozen=True)
class CatalogLayout:
    """The organisation that owns the datasets and the groups they are filed under."""

    organization: dict[str, str]
    groups: list[dict[str, str]] = field(default_factory=list)


def load_layout(path: Path) -> CatalogLayout:
    """Read and check organization.yaml; errors name the file and the fix."""
    try:
        raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    if not isinstance(raw.get("organization"), dict):
        raise ConfigError(f"{path}: needs an `organization:` mapping with name and title")
    organization = _entry(raw["organization"], path, "organization")
    groups = [_entry(group, path, f"groups[{i}]") for i, group in enumerate(raw.get("groups") or [])]
    return CatalogLayout(organization=organization, groups=groups)


def check_groups(layout: CatalogLayout, groups: Iterable[str], *, source: str) -> None:
    """Raise ``ConfigError`` naming the declared groups when one of ``groups`` is not one of
    them (a typo would otherwise select no dataset and "succeed")."""
    known = [group["name"] for group in layout.groups]
    unknown = [group for group in groups if group not in known]
    if unknown:
        raise ConfigError(f"unknown group {unknown[0]!r} ({source}); known groups: "
                          f"{', '.join(known)} (catalog_config/organization.yaml)")


def ensure_layout(client: ActionCaller, layout: CatalogLayout) -> list[str]:
    """Create or update the organisation and groups; return what changed (empty if nothing)."""
    changes = _ensure(client, "organization", layout.organization)
    for group in layout.groups:
        changes += _ensure(client, "group", group)
    return changes


def _ensure(client: ActionCaller, kind: str, wanted: dict[str, str]) -> list[str]:
    try:
        current = client.call(f"{kind}_show", id=wanted["name"])
    except ckanapi.NotFound:
        client.call(f"{kind}_create", **wanted)
        return [f"created {kind} {wanted['name']}"]
    # A deleted organisation/group still holds its name; bring it back rather than fail.
    diff = {key: value for key, value in {**wanted, "state": "active"}.items()
            if (current.get(key) or "") != value}
    if not diff:
        return []
    client.call(f"{kind}_patch", id=current["id"], **diff)
    return [f"updated {kind} {wanted['name']}: {', '.join(sorted(diff))}"]


def _entry(raw: Any, path: Path, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not raw.get("name") or not raw.get("title"):
        raise ConfigError(f"{path}: {where} needs at least `name` and `title`")
    unknown = set(raw) - set(_KEYS)
    if unknown:
        raise ConfigError(f"{path}: {where} has unknown keys {sorted(unknown)}; "
                          f"allowed: {', '.join(_KEYS)}")
    return {key: str(value).strip() for key, value in raw.items()}
