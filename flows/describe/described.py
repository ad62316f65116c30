"""What the describe stage hands to the catalog stage: one dataset, fully described.

The catalog stage (payload, gate, plan, publish) reads only this, never the metadata files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ResourceFile:
    """A file to register as a CKAN resource of the dataset."""

    kind: str            # "data" | "dictionary" | "schema" | "report" (stable; keys the resource)
    path: Path           # the local file, uploaded byte-for-byte
    name: str            # Thai first, English second, e.g. "ข้อมูลการลงมติ (CSV) / Votes data"
    description: str
    format: str          # "CSV" | "JSON" | "HTML"
    sha256: str          # hex digest of the file: the resource's `hash` is "sha256:<hex>"
    size: int
    extras: dict[str, Any] = field(default_factory=dict)  # DGA resource fields (resource_*)


@dataclass(frozen=True)
class DescribedDataset:
    """Every DGA field of one dataset (declared in metadata/<id>.yaml + derived), ready to map."""

    id: str
    #: CKAN dataset fields of the DGA schema, values exactly as CKAN takes them (lists for
    #: multi-choice fields, "True"/"False" strings, ISO dates, `tag_string` comma-separated).
    #: Includes the derived ones: name, last_updated_date, data_format, ...
    fields: dict[str, Any]
    groups: list[str]
    personal_fields: list[str]      # Table Schema fields marked personalData
    resources: list[ResourceFile]   # the public files (the data file never holds personal fields)
    #: Present when the dataset has personal fields: the full data file, for internal use only.
    internal_data: ResourceFile | None = None
    #: The data dictionary entries of the public file (flows.describe.dictionary), reused for
    #: the catalog-wide dictionary.
    dictionary: tuple[dict[str, Any], ...] = ()
    #: What the classification policy (catalog_config/classification.yaml) allows:
    #: "public", "internal" (private) or "withheld" (the data never leave this machine).
    treatment: str = "public"
    #: Withheld, but the metadata asks for a private record without files.
    metadata_only: bool = False
