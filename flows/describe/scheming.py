"""The catalog's DGA scheming schema, read into the rules the local metadata check enforces.

One source of truth: the same ``dga_dataset.yaml`` + ``presets.yaml`` that CKAN loads. Which
check a field gets is read from its (preset-expanded) validator chain, so adding a choice, a
required flag or a date field to the schema changes the local check with no code change; a
validator this module does not know makes ``tests/describe/test_scheming.py`` fail.

The pure rules of the extension (``ckanext.senate_dga.rules``, which imports no CKAN) are
imported from its source folder here, in one place, and reused rather than copied.
"""

from __future__ import annotations

import functools

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from flows.errors import ConfigError
from flows.settings import PROJECT_ROOT
from flows.yaml_text import load_yaml

EXTENSION_DIR = PROJECT_ROOT / "catalog_config" / "ckanext-senate_dga"
SCHEMA_DIR = EXTENSION_DIR / "ckanext" / "senate_dga" / "schemas"

# ``ckanext`` is a PEP 420 namespace package, so its source folder on sys.path is enough.
if str(EXTENSION_DIR) not in sys.path:
    sys.path.insert(0, str(EXTENSION_DIR))

from ckanext.senate_dga import rules  # noqa: E402  (needs the path above)
from ckanext.senate_dga.classification import (  # noqa: E402, F401 (treatments re-exported)
    INTERNAL, PUBLIC, WITHHELD, ClassificationPolicy, PolicyError, load_policy)

#: The classification policy file, relative to a project root (catalog_config/classification.yaml).
POLICY_FILE = Path("catalog_config") / "classification.yaml"

#: Validators whose check this project runs locally (see ``FieldRule``), by name.
LOCAL_VALIDATORS = frozenset({
    "not_empty", "scheming_required", "scheming_choices", "scheming_multiple_choice",
    "senate_dga_other_text", "isodate", "senate_dga_gregorian_date", "email_validator",
    "name_validator", "senate_dga_name_length", "senate_dga_tags_required",
    "senate_dga_tag_string_convert", "senate_dga_positive_integer",
})
#: Validators with nothing to check before the network call: they only convert values, or
#: need the catalog's database (unique title/name, the organisation exists).
SERVER_ONLY_VALIDATORS = frozenset({
    "unicode_safe", "strip_value", "ignore_missing", "convert_to_json_if_date",
    "remove_whitespace", "if_empty_guess_format", "clean_format",
    "scheming_multiple_choice_output",
    "package_name_validator", "owner_org_validator", "senate_dga_unique_title",
})


@dataclass(frozen=True)
class FieldRule:
    """What the catalog enforces on one dataset field, read from its validator chain."""

    name: str
    required: bool
    choices: tuple[str, ...] | None = None   # allowed values of a choice field
    multiple: bool = False                   # scheming_multiple_choice: a list of choices
    date: bool = False                       # isodate (+ senate_dga_gregorian_date)
    email: bool = False
    slug: bool = False                       # name_validator (+ the 70-character limit)
    tags: bool = False
    integer: bool = False                    # senate_dga_positive_integer: a whole number ≥ 1
    other_of: str | None = None              # for ``*_other``: the choice field it explains
    validators: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """The type of value the field takes, from its validators: ``list`` (a multiple
        choice), ``tags`` (a list or a comma-separated text), ``choice`` (one value of its
        list), ``date``, ``integer``, or ``text`` (one text: unicode_safe stores anything else,
        a list or a mapping included, as its Python text)."""
        if self.multiple:
            return "list"
        if self.tags:
            return "tags"
        if self.choices is not None:
            return "choice"
        return "date" if self.date else "integer" if self.integer else "text"


@dataclass(frozen=True)
class SchemaRules:
    """The dataset-level rules of the DGA schema, keyed by CKAN field name."""

    fields: dict[str, FieldRule]
    policy: ClassificationPolicy             # who may see what (the governance rule)
    after_validators: tuple[str, ...] = ()

    def other_choice(self, field_name: str) -> str | None:
        """The "other" value of a choice field (อื่นๆ, or ข้อมูลประเภทอื่นๆ for data_type)."""
        choices = self.fields[field_name].choices or ()
        return rules.other_choice_in(choices)


def load_classification_policy(root: Path = PROJECT_ROOT) -> ClassificationPolicy:
    """The project's classification policy (``catalog_config/classification.yaml``)."""
    try:
        return load_policy(root / POLICY_FILE)
    except PolicyError as exc:
        raise ConfigError(str(exc)) from exc


def load_schema_rules(schema_dir: Path = SCHEMA_DIR, *,
                      policy: ClassificationPolicy | None = None) -> SchemaRules:
    """Read ``dga_dataset.yaml`` and ``presets.yaml`` from ``schema_dir`` into ``SchemaRules``,
    with the classification policy the catalog enforces (default: this project's file)."""
    files = (schema_dir / "dga_dataset.yaml", schema_dir / "presets.yaml")
    fields, after = _rules_of(files, tuple(_stamp(path) for path in files))
    return SchemaRules(fields=dict(fields), after_validators=after,
                       policy=policy or load_classification_policy())


@functools.lru_cache(maxsize=8)
def _rules_of(files: tuple[Path, Path], _stamps: tuple[tuple[int, int] | None, ...]
              ) -> tuple[dict[str, FieldRule], tuple[str, ...]]:
    """The field rules of the schema files, read once per version of the files (``_stamps``):
    every dataset of a run is described and checked against them."""
    schema, presets = (_read_yaml(path) for path in files)
    expanded = expand_presets(schema.get("dataset_fields") or [], presets)
    fields = {field["field_name"]: _field_rule(field) for field in expanded}
    return fields, tuple(str(schema.get("after_validators") or "").split())


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None   # _read_yaml says why
    return status.st_mtime_ns, status.st_size


def expand_presets(fields: list[dict[str, Any]], presets: dict[str, Any]) -> list[dict[str, Any]]:
    """Apply the project's presets the way ckanext-scheming does: the field's own keys win.

    scheming's built-in presets (title, dataset_slug, ...) are not applied: the fields that use
    them state their validators themselves, which the schema tests check.
    """
    by_name = {p["preset_name"]: p["values"] for p in presets.get("presets") or []}
    return [dict(by_name.get(field.get("preset"), {}), **field) for field in fields]


def _field_rule(field: dict[str, Any]) -> FieldRule:
    name = field["field_name"]
    chain = tuple(str(field.get("validators") or "").split())
    choices = field.get("choices")
    return FieldRule(
        name=name,
        required=bool(field.get("required")),
        choices=tuple(str(c["value"]) for c in choices) if choices else None,
        multiple="scheming_multiple_choice" in chain,
        date="isodate" in chain,
        email="email_validator" in chain,
        slug="name_validator" in chain,
        tags="senate_dga_tags_required" in chain,
        integer="senate_dga_positive_integer" in chain,
        other_of=rules.main_field_for(name) if "senate_dga_other_text" in chain else None,
        validators=chain,
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        loaded = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the catalog schema {path}: {exc}") from exc
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path} must hold a mapping (a scheming schema or presets file)")
    return loaded
