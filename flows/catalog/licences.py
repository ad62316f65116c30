"""The catalog licence of a dataset, from the DGA licence its metadata names.

One declared table, ``catalog_config/licence_map.yaml``: DGA ``license_id`` values (and, for
``อื่นๆ``, the ``license_id_other`` text) → ids of the catalog's licence register
(``catalog_config/licenses.json``, CKAN's ``licenses_group_url``). CKAN computes ``isopen``,
``license_title`` and ``license_url`` from the register id, so the catalog must hold that id:
"อื่นๆ" with "MIT License" beside it would show "Other" and ``isopen: false``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from flows.yaml_text import load_yaml

LICENCE_MAP_FILE = PROJECT_ROOT / "catalog_config" / "licence_map.yaml"
LICENCE_REGISTER_FILE = PROJECT_ROOT / "catalog_config" / "licenses.json"
#: The DGA choice whose licence is named in ``license_id_other``.
OTHER = "อื่นๆ"


@dataclass(frozen=True)
class LicenceMap:
    """DGA value → catalog licence id (``dga``), and "other" text → catalog id (``other``;
    keys compared ignoring case and spacing)."""

    dga: Mapping[str, str]
    other: Mapping[str, str]

    @property
    def catalog_ids(self) -> frozenset[str]:
        return frozenset(self.dga.values()) | frozenset(self.other.values())

    def catalog_licence_id(self, license_id: Any, license_id_other: Any = None) -> str:
        """The register id for a DGA pair; ``LicenceError`` says what to add where."""
        problem, found = self._lookup(license_id, license_id_other)
        if found is None:
            raise LicenceError(problem)
        return found

    def licence_problem(self, license_id: Any, license_id_other: Any = None) -> str | None:
        """Why the pair has no catalog licence, or None."""
        return self._lookup(license_id, license_id_other)[0]

    def dga_licence(self, catalog_id: str) -> dict[str, str]:
        """The DGA fields (thai_gdc's ``license_id`` [+ ``license_id_other``]) for a catalog
        licence id, for exports in the DGA's own terms."""
        for dga_value, mapped in self.dga.items():
            if mapped == catalog_id:
                return {"license_id": dga_value}
        for text, mapped in self.other.items():
            if mapped == catalog_id:
                return {"license_id": OTHER, "license_id_other": text}
        raise LicenceError(f"licence {catalog_id!r} is not in {_shown(LICENCE_MAP_FILE)}")

    def _lookup(self, license_id: Any, other: Any) -> tuple[str | None, str | None]:
        if license_id in self.dga:
            return None, self.dga[license_id]
        if license_id == OTHER:
            return self._other(other)
        if license_id in self.catalog_ids:   # a register id written as such is itself
            return None, str(license_id)
        return (f"licence {license_id!r} is not in the licence table; add it under `dga:` in "
                f"{_shown(LICENCE_MAP_FILE)} (and to {_shown(LICENCE_REGISTER_FILE)})"), None

    def _other(self, text: Any) -> tuple[str | None, str | None]:
        wanted = _key(text)
        for known, mapped in self.other.items():
            if _key(known) == wanted:
                return None, mapped
        known_texts = ", ".join(repr(k) for k in self.other) or "none"
        return (f"license_id_other {text!r} (with license_id {OTHER}) is not in the licence "
                f"table; write one of {known_texts}, or add it under `other:` in "
                f"{_shown(LICENCE_MAP_FILE)} with its licence in "
                f"{_shown(LICENCE_REGISTER_FILE)}"), None


class LicenceError(ConfigError):
    """A dataset's licence is not in the licence table; the message says what to add where."""


@lru_cache(maxsize=4)
def load_licence_map(path: Path = LICENCE_MAP_FILE) -> LicenceMap:
    """Read and check the licence table (both sections: mappings of text to text)."""
    try:
        loaded = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the licence table {path}: {exc}") from exc
    if not isinstance(loaded, dict) or set(loaded) - {"dga", "other"}:
        raise ConfigError(f"{path} must be a mapping with the sections `dga:` and `other:`")
    sections = {name: loaded.get(name) or {} for name in ("dga", "other")}
    for name, section in sections.items():
        if not isinstance(section, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and k and v
                for k, v in section.items()):
            raise ConfigError(f"{path}: `{name}:` must map texts to licence ids "
                              "(quote values YAML would read as something else)")
    return LicenceMap(dga=sections["dga"], other=sections["other"])


def load_licence_register(path: Path = LICENCE_REGISTER_FILE) -> dict[str, dict[str, Any]]:
    """The catalog's licence register (licenses.json), by id."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read the licence register {path}: {exc}") from exc
    return {entry["id"]: entry for entry in entries}


def _key(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
