"""Which agency datasets the national catalog holds, since when, and how they differ.

The national Government Data Catalog (GD Catalog) harvests the agency catalog with
ckanext-harvest. This module compares the two: for every dataset of the agency catalog, whether
the national catalog has it (same name, else same id, else the ownership mark
``senate_pipeline_id``), when it was last harvested (the harvest object's import time, else the
record's ``metadata_modified``) and which DGA fields differ, field by field.

A dataset is *required* there when it is public and its ``allow_harvest`` is "True": only such
datasets are harvested (the harvest rule). A required dataset that is missing makes the answer
fail (``missing``); a private or non-harvestable one found there is reported as ``unexpected``.

Both catalogs are passed in as clients (anything with ``call(action, **data)``, like
``flows.catalog.CatalogClient``), so tests use a fake at that seam; nothing here reads the
environment.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Iterable, Protocol, Sequence

from ckanapi.errors import CKANAPIError, NotAuthorized, NotFound

from flows.catalog.owned import OWNED_DATASET_FIELDS, OWNERSHIP_FIELD

#: DGA fields compared: the fields the pipeline owns, except those that are the national
#: catalog's own (its organisation, its visibility) or the match key (``name``); tags are
#: compared as a sorted list of names (CKAN returns ``tags``, never ``tag_string``).
COMPARED_FIELDS: tuple[str, ...] = tuple(
    "tags" if name == "tag_string" else name for name in OWNED_DATASET_FIELDS
    if name not in ("name", "owner_org", "private"))
#: Extras ckanext-harvest adds to a harvested record.
HARVEST_EXTRAS = ("harvest_object_id", "harvest_source_id", "harvest_source_title")
#: package_search page size (CKAN's default ``ckan.search.rows_max`` is 1000).
PAGE_SIZE = 1000


class Client(Protocol):
    def call(self, action: str, **data: Any) -> Any: ...


@dataclass(frozen=True)
class FieldDifference:
    """One DGA field whose value differs (None: absent or empty on that side)."""

    field: str
    agency: Any
    national: Any


@dataclass(frozen=True)
class DatasetStatus:
    """One agency dataset and what the national catalog holds of it."""

    name: str
    title: str
    pipeline_id: str | None
    required: bool                  # public and allow_harvest "True"
    not_required_because: str | None
    registered: bool
    national_name: str | None = None
    national_url: str | None = None
    harvested_at: str | None = None
    harvested_from: str | None = None   # "harvest object" | "metadata_modified"
    harvest_source: str | None = None
    differences: tuple[FieldDifference, ...] = ()

    @property
    def missing(self) -> bool:
        return self.required and not self.registered

    @property
    def unexpected(self) -> bool:
        return self.registered and not self.required


@dataclass(frozen=True)
class NationalStatus:
    """The answer: every agency dataset's state in the national catalog.

    ``error`` is set instead of ``datasets`` when a catalog could not be read; the answer then
    says nothing is known to be registered.
    """

    national_url: str
    agency_url: str
    checked_at: str
    datasets: tuple[DatasetStatus, ...] = ()
    error: str | None = None

    @property
    def missing(self) -> tuple[DatasetStatus, ...]:
        return tuple(d for d in self.datasets if d.missing)

    @property
    def registered(self) -> tuple[DatasetStatus, ...]:
        """Agency datasets the national catalog holds and should (public, harvestable)."""
        return tuple(d for d in self.datasets if d.registered and d.required)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["missing"] = [d.name for d in self.missing]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "NationalStatus":
        datasets = tuple(
            DatasetStatus(**{**{k: v for k, v in entry.items() if k != "differences"},
                             "differences": tuple(FieldDifference(**d) for d in
                                                  entry.get("differences") or ())})
            for entry in data.get("datasets") or ())
        return cls(national_url=data["national_url"], agency_url=data["agency_url"],
                   checked_at=data["checked_at"], datasets=datasets, error=data.get("error"))


# --- reading the catalogs ----------------------------------------------------------------


def all_datasets(client: Client, *, include_private: bool) -> list[dict[str, Any]]:
    """Every active dataset of a catalog (private ones only when the token may see them)."""
    found: list[dict[str, Any]] = []
    while True:
        page = client.call("package_search", q="*:*", rows=PAGE_SIZE, start=len(found),
                           sort="name asc", include_private=include_private)
        results = page.get("results") or []
        found += results
        if not results or len(found) >= int(page.get("count") or 0):
            return found


def _show(client: Client, ident: str) -> dict[str, Any] | None:
    """The active record ``ident`` names; None when there is none (deleted there by hand or
    by a harvest counts as absent, though a sysadmin token still reads it)."""
    try:
        found = client.call("package_show", id=ident)
    except (NotFound, NotAuthorized):   # a private record there is not registered for us
        return None
    return found if found.get("state", "active") == "active" else None


def find_national(national: Client, agency_record: dict[str, Any]) -> dict[str, Any] | None:
    """The national record of an agency dataset: same name, else same id (the CKAN harvester
    keeps both), else the only one with its ``senate_pipeline_id`` and title (a harvester that
    renames records)."""
    for ident in (agency_record.get("name"), agency_record.get("id")):
        if ident and (found := _show(national, ident)) is not None:
            return found
    mark = agency_record.get(OWNERSHIP_FIELD)
    if not mark:
        return None
    hits = national.call("package_search", fq=f'{OWNERSHIP_FIELD}:"{mark}"', rows=10)
    same = [r for r in hits.get("results") or []
            if r.get("title") == agency_record.get("title")
            and r.get("state", "active") == "active"]
    return same[0] if len(same) == 1 else None


def harvest_extras(record: dict[str, Any]) -> dict[str, str]:
    """The harvest extras of a record, from ``extras`` or top-level keys (by CKAN version)."""
    extras = {e.get("key"): e.get("value") for e in record.get("extras") or []
              if isinstance(e, dict)}
    return {key: str(value) for key in HARVEST_EXTRAS
            if (value := extras.get(key, record.get(key)))}


def harvest_object(national: Client, record: dict[str, Any]) -> dict[str, Any] | None:
    """The record's current harvest object (ckanext-harvest's ``harvest_object_show``, open
    to anyone): by the ``harvest_object_id`` extra when the record carries it (search results
    do), else by the dataset's id. None when the national catalog has no such object or no
    harvest extension (a catalog filled by hand)."""
    object_id = harvest_extras(record).get("harvest_object_id")
    query = {"id": object_id} if object_id else {"dataset_id": record.get("id")}
    try:
        found = national.call("harvest_object_show", **query)
    except CKANAPIError:   # NotFound, NotAuthorized, or "action not known"
        return None
    return found if isinstance(found, dict) else None


def last_harvested(record: dict[str, Any],
                   harvested: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """(when, from what): the harvest object's import time, else the record's
    ``metadata_modified`` (both as CKAN gives them: UTC)."""
    when = harvested and (harvested.get("import_finished")
                          or harvested.get("metadata_modified_date")
                          or harvested.get("gathered"))
    if when:
        return str(when), "harvest object"
    modified = record.get("metadata_modified")
    return (str(modified), "metadata_modified") if modified else (None, None)


# --- comparing ---------------------------------------------------------------------------


def field_value(record: dict[str, Any], name: str) -> Any:
    """A DGA field's value, normalised for comparison: empty is None, tags a sorted list of
    names, multi-value fields sorted lists, text as CKAN stores it (Thai included)."""
    if name == "tags":
        tags = sorted(str(t.get("name")) for t in record.get("tags") or [] if isinstance(t, dict))
        return tags or None
    value = record.get(name)
    if value is None:
        extras = {e.get("key"): e.get("value") for e in record.get("extras") or []
                  if isinstance(e, dict)}
        value = extras.get(name)
    if isinstance(value, list):
        return sorted(str(v) for v in value) or None
    if value in ("", {}):
        return None
    return value


def differences(agency: dict[str, Any], national: dict[str, Any],
                fields: Iterable[str] = COMPARED_FIELDS) -> tuple[FieldDifference, ...]:
    """The compared fields whose normalised values differ, in ``fields`` order."""
    found = []
    for name in fields:
        ours, theirs = field_value(agency, name), field_value(national, name)
        if _text(ours) != _text(theirs):
            found.append(FieldDifference(name, ours, theirs))
    return tuple(found)


def _text(value: Any) -> Any:
    """Numbers and booleans as text: a harvester may turn 2567 into "2567"."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return value


def required_because(record: dict[str, Any]) -> str | None:
    """None when the national catalog must hold the dataset, else why it need not."""
    if record.get("private"):
        return "ส่วนตัว / private"
    if str(field_value(record, "allow_harvest")) != "True":
        return f"allow_harvest = {field_value(record, 'allow_harvest')!r}"
    return None


def dataset_status(agency_record: dict[str, Any], national: Client,
                   national_url: str) -> DatasetStatus:
    """One agency dataset's state in the national catalog."""
    because = required_because(agency_record)
    common = dict(name=agency_record["name"], title=str(agency_record.get("title") or ""),
                  pipeline_id=field_value(agency_record, OWNERSHIP_FIELD),
                  required=because is None, not_required_because=because)
    found = find_national(national, agency_record)
    if found is None:
        return DatasetStatus(registered=False, **common)
    harvested = harvest_object(national, found)
    when, source = last_harvested(found, harvested)
    return DatasetStatus(
        registered=True, national_name=found.get("name"),
        national_url=f"{national_url.rstrip('/')}/dataset/{found.get('name')}",
        harvested_at=when, harvested_from=source,
        harvest_source=(harvest_extras(found).get("harvest_source_title")
                        or (harvested or {}).get("source")),
        differences=differences(agency_record, found), **common)


def national_status(agency: Client, national: Client, *, agency_url: str, national_url: str,
                    checked_at: str, names: Sequence[str] = ()) -> NationalStatus:
    """Compare every dataset of the agency catalog (only ``names`` when given) with the
    national catalog.

    Raises:
        CatalogError: either catalog does not answer (the caller records it as the answer's
            ``error`` and exits 3).
    """
    national.call("status_show")   # a national catalog that does not answer is exit 3,
    records = [r for r in all_datasets(agency, include_private=True)  # also with none to compare
               if not names or r.get("name") in names]
    return NationalStatus(
        national_url=national_url.rstrip("/"), agency_url=agency_url.rstrip("/"),
        checked_at=checked_at,
        datasets=tuple(dataset_status(r, national, national_url) for r in records))


def unanswered(*, agency_url: str, national_url: str, checked_at: str,
               error: str) -> NationalStatus:
    """The answer when a catalog could not be read: nothing is known to be registered."""
    return NationalStatus(national_url=national_url.rstrip("/"),
                          agency_url=agency_url.rstrip("/"), checked_at=checked_at, error=error)

