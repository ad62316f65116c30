"""Pure mapping from a described dataset to the CKAN package the catalog should hold.

Built, as ckanapi's ``datapackage.py`` is, from small ``_parse_*`` functions that each return a
fragment. Nothing here calls CKAN; plan.py compares the result with what the catalog holds.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from flows.catalog.gate import Decision
from flows.catalog.licences import OTHER, load_licence_map
from flows.catalog.owned import (HAND_EDITED_FIELDS, KIND_FIELD, OWNED_DATASET_FIELDS,
                                 OWNERSHIP_FIELD)
from flows.describe.described import DescribedDataset, ResourceFile
from flows.errors import ConfigError

#: Suffixes of the private companion that holds the full file of a personal-data dataset.
INTERNAL_SUFFIX = "-internal"
INTERNAL_TITLE_SUFFIX = " (ฉบับภายใน มีข้อมูลส่วนบุคคล / internal, with personal data)"
INTERNAL_CATEGORY = "ข้อมูลส่วนบุคคล"
INTERNAL_CLASSIFICATION = "ชั้นเผยแพร่ภายในองค์กร"
INTERNAL_ACCESS = ("เฉพาะเจ้าหน้าที่ที่ได้รับอนุญาตของสำนักงานเลขาธิการวุฒิสภา "
                   "(มีข้อมูลส่วนบุคคล) / authorised Secretariat staff only (personal data)")
MAX_NAME = 70  # DGA (thai_gdc) limit on the URL name

#: Fields set from the decision or the arguments, never copied from described.fields.
_SET_HERE = frozenset({"name", "title", "owner_org", "private", OWNERSHIP_FIELD})


def dataset_to_ckan_package(described: DescribedDataset, decision: Decision, *,
                            owner_org: str) -> dict[str, Any]:
    """The public (or private) dataset: owned fields, groups and the resource dicts (none for
    a metadata-only record of withheld data)."""
    files = described.resources if decision.with_files else []
    parsers: list[Callable[[], dict[str, Any]]] = [
        lambda: _parse_dga_fields(described),
        lambda: _parse_identity(described),
        lambda: _parse_visibility(decision),
        lambda: {"owner_org": owner_org, OWNERSHIP_FIELD: described.id},
        lambda: _parse_groups(described.groups),
        lambda: _parse_resources(files, described, private=False),
    ]
    return _merge(parsers)


def internal_companion_package(described: DescribedDataset, decision: Decision, *,
                               owner_org: str) -> dict[str, Any] | None:
    """The private ``<name>-internal`` dataset holding the full file, or None when not needed."""
    if not decision.internal_companion or described.internal_data is None:
        return None
    parsers: list[Callable[[], dict[str, Any]]] = [
        lambda: _parse_dga_fields(described),
        lambda: _parse_internal_identity(described),
        lambda: {"owner_org": owner_org, "groups": [], OWNERSHIP_FIELD: described.id},
        lambda: _parse_resources([described.internal_data], described, private=True),
    ]
    return _merge(parsers)


def internal_name(name: str) -> str:
    """``<name>-internal``; when that would pass the 70-character limit, the name's start plus
    8 hex characters of its sha256, then ``-internal``.

    Never cut alone: two long names sharing their first 61 characters would get one companion.
    No dataset id ends in ``-internal`` (flows.dataset_ids), so a companion never takes the name
    of another dataset.
    """

    if len(name) + len(INTERNAL_SUFFIX) <= MAX_NAME:
        return name + INTERNAL_SUFFIX
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    start = name[:MAX_NAME - len(INTERNAL_SUFFIX) - len(digest) - 1].rstrip("-_")
    return f"{start}-{digest}{INTERNAL_SUFFIX}"


def resource_to_ckan(resource: ResourceFile, described: DescribedDataset, *,
                     private: bool) -> dict[str, Any]:
    """One resource dict: DGA resource fields, sha256 hash, size and the stable kind key."""
    fragment: dict[str, Any] = {
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "hash": f"sha256:{resource.sha256}",
        "size": resource.size,
        "resource_private": "True" if private else "False",
        KIND_FIELD: resource.kind,
    }
    last_updated = described.fields.get("last_updated_date")
    if last_updated:
        # The data's own last update; the catalog's extension makes the resource's
        # last_modified this date too, rather than the upload time.
        fragment["resource_last_updated_date"] = str(last_updated)
    # No resource `license`: every distribution carries the dataset's registered licence (the
    # senate_dga DCAT profile writes its URL as dct:license).
    return {**fragment, **resource.extras}


def _merge(parsers: list[Callable[[], dict[str, Any]]]) -> dict[str, Any]:
    package: dict[str, Any] = {}
    for parse in parsers:
        package.update(parse())
    return package


def _parse_dga_fields(described: DescribedDataset) -> dict[str, Any]:
    """The owned DGA fields of described.fields; an unknown or hand-edited field is an error."""
    owned = set(OWNED_DATASET_FIELDS)
    stray = sorted(set(described.fields) - owned)
    if stray:
        raise ConfigError(
            f"{described.id}: field(s) {', '.join(stray)} are not owned by the pipeline "
            f"(owned: flows/catalog/owned.py; left to hand edits: {', '.join(HAND_EDITED_FIELDS)}); "
            f"remove them from metadata/{described.id}.yaml or add them to OWNED_DATASET_FIELDS")
    fields = {key: value for key, value in described.fields.items()
              if key not in _SET_HERE and value not in (None, "", [])}
    return _with_catalog_licence(fields, described.id)


def _with_catalog_licence(fields: dict[str, Any], dataset_id: str) -> dict[str, Any]:
    """``license_id`` as the catalog's licence register names it (catalog_config/
    licence_map.yaml), so CKAN shows its title, URL and ``isopen``. The DGA "other" text goes
    with it unless the licence is still the DGA's อื่นๆ (the schema refuses it otherwise)."""
    if "license_id" not in fields:
        return fields
    try:
        licence = load_licence_map().catalog_licence_id(fields["license_id"],
                                                        fields.get("license_id_other"))
    except ConfigError as exc:
        raise ConfigError(f"{dataset_id}: {exc}") from exc
    mapped = {**fields, "license_id": licence}
    if licence != OTHER:
        mapped.pop("license_id_other", None)
    return mapped


def _parse_identity(described: DescribedDataset) -> dict[str, Any]:
    name = described.fields.get("name")
    if not name:
        raise ConfigError(f"{described.id}: the described dataset has no `name`; "
                          "the describe stage derives it from the id")
    return {"name": name, "title": described.fields.get("title", "")}


def _parse_internal_identity(described: DescribedDataset) -> dict[str, Any]:
    # The DGA server rules: titles are unique, and a non-public category must be private.
    identity = _parse_identity(described)
    return {"name": internal_name(identity["name"]),
            "title": identity["title"] + INTERNAL_TITLE_SUFFIX,
            "private": True,
            "data_category": INTERNAL_CATEGORY,
            "data_classification": INTERNAL_CLASSIFICATION,
            "accessible_condition": INTERNAL_ACCESS}


def _parse_visibility(decision: Decision) -> dict[str, Any]:
    if not decision.writes:
        raise ValueError(f"no package for a {decision.outcome.value} decision; "
                         "check decision.writes before building the payload")
    return {"private": decision.private}


def _parse_groups(groups: list[str]) -> dict[str, Any]:
    return {"groups": [{"name": group} for group in groups]}


def _parse_resources(resources: list[ResourceFile], described: DescribedDataset, *,
                     private: bool) -> dict[str, Any]:
    kinds = [resource.kind for resource in resources]
    duplicated = sorted({kind for kind in kinds if kinds.count(kind) > 1})
    if duplicated:
        raise ConfigError(f"{described.id}: resource kind(s) {', '.join(duplicated)} appear twice; "
                          "each kind keys one resource across runs")
    return {"resources": [resource_to_ckan(r, described, private=private) for r in resources]}
