"""Which CKAN fields the pipeline owns (writes and diffs) and which it leaves to people.

Owned fields come from metadata/<id>.yaml and the derived fields; the pipeline is their source
of truth and overwrites a hand edit of them. Every other field (listed in ``HAND_EDITED_FIELDS``,
plus anything CKAN core offers such as ``author`` or ``version``) is never sent and never
diffed, so an edit made in the CKAN web form survives every run. docs/architecture.md lists both;
tests/catalog/test_payload.py checks them against the scheming schema.
"""

from __future__ import annotations

#: Dataset fields the pipeline owns: every DGA schema field except HAND_EDITED_FIELDS, plus
#: CKAN's ``private`` (decided by the gate, never by hand).
OWNED_DATASET_FIELDS: tuple[str, ...] = (
    "name", "title", "owner_org", "private", "notes", "tag_string",
    "data_type", "data_type_other", "allow_harvest", "allow_cdp",
    "maintainer", "maintainer_email", "objective", "objective_other",
    "update_frequency_unit", "update_frequency_unit_other", "update_frequency_interval",
    "geo_coverage", "geo_coverage_other", "data_source", "data_format", "data_format_other",
    "data_category", "data_classification", "license_id", "license_id_other",
    "accessible_condition", "url", "data_support", "data_support_other", "data_collect",
    "data_collect_other", "data_language", "data_language_other", "created_date",
    "last_updated_date", "data_release_calendar", "first_year_of_data", "last_year_of_data",
    "disaggregate", "disaggregate_other", "unit_of_measure", "unit_of_multiplier",
    "unit_of_multiplier_other", "calculation_method", "standard", "geographic_data_set",
    "equivalent_scale", "equivalent_scale_other", "west_bound_longitude",
    "east_bound_longitude", "north_bound_longitude", "south_bound_longitude",
    "positional_accuracy", "reference_period", "data_release_date", "high_value_dataset",
    "reference_data", "official_statistics",
    "senate_pipeline_id", "senate_withdrawn",
    # the trust panel: quality grade, open-data score, freshness
    "quality_grade", "quality_checked_at", "quality_report_url", "quality_trend",
    "open_data_score", "open_data_breakdown",   # open-data score
    "update_status", "update_due_date",   # freshness
)

#: The pipeline's own marks (schema fields with ``pipeline_field: true``, not thai_gdc ones):
#: which pipeline dataset a record belongs to, so a later run can find and withdraw it even
#: after its files are gone, and when and why it was withdrawn from public view.
OWNERSHIP_FIELD = "senate_pipeline_id"
WITHDRAWN_FIELD = "senate_withdrawn"

#: DGA dataset fields left to people in the CKAN form (a link to another catalog). ``url``, the
#: source's address, is owned: it is declared in metadata/<id>.yaml.
HAND_EDITED_FIELDS: tuple[str, ...] = ("reference_url_catalog",)

#: The resource field that keys a resource across runs (a CKAN resource extra; scheming keeps
#: unknown resource keys). Resources without it were added by hand and are never touched.
KIND_FIELD = "senate_kind"

#: Resource fields the pipeline diffs. ``url``, ``size`` and ``url_type`` are set by CKAN from
#: the upload; the file's content is compared through ``hash``.
OWNED_RESOURCE_FIELDS: tuple[str, ...] = (
    "name", "description", "format", "hash", "resource_private", "resource_last_updated_date",
    "license", KIND_FIELD,
)
