"""The classification policy (``catalog_config/classification.yaml``) as a typed object.

Pure: PyYAML and the standard library only, no CKAN. The CKAN extension (validators) and the
pipeline (gate, describe, reports) both load the same file through ``load_policy``, so the
rule "who may see this dataset" exists once.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

PUBLIC, INTERNAL, WITHHELD = "public", "internal", "withheld"
#: From open to closed: the treatment of a pair is the later of its two parts.
TREATMENTS = (PUBLIC, INTERNAL, WITHHELD)

#: Where the file lives in this repository (the extension is installed from its source folder).
DEFAULT_POLICY_FILE = Path(__file__).resolve().parents[3] / "classification.yaml"


class PolicyError(ValueError):
    """The policy file is missing or malformed; the message says what to fix."""


@dataclass(frozen=True)
class Label:
    th: str
    en: str


@dataclass(frozen=True)
class ClassificationPolicy:
    """Treatments by data_category and data_classification, and the labels to show."""

    classifications: Mapping[str, str]            # classification -> treatment
    category_treatments: Mapping[str, str]        # category -> treatment
    allowed: Mapping[str, frozenset]              # category -> classifications it allows
    labels: Mapping[str, Label]                   # treatment -> label
    unknown: str = INTERNAL

    def treatment(self, category: Any, classification: Any) -> str:
        """The more closed of what the category and the classification imply."""
        parts = (self.category_treatments.get(category, self.unknown) if category else self.unknown,
                 self.classifications.get(classification, self.unknown)
                 if classification else self.unknown)
        return max(parts, key=TREATMENTS.index)

    def is_public(self, category: Any, classification: Any) -> bool:
        """Whether the pair may be public: both parts public, and the category allows it."""
        return (self.treatment(category, classification) == PUBLIC
                and classification in self.allowed.get(category, frozenset()))

    def allowed_classifications(self, category: Any) -> Optional[frozenset]:
        """The classifications ``category`` allows, or None for an unknown category."""
        return self.allowed.get(category) if category else None

    @property
    def public_categories(self) -> tuple[str, ...]:
        return tuple(c for c, t in self.category_treatments.items() if t == PUBLIC)

    @property
    def public_classifications(self) -> tuple[str, ...]:
        return tuple(c for c, t in self.classifications.items() if t == PUBLIC)

    def label(self, treatment: str) -> Label:
        return self.labels[treatment]


def load_policy(path: Optional[Path] = None) -> ClassificationPolicy:
    """Read and check the policy file (default: ``catalog_config/classification.yaml``)."""
    path = Path(path or DEFAULT_POLICY_FILE)
    try:
        document = _load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(f"cannot read the classification policy {path}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path} is not valid YAML: {exc}") from exc
    return policy_from_mapping(document, source=str(path))


def _load_yaml(text: str) -> Any:
    """safe_load with libyaml when PyYAML has it (the pipeline reads the policy per dataset);
    what libyaml refuses is parsed again by the pure-Python loader for its clearer message."""
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError:
        return yaml.safe_load(text)


def policy_from_mapping(document: Any, *, source: str = "policy") -> ClassificationPolicy:
    """Build the policy from the parsed YAML; every problem names the key to fix."""
    if not isinstance(document, Mapping):
        raise PolicyError(f"{source}: must be a mapping with treatments, classifications, "
                          "categories")
    labels = {name: _label(document, name, source) for name in TREATMENTS}
    classifications = {str(k): _treatment(v, f"{source}: classifications.{k}")
                       for k, v in _mapping(document, "classifications", source).items()}
    treatments, allowed = {}, {}
    for category, entry in _mapping(document, "categories", source).items():
        where = f"{source}: categories.{category}"
        if not isinstance(entry, Mapping):
            raise PolicyError(f"{where} must hold `treatment` and `classifications`")
        treatments[str(category)] = _treatment(entry.get("treatment"), f"{where}.treatment")
        listed = entry.get("classifications") or []
        unknown = [c for c in listed if c not in classifications]
        if unknown:
            raise PolicyError(f"{where}.classifications: {unknown} are not listed under "
                              "`classifications`")
        allowed[str(category)] = frozenset(str(c) for c in listed)
    unknown_treatment = _treatment(document.get("unknown", INTERNAL), f"{source}: unknown")
    if unknown_treatment == PUBLIC:
        raise PolicyError(f"{source}: `unknown` cannot be public: an unlisted value must never "
                          "open a dataset")
    return ClassificationPolicy(classifications=classifications, category_treatments=treatments,
                                allowed=allowed, labels=labels, unknown=unknown_treatment)


def _mapping(document: Mapping, key: str, source: str) -> Mapping:
    value = document.get(key)
    if not isinstance(value, Mapping) or not value:
        raise PolicyError(f"{source}: `{key}` must be a non-empty mapping")
    return value


def _treatment(value: Any, where: str) -> str:
    if value not in TREATMENTS:
        raise PolicyError(f"{where}: {value!r} is not a treatment; use one of "
                          f"{', '.join(TREATMENTS)}")
    return str(value)


def _label(document: Mapping, name: str, source: str) -> Label:
    entry = (document.get("treatments") or {}).get(name)
    if not isinstance(entry, Mapping) or not entry.get("th") or not entry.get("en"):
        raise PolicyError(f"{source}: treatments.{name} needs a Thai (th) and English (en) label")
    return Label(th=str(entry["th"]), en=str(entry["en"]))
