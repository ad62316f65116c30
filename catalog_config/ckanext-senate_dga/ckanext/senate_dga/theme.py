"""The ``senate_dga_theme`` plugin: the Senate Secretariat's Thai-first look of the catalog.

Templates (templates/) replace CKAN's stock home and about pages and the dataset and resource
tables; static files (public/) hold the catalog's own mark and style. The words come from
declared files, read once at start-up (site_content.py): site_text.yaml, organization.yaml
(``senate_dga.organization_file``) and the classification policy
(``senate_dga.classification_policy``). The licences come from CKAN's own licence register.

The plugin is listed before ``scheming_datasets`` in ``ckan.plugins``: CKAN calls IConfigurer
in reverse order, so this extension's template folder is searched first and its overrides of
scheming's snippets win.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Optional

from markupsafe import Markup

import ckan.plugins as plugins
import ckan.plugins.toolkit as toolkit

from ckanext.senate_dga import site_content
from ckanext.senate_dga.classification import ClassificationPolicy, Label, load_policy
from ckanext.senate_dga.plugin import POLICY_OPTION
from ckanext.senate_dga.quality_rule import QualityRule, load_quality_rule
from ckanext.senate_dga.trend_svg import trend_points, trend_svg

#: ckan.ini option naming the organisation file (default: the repository's
#: catalog_config/organization.yaml): the about page lists its stakeholders' mailboxes.
ORGANIZATION_OPTION = "senate_dga.organization_file"
#: ckan.ini option naming the quality-grade rule (default: the repository's
#: catalog_config/quality_grade.yaml): the about page explains it, the badges name its grades.
QUALITY_RULE_OPTION = "senate_dga.quality_grade_rule"
#: How many datasets the home page lists as the newest.
NEWEST_DATASETS = 6


class _Loaded:
    """What configure() read at start-up; the helpers only read it."""

    text: site_content.SiteText
    policy: ClassificationPolicy
    quality: QualityRule
    contacts: list[site_content.Contact] = []
    contact_points: list[dict[str, str]] = []


class SenateThemePlugin(plugins.SingletonPlugin):
    """Templates, static files, template helpers and Thai facet headings of the catalog."""

    plugins.implements(plugins.IConfigurer)
    plugins.implements(plugins.IConfigurable)
    plugins.implements(plugins.ITemplateHelpers)
    plugins.implements(plugins.IFacets, inherit=True)

    def update_config(self, config: Any) -> None:
        toolkit.add_template_directory(config, "templates")
        toolkit.add_public_directory(config, "public")

    def configure(self, config: Any) -> None:
        # Read once: a broken file stops CKAN at start with the file's problem, not a page
        # later with a traceback.
        _Loaded.text = site_content.load_site_text()
        _Loaded.policy = load_policy(config.get(POLICY_OPTION) or None)
        _Loaded.quality = load_quality_rule(config.get(QUALITY_RULE_OPTION) or None)
        _Loaded.contacts, _Loaded.contact_points = site_content.load_contacts(
            config.get(ORGANIZATION_OPTION) or None)

    def get_helpers(self) -> dict[str, Callable]:
        return {
            "senate_text": senate_text,
            "senate_pick": senate_pick,
            "senate_role": senate_role,
            "senate_facet": senate_facet,
            "senate_policy": senate_policy,
            "senate_contacts": lambda: _Loaded.contacts,
            "senate_contact_points": lambda: _Loaded.contact_points,
            "senate_licences": senate_licences,
            "senate_groups": senate_groups,
            "senate_newest_datasets": senate_newest_datasets,
            "senate_date": senate_date,
            "senate_has_value": senate_has_value,
            "senate_quality_rule": lambda: _Loaded.quality,
            "senate_quality_grade": senate_quality_grade,
            "senate_quality_trend": senate_quality_trend,
            "senate_quality_report": senate_quality_report,
            "senate_open_data_breakdown": senate_open_data_breakdown,
        }

    def dataset_facets(self, facets_dict: OrderedDict, package_type: str) -> OrderedDict:
        return _thai_facet_titles(facets_dict)

    def group_facets(self, facets_dict: OrderedDict, group_type: str,
                     package_type: Optional[str]) -> OrderedDict:
        return _thai_facet_titles(facets_dict)

    def organization_facets(self, facets_dict: OrderedDict, organization_type: str,
                            package_type: Optional[str]) -> OrderedDict:
        return _thai_facet_titles(facets_dict)


def senate_text(key: str) -> str:
    """The page's own text ``key`` in the page's language."""
    return _Loaded.text.text(key, toolkit.h.lang())


def senate_pick(label: Label) -> str:
    return site_content.pick(label, toolkit.h.lang())


def senate_facet(name: str) -> str:
    """A facet's heading (data_category -> หมวดหมู่ข้อมูล), as the search page shows it."""
    label = _Loaded.text.facets.get(name)
    return senate_pick(label) if label else name


def senate_role(role: str) -> str:
    """A stakeholder role's name (data_owner -> เจ้าของข้อมูล); an unlisted role as written."""
    label = _Loaded.text.roles.get(role)
    return senate_pick(label) if label else role


def senate_policy() -> dict[str, Any]:
    """The classification policy as the about page's tables."""
    policy = _Loaded.policy
    return {"pairs": site_content.policy_rows(policy),
            "classifications": site_content.classification_rows(policy),
            "unknown": policy.label(policy.unknown)}


def senate_licences() -> list[dict[str, Any]]:
    """CKAN's licence register (licenses_group_url), as ``license_list`` serves it."""
    return toolkit.get_action("license_list")({}, {})


def senate_groups() -> list[dict[str, Any]]:
    """The catalog's groups with their public dataset counts."""
    return toolkit.get_action("group_list")({}, {"all_fields": True, "sort": "title asc"})


def senate_newest_datasets(limit: int = NEWEST_DATASETS) -> list[dict[str, Any]]:
    """The public datasets most recently registered in the catalog."""
    found = toolkit.get_action("package_search")(
        {}, {"q": "*:*", "rows": limit, "sort": "metadata_created desc",
             "include_private": False})
    return found["results"]


def senate_date(value: Any) -> str:
    """A stored date or timestamp as its calendar date (YYYY-MM-DD), the way the metadata
    states it; '' when there is none."""
    if not value:
        return ""
    return str(value).replace("T", " ").split()[0]


def senate_has_value(value: Any) -> bool:
    """Whether a field holds something to show: not None, blank text or an empty list (a
    multiple-choice field with nothing chosen is stored as '[]')."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() not in ("", "[]")
    if isinstance(value, (list, tuple, dict)):
        return bool(value)
    return True


#: The marks of the open-data breakdown (trust panel); anything else is not shown.
_OPEN_DATA_MARKS = ("pass", "partial", "fail")


def senate_open_data_breakdown(value: Any) -> list[dict[str, str]]:
    """The pipeline's ``open_data_breakdown`` (JSON text: one entry per characteristic) as
    rows for the trust panel; [] when it is missing or not that shape (the panel then shows
    the score alone)."""
    import json

    try:
        entries = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return []
    if not isinstance(entries, list):
        return []
    keys = ("key", "th", "en", "mark", "mark_th", "points", "reason")
    return [{key: str(entry.get(key) or "") for key in keys} for entry in entries
            if isinstance(entry, dict) and entry.get("mark") in _OPEN_DATA_MARKS]


def senate_quality_grade(grade: Any) -> Optional[dict[str, Any]]:
    """A dataset's ``quality_grade`` as the badge shows it: ``{grade, label, rank}`` (rank 0 is
    the best grade of the rule), or None for no grade or one the rule does not know."""
    rule = _Loaded.quality
    found = rule.grade_named(str(grade or ""))
    if found is None:
        return None
    return {"grade": found.grade, "label": senate_pick(found.label),
            "rank": rule.grades.index(found)}


def senate_quality_trend(value: Any) -> Markup:
    """The chart of a dataset's ``quality_trend`` field (inline SVG drawn by trend_svg, whose
    every text is escaped); empty when the field is missing or not the pipeline's JSON."""
    return Markup(trend_svg(trend_points(value)))


def senate_quality_report(pkg: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The dataset's validation-report resource (the pipeline's ``senate_kind: report``)."""
    return next((resource for resource in pkg.get("resources") or []
                 if resource.get("senate_kind") == "report"), None)


def _thai_facet_titles(facets_dict: OrderedDict) -> OrderedDict:
    language = toolkit.h.lang()
    for name, label in _Loaded.text.facets.items():
        if name in facets_dict:
            facets_dict[name] = site_content.pick(label, language)
    return facets_dict
