"""The records the pipeline put in the catalog, found by their ownership mark.

Every record the pipeline writes carries ``senate_pipeline_id`` (flows.catalog.owned): the id
of the dataset it came from. That is how a run finds the records of datasets that have left the
repository (their metadata file is gone, so nothing else names them) and withdraws them.
Records without the mark were made by hand and are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.catalog.counting import ActionCaller
from flows.catalog.owned import OWNERSHIP_FIELD
from flows.catalog.retry import RetryPolicy, call_with_retry

#: Records per search page (CKAN's default ``ckan.search.rows_max`` is 1000).
PAGE_SIZE = 500


@dataclass(frozen=True)
class MarkedRecord:
    """One catalog record carrying the pipeline's mark."""

    name: str
    dataset: str                 # the pipeline dataset id it came from
    groups: tuple[str, ...]
    private: bool


def marked_records(client: ActionCaller, *, organization: str, retry: RetryPolicy,
                   page_size: int = PAGE_SIZE) -> list[MarkedRecord]:
    """Every record of ``organization`` (private and draft ones too) carrying the mark.

    Needs a client that may see the organisation's private records (the pipeline's token).
    """
    found: list[MarkedRecord] = []
    start = 0
    while True:
        page = call_with_retry(lambda: client.call(
            "package_search", fq=f'organization:"{organization}"', include_private=True,
            include_drafts=True, rows=page_size, start=start, sort="name asc"),
            retry, idempotent=True)
        results = page.get("results") or []
        found += [_record(package) for package in results if package.get(OWNERSHIP_FIELD)]
        start += len(results)
        if not results or start >= int(page.get("count") or 0):
            return found


def orphan_datasets(found: list[MarkedRecord], *, known_ids: frozenset[str] | set[str],
                    groups: tuple[str, ...] | None) -> list[str]:
    """The dataset ids of ``found`` that the repository no longer has, sorted: all of them
    (``groups`` None), or only those with a record filed in one of ``groups``."""
    return sorted({record.dataset for record in found
                   if record.dataset not in known_ids
                   and (groups is None or set(groups) & set(record.groups))})


def _record(package: dict) -> MarkedRecord:
    return MarkedRecord(name=package["name"], dataset=str(package[OWNERSHIP_FIELD]),
                        groups=tuple(g.get("name", "") for g in package.get("groups") or []),
                        private=bool(package.get("private")))
