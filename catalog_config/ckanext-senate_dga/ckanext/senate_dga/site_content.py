"""What the Senate catalog's own pages say, built from declared files.

Pure: PyYAML and the standard library only, no CKAN, so every function is tested without a
server. The ``senate_dga_theme`` plugin (theme.py) loads these once at start-up and hands them to
the templates:

- ``site_text.yaml`` (next to this module): the pages' own words, Thai and English;
- ``catalog_config/organization.yaml``: the stakeholders' functional mailboxes and the agency's
  published contact points;
- the classification policy (classification.py): the table of what the catalog shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

from ckanext.senate_dga.classification import ClassificationPolicy, Label

SITE_TEXT_FILE = Path(__file__).resolve().parent / "site_text.yaml"
#: Where organization.yaml lives in this repository (the extension runs from its source folder).
DEFAULT_ORGANIZATION_FILE = Path(__file__).resolve().parents[3] / "organization.yaml"


class SiteContentError(ValueError):
    """A declared file is missing or malformed; the message names the file and key to fix."""


@dataclass(frozen=True)
class SiteText:
    """The pages' words by key, each a Thai/English pair."""

    texts: Mapping[str, Label]
    facets: Mapping[str, Label]
    roles: Mapping[str, Label]

    def text(self, key: str, language: Optional[str]) -> str:
        """The text ``key`` in ``language`` (Thai for any language other than English)."""
        try:
            return pick(self.texts[key], language)
        except KeyError:
            raise SiteContentError(f"site_text.yaml has no text `{key}`; add it under `texts` "
                                   "with th and en") from None


@dataclass(frozen=True)
class Contact:
    """One stakeholder of organization.yaml, as the about page lists it."""

    key: str
    role: str
    unit: Label
    email: str
    duties: str


@dataclass(frozen=True)
class PolicyRow:
    """One allowed (category, classification) pair and what the catalog does with it."""

    category: str
    classification: str
    treatment: str
    label: Label


def pick(label: Label, language: Optional[str]) -> str:
    """English on the English interface, Thai everywhere else (the catalog is Thai first)."""
    return label.en if language == "en" else label.th


def load_site_text(path: Optional[Path] = None) -> SiteText:
    """Read ``site_text.yaml``; a key without both languages is refused."""
    path = Path(path or SITE_TEXT_FILE)
    document = _read_yaml(path)
    return SiteText(texts=_labels(document, "texts", path),
                    facets=_labels(document, "facets", path),
                    roles=_labels(document, "roles", path))


def load_contacts(path: Optional[Path] = None) -> tuple[list[Contact], list[dict[str, str]]]:
    """The stakeholders and the general contact points declared in ``organization.yaml``."""
    path = Path(path or DEFAULT_ORGANIZATION_FILE)
    document = _read_yaml(path)
    stakeholders = document.get("stakeholders") or {}
    if not isinstance(stakeholders, Mapping):
        raise SiteContentError(f"{path}: `stakeholders` must be a mapping of key -> stakeholder")
    contacts = [_contact(key, entry, path) for key, entry in stakeholders.items()]
    points = document.get("contact_points") or []
    if not isinstance(points, list) or not all(isinstance(p, Mapping) for p in points):
        raise SiteContentError(f"{path}: `contact_points` must be a list of mappings "
                               "(email, phone, note)")
    return contacts, [{str(k): str(v) for k, v in p.items()} for p in points]


def policy_rows(policy: ClassificationPolicy) -> list[PolicyRow]:
    """Every pair the policy allows, category by category, with its treatment."""
    rows = []
    for category in policy.category_treatments:
        for classification in sorted(policy.allowed.get(category, ()),
                                     key=list(policy.classifications).index):
            treatment = policy.treatment(category, classification)
            rows.append(PolicyRow(category=category, classification=classification,
                                  treatment=treatment, label=policy.label(treatment)))
    return rows


def classification_rows(policy: ClassificationPolicy) -> list[PolicyRow]:
    """Each classification on its own, with the treatment it implies."""
    return [PolicyRow(category="", classification=name, treatment=treatment,
                      label=policy.label(treatment))
            for name, treatment in policy.classifications.items()]


def _contact(key: Any, entry: Any, path: Path) -> Contact:
    where = f"{path}: stakeholders.{key}"
    if not isinstance(entry, Mapping) or not entry.get("email") or not entry.get("role"):
        raise SiteContentError(f"{where} needs at least `role` and `email`")
    unit_th = " ".join(str(entry[k]) for k in ("unit_th", "bureau_th") if entry.get(k))
    unit_en = ", ".join(str(entry[k]) for k in ("unit_en", "bureau_en") if entry.get(k))
    return Contact(key=str(key), role=str(entry["role"]),
                   unit=Label(th=unit_th, en=unit_en or unit_th),
                   email=str(entry["email"]), duties=str(entry.get("duties") or ""))


def _labels(document: Mapping, key: str, path: Path) -> dict[str, Label]:
    section = document.get(key)
    if not isinstance(section, Mapping) or not section:
        raise SiteContentError(f"{path}: `{key}` must be a non-empty mapping")
    labels = {}
    for name, entry in section.items():
        if not isinstance(entry, Mapping) or not entry.get("th") or not entry.get("en"):
            raise SiteContentError(f"{path}: {key}.{name} needs a Thai (th) and an English "
                                   "(en) text")
        labels[str(name)] = Label(th=str(entry["th"]), en=str(entry["en"]))
    return labels


def _read_yaml(path: Path) -> Mapping:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteContentError(f"cannot read {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SiteContentError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(document, Mapping):
        raise SiteContentError(f"{path} must hold a mapping")
    return document
