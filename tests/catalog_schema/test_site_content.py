"""What the catalog's own pages say (ckanext-senate_dga site_content.py), without CKAN: the
words file, the contacts of organization.yaml and the classification policy as tables."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ckanext.senate_dga.classification import (DEFAULT_POLICY_FILE, load_policy,
                                               policy_from_mapping)
from ckanext.senate_dga.site_content import (DEFAULT_ORGANIZATION_FILE, SITE_TEXT_FILE,
                                             SiteContentError, classification_rows,
                                             load_contacts, load_site_text, policy_rows)

TEMPLATES = SITE_TEXT_FILE.parent / "templates"


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_text_has_thai_and_english_and_answers_in_the_pages_language() -> None:
    text = load_site_text()
    declared = _yaml(SITE_TEXT_FILE)["texts"]
    assert set(text.texts) == set(declared)
    for key, entry in declared.items():
        assert text.text(key, "th") == entry["th"]
        assert text.text(key, "en") == entry["en"]
        assert text.text(key, None) == entry["th"]  # Thai first


def test_every_text_a_template_asks_for_is_declared() -> None:
    """A key missing from site_text.yaml would be a server error on a live page."""
    asked = {key for path in TEMPLATES.rglob("*.html")
             for key in re.findall(r"senate_text\('([a-z_]+)'\)", path.read_text("utf-8"))}
    assert asked
    assert asked <= set(load_site_text().texts), asked - set(load_site_text().texts)


def test_an_unknown_text_key_names_the_file_to_fix() -> None:
    with pytest.raises(SiteContentError, match="site_text.yaml has no text `nope`"):
        load_site_text().text("nope", "th")


def test_a_text_without_english_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "site_text.yaml"
    path.write_text("texts: {a: {th: ก}}\n"
                    "facets: {b: {th: ข, en: b}}\nroles: {c: {th: ค, en: c}}\n", encoding="utf-8")
    with pytest.raises(SiteContentError, match=r"texts.a needs a Thai \(th\) and an English"):
        load_site_text(path)


def test_facet_labels_cover_the_dga_facets_of_ckan_ini() -> None:
    ini = (SITE_TEXT_FILE.parents[3] / "ckan.ini.template").read_text(encoding="utf-8")
    facets = next(line for line in ini.splitlines() if line.startswith("search.facets"))
    assert set(facets.split("=", 1)[1].split()) <= set(load_site_text().facets)


def test_contacts_are_the_stakeholders_of_organization_yaml() -> None:
    declared = _yaml(DEFAULT_ORGANIZATION_FILE)["stakeholders"]
    contacts, points = load_contacts()
    assert [c.key for c in contacts] == list(declared)
    for contact in contacts:
        entry = declared[contact.key]
        assert (contact.role, contact.email) == (entry["role"], entry["email"])
        assert entry["bureau_th"] in contact.unit.th and entry["bureau_en"] in contact.unit.en
    assert set(load_site_text().roles) >= {c.role for c in contacts}
    assert points == (_yaml(DEFAULT_ORGANIZATION_FILE).get("contact_points") or [])


def test_a_stakeholder_without_a_mailbox_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "organization.yaml"
    path.write_text("stakeholders:\n  x: {role: data_owner}\n", encoding="utf-8")
    with pytest.raises(SiteContentError, match=r"stakeholders.x needs at least `role` and `email`"):
        load_contacts(path)


def test_policy_rows_are_every_allowed_pair_with_its_treatment() -> None:
    policy = load_policy()
    rows = policy_rows(policy)
    declared = _yaml(DEFAULT_POLICY_FILE)
    expected = [(category, classification) for category, entry in declared["categories"].items()
                for classification in entry["classifications"]]
    assert sorted((r.category, r.classification) for r in rows) == sorted(expected)
    for row in rows:
        assert row.treatment == policy.treatment(row.category, row.classification)
        assert row.label.th == declared["treatments"][row.treatment]["th"]
    assert [r.classification for r in classification_rows(policy)] == \
        list(declared["classifications"])


def test_policy_rows_follow_another_policy_too() -> None:
    policy = policy_from_mapping({
        "treatments": {t: {"th": f"th-{t}", "en": f"en-{t}"}
                       for t in ("public", "internal", "withheld")},
        "classifications": {"open": "public", "closed": "withheld"},
        "categories": {"mixed": {"treatment": "public", "classifications": ["closed", "open"]}},
    })
    rows = policy_rows(policy)
    # in the order the classifications are declared, whatever the category lists
    assert [(r.classification, r.treatment, r.label.en) for r in rows] == [
        ("open", "public", "en-public"), ("closed", "withheld", "en-withheld")]
