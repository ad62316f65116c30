"""The ``data-dictionary`` dataset's deriver (flows.orchestrate.derive, ``catalog/dictionary``):
the catalog-wide dictionary of the public datasets, as its data file and a readable page.

What it covers and why is in flows.describe.dictionary_public.
"""

from __future__ import annotations

from flows.datasets import DatasetSpec, DeriveContext, ExtraFile
from flows.describe.dictionary_public import (PAGE_NAME, public_dataset_ids,
                                              public_dictionary_entries, write_public_dictionary)

#: The resource kind of the readable page (labels in flows.describe.describe).
PAGE_KIND = "catalog-dictionary-page"


def derive_public_dictionary(spec: DatasetSpec, context: DeriveContext) -> list[ExtraFile]:
    """Write ``datasets/<id>/<id>.csv`` (one row per public field of every public dataset) and
    ``out/<id>/catalog-dictionary.html``; the page is registered with the dataset.

    A run before any dataset was published publicly writes a header-only file: its validation
    holds it (the suite asks for at least one row), so an empty dictionary is never published.
    """
    covered = public_dataset_ids(context.root, context.history, exclude=[spec.id])
    entries = public_dictionary_entries(context.root, covered)
    files = write_public_dictionary(entries, csv_path=spec.csv_path,
                                    page_path=context.out_dir / spec.id / PAGE_NAME)
    return [ExtraFile(PAGE_KIND, files["html"], "HTML")]
