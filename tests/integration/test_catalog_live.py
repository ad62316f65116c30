"""The running catalog: extensions, organisation, search (Thai), DCAT, secrets hygiene."""

from __future__ import annotations

import stat
import urllib.request

import pytest

from flows.catalog import load_layout
from flows.catalog.preflight import REQUIRED_PLUGINS
from flows.settings import PROJECT_ROOT, read_secret_file
from flows.stack.paths import StackPaths
from tests.integration.dga_payloads import ORG, valid_dataset

pytestmark = pytest.mark.integration


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def test_status_show_lists_scheming_and_dcat(ckan_anonymous) -> None:
    status = ckan_anonymous.call("status_show")
    assert status["ckan_version"] == "2.11.6"
    assert {"scheming_datasets", "dcat", "senate_dga"} <= set(status["extensions"])
    # what the pipeline's start-up check demands of any catalog
    assert set(REQUIRED_PLUGINS) | {"senate_dga_theme", "datatables_view"} <= \
        set(status["extensions"])
    assert status["locale_default"] == "th"


def test_organisation_and_groups_follow_the_yaml(ckan_anonymous) -> None:
    layout = load_layout(PROJECT_ROOT / "catalog_config" / "organization.yaml")
    org = ckan_anonymous.call("organization_show", id=ORG)
    assert org["title"] == layout.organization["title"]
    assert set(ckan_anonymous.call("group_list")) >= {g["name"] for g in layout.groups}


def test_dataset_is_found_by_a_thai_word_of_its_title_and_by_tag(create_dataset,
                                                                 ckan_anonymous,
                                                                 unique_name) -> None:
    # The title has no space around the searched words (Thai writes words together).
    payload = {**valid_dataset(unique_name("search")),
               "title": f"สถิติการประชุมคณะกรรมาธิการวิสามัญ {unique_name('t')}",
               "tag_string": "กรรมาธิการ,committee"}
    create_dataset(**payload)
    for query in ("คณะกรรมาธิการ", "การประชุม", "วิสามัญ"):
        found = ckan_anonymous.call("package_search", q=query, rows=1000)
        assert payload["name"] in [p["name"] for p in found["results"]], query
    by_tag = ckan_anonymous.call("package_search", fq='tags:"กรรมาธิการ"', rows=1000)
    assert payload["name"] in [p["name"] for p in by_tag["results"]]
    facets = ckan_anonymous.call("package_search", q=payload["name"],
                                 **{"facet.field": '["data_category"]'})
    assert facets["search_facets"]["data_category"]["items"][0]["name"] == "ข้อมูลสาธารณะ"


def test_private_datasets_are_invisible_to_the_public(create_dataset, ckan_anonymous,
                                                      unique_name) -> None:
    payload = {**valid_dataset(unique_name("private")), "private": True,
               "data_category": "ข้อมูลใช้ภายใน", "data_classification": "ชั้นเผยแพร่ภายในองค์กร"}
    create_dataset(**payload)
    found = ckan_anonymous.call("package_search", q=payload["name"], include_private=True)
    assert payload["name"] not in [p["name"] for p in found["results"]]


def test_catalog_ttl_lists_the_dataset(create_dataset, catalog_settings, unique_name) -> None:
    payload = valid_dataset(unique_name("dcat"))
    created = create_dataset(**payload)
    turtle = _get(f"{catalog_settings.url}/catalog.ttl")
    assert f"{catalog_settings.url}/dataset/{created['id']}" in turtle
    assert payload["title"] in turtle
    one = _get(f"{catalog_settings.url}/dataset/{payload['name']}.jsonld")
    assert payload["title"] in one


def test_token_file_is_private_and_never_logged(stack_settings) -> None:
    paths = StackPaths(stack_settings)
    assert stat.S_IMODE(paths.token.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.secrets.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.ckan_ini.stat().st_mode) == 0o600
    token = read_secret_file(paths.token)
    for log in paths.instance.rglob("*.log"):
        if log.is_file() and log.stat().st_size:
            assert token not in log.read_text(encoding="utf-8", errors="replace"), log
