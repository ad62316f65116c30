"""The facts the open-data score looks at, gathered in the describe stage.

Two of them only a person can state, in ``metadata/<id>.yaml``::

    open_data:
      primary: originating     # originating | derived | secondary (see below)
      free_of_charge: true

- ``originating``: the agency itself produced the data, as they are (its own documents,
  registers, records);
- ``derived``: the agency computed or summarised them from its own data (a scorecard, a
  checklist, a dictionary generated from schemas);
- ``secondary``: someone else compiled them (e.g. ELECT's politician directory, even when the
  facts come from the agency's own web site).

A value not listed, or a block that is not a mapping, is the dataset's metadata error
(``ConfigError``); a missing key is scored as undeclared (a fail that says what to write).
"""

from __future__ import annotations

from typing import Any

from flows.catalog.licences import LicenceError, load_licence_map, load_licence_register
from flows.describe.open_data import OpenDataFacts
from flows.describe.open_data_rules import OpenDataRules, load_open_data_rules
from flows.errors import ConfigError
from flows.validation.findings import ValidationResult

#: The metadata file's top-level key, and its keys.
OPEN_DATA_KEY = "open_data"
_KEYS = ("primary", "free_of_charge")


def open_data_facts(metadata: dict[str, Any], *, dataset: str, name: str, public: bool,
                    scope: str, result: ValidationResult, formats: list[str],
                    table_schema: dict[str, Any], fields: dict[str, Any],
                    rules: OpenDataRules | None = None) -> OpenDataFacts:
    """The facts of one dataset: its metadata file (``metadata``, as read), its DGA fields so
    far (``fields``: data_source, licence, update frequency and status, last update), its
    validation result and the formats of the files it publishes (empty for metadata only)."""
    rules = rules or load_open_data_rules()
    primary, free = declared_openness(metadata, dataset=dataset, rules=rules)
    licence, conformance = _licence(fields)
    return OpenDataFacts(
        dataset=dataset, name=name, public=public, scope=scope,
        findings=tuple(result.findings), formats=tuple(formats),
        schema_fields=len(table_schema.get("fields") or []), primary=primary,
        free_of_charge=free, source=_first_line(fields.get("data_source")),
        update_status=fields.get("update_status") or None,
        frequency=str(fields.get("update_frequency_unit") or ""),
        last_updated=str(fields.get("last_updated_date") or ""),
        licence=licence, od_conformance=conformance)


def declared_openness(metadata: dict[str, Any], *, dataset: str,
                      rules: OpenDataRules) -> tuple[str | None, bool | None]:
    """``open_data.primary`` and ``open_data.free_of_charge``; ``ConfigError`` for a value
    the rule does not know."""
    where = f"metadata/{dataset}.yaml: {OPEN_DATA_KEY}"
    block = metadata.get(OPEN_DATA_KEY)
    if block is None:
        return None, None
    if not isinstance(block, dict):
        raise ConfigError(f"{where}: write a mapping, e.g. {{primary: originating, "
                          "free_of_charge: true}")
    problems = [f"{where}.{key}: unknown key; allowed: {', '.join(_KEYS)}"
                for key in block if key not in _KEYS]
    origins = [case for case in rules.characteristic("primary").cases if case != "undeclared"]
    primary = block.get("primary")
    if primary is not None and primary not in origins:
        problems.append(f"{where}.primary: {primary!r}; write one of {', '.join(origins)}")
    free = block.get("free_of_charge")
    if free is not None and not isinstance(free, bool):
        problems.append(f"{where}.free_of_charge: {free!r}; write true or false")
    if problems:
        raise ConfigError("; ".join(problems))
    return primary, free


def _licence(fields: dict[str, Any]) -> tuple[str, str | None]:
    """The catalog licence's title and Open Definition conformance (('', None): unknown)."""
    try:
        licence_id = load_licence_map().catalog_licence_id(fields.get("license_id"),
                                                           fields.get("license_id_other"))
    except LicenceError:
        return "", None
    entry = load_licence_register().get(licence_id)
    if entry is None:
        return "", None
    return str(entry.get("title") or licence_id), entry.get("od_conformance") or None


#: The data source in a reason is its start: the whole text is in the dataset's DGA table.
_SOURCE_CHARS = 120


def _first_line(value: Any) -> str:
    """The data source as the reason shows it: its Thai part (before " / "), cut at a word."""
    text = " ".join(str(value or "").split()).split(" / ")[0]
    if len(text) <= _SOURCE_CHARS:
        return text
    return text[:_SOURCE_CHARS].rsplit(" ", 1)[0] + " …"
