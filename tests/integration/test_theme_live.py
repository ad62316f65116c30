"""The Senate catalog's own pages on the real CKAN, as an anonymous visitor sees them (the
Senate theme, dates): the home and about pages say nothing of a stock CKAN, the about page lists the
licence register, the classification policy and the contacts, the facets are headed in Thai,
a dataset page has no empty DGA row and shows the data's own last update, /en/ works. Headless
Chromium keeps screenshots of the home, a dataset and a resource page.

Every expectation is read from the declared files (classification.yaml, organization.yaml, the
extension's site_text.yaml) or from the catalog's API, never copied into this file.
"""

from __future__ import annotations

import html
import json
import os
import re
import struct
import subprocess
import urllib.parse
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.catalog import CatalogClient
from flows.catalog.owned import KIND_FIELD
from flows.orchestrate.plan_or_run import plan_or_run
from flows.settings import PROJECT_ROOT
from flows.stack.paths import StackPaths
from tests.integration.publish_helpers import copy_project, purge_test_datasets
from tests.integration.site_pages import THAI, get, parse, stock_texts

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 28)
#: Two small datasets of different shapes (a code list and a KPI evidence table). Like every live
#: module, this one publishes what it reads itself and purges it afterwards on the test stack.
DATASETS = ("senate-units", "kpi-2-1-legislative-systems")
CONFIG = PROJECT_ROOT / "catalog_config"
SITE_TEXT = CONFIG / "ckanext-senate_dga" / "ckanext" / "senate_dga" / "site_text.yaml"
SCREENS = Path(os.environ.get("SENATE_SCREENSHOT_DIR")
               or PROJECT_ROOT / "out" / "test-artifacts" / "screens")


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site_text() -> dict[str, Any]:
    return _yaml(SITE_TEXT)


@pytest.fixture(scope="module")
def published(catalog_settings, stack_settings, ckan_anonymous,
              tmp_path_factory) -> dict[str, dict]:
    """The datasets as the public API shows them after a pipeline run."""
    root = copy_project(tmp_path_factory.mktemp("project"), DATASETS)
    client = CatalogClient(catalog_settings)
    runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="theme", dataset_ids=DATASETS)
    assert {run.status for run in runs} <= {"published", "unchanged"}, \
        [(run.dataset, run.status, run.reason) for run in runs]
    yield {name: ckan_anonymous.call("package_show", id=name) for name in DATASETS}
    purge_test_datasets(catalog_settings, stack_settings, DATASETS)


@pytest.fixture(scope="module")
def pages(catalog_settings, published) -> dict[str, str]:
    """Each page fetched once, in Thai (the default) and in English."""
    url = catalog_settings.url
    fetched = {}
    for key, path in (("home", "/"), ("about", "/about"), ("en_home", "/en/"),
                      ("en_about", "/en/about")):
        status, text = get(url + path)
        assert status == 200, path
        fetched[key] = text
    return fetched


@pytest.fixture(scope="module")
def stock(stack_settings) -> list[str]:
    return stock_texts(StackPaths(stack_settings).ckan_venv)


# -- home -------------------------------------------------------------------------------------

def test_home_and_about_have_no_stock_ckan_text(pages, stock) -> None:
    assert "Welcome to CKAN" in stock and "Popular tags" in stock
    for key in ("home", "about", "en_home", "en_about"):
        page = html.unescape(pages[key])
        # a whole stock text, not the start of a longer word ("Search data" in "Search datasets")
        found = [text for text in stock if re.search(re.escape(text) + r"(?!\w)", page)]
        assert not found, (key, found)


def test_home_shows_the_senate_title_mark_and_intro(pages, ckan_anonymous,
                                                    catalog_settings) -> None:
    status = ckan_anonymous.call("status_show")
    home = html.unescape(pages["home"])
    assert "สำนักงานเลขาธิการวุฒิสภา" in status["site_title"]
    assert status["site_title"] in home
    logo = _attribute_of(home, 'class="senate-promotion-mark"', "src")
    code, svg = get(urllib.parse.urljoin(catalog_settings.url + "/", logo))
    assert code == 200 and "<svg" in svg


def test_home_lists_every_group_and_the_newest_datasets(pages, ckan_anonymous,
                                                        published) -> None:
    home = html.unescape(pages["home"])
    groups = ckan_anonymous.call("group_list", all_fields=True)
    assert groups
    for group in groups:
        assert group["display_name"] in home, group["name"]
        assert f'href="/group/{group["name"]}"' in home
    newest = ckan_anonymous.call("package_search", q="*:*", rows=6,
                                 sort="metadata_created desc")["results"]
    assert {name for name in published} & {p["name"] for p in newest}
    for package in newest:
        assert f'href="/dataset/{package["name"]}"' in home, package["name"]


def test_home_search_box_has_a_thai_placeholder(pages, site_text) -> None:
    box = next(i for i in parse(pages["home"]).inputs if i.get("id") == "field-main-search")
    assert THAI.search(box["placeholder"]), box
    assert box["placeholder"] == site_text["texts"]["home_search_placeholder"]["th"]
    en_box = next(i for i in parse(pages["en_home"]).inputs if i.get("id") == "field-main-search")
    assert en_box["placeholder"] == site_text["texts"]["home_search_placeholder"]["en"]


# -- about ------------------------------------------------------------------------------------

def test_about_lists_every_licence_of_the_register(pages, ckan_anonymous) -> None:
    licences = ckan_anonymous.call("license_list")
    declared = json.loads((CONFIG / "licenses.json").read_text(encoding="utf-8"))
    assert {entry["id"] for entry in licences} >= {entry["id"] for entry in declared}
    about = html.unescape(pages["about"])
    for licence in licences:
        assert f"<code>{licence['id']}</code>" in about
        assert licence["title"] in about, licence["id"]


def test_about_states_the_classification_policy_of_the_file(pages) -> None:
    policy = _yaml(CONFIG / "classification.yaml")
    about, en_about = html.unescape(pages["about"]), html.unescape(pages["en_about"])
    for treatment in policy["treatments"].values():
        assert treatment["th"] in about
        assert treatment["en"] in en_about
    for category in policy["categories"]:
        assert category in about
    for classification in policy["classifications"]:
        assert classification in about
    pairs = sum(len(entry["classifications"]) for entry in policy["categories"].values())
    assert about.count('class="senate-policy-pair') == pairs


def test_about_lists_the_stakeholders_mailboxes(pages) -> None:
    organization = _yaml(CONFIG / "organization.yaml")
    mailboxes = {entry["email"] for entry in organization["stakeholders"].values()}
    mailboxes |= {p["email"] for p in organization.get("contact_points") or [] if p.get("email")}
    assert mailboxes
    for mailbox in mailboxes:
        assert f'href="mailto:{mailbox}"' in pages["about"], mailbox


# -- search facets ----------------------------------------------------------------------------

def test_facet_headings_are_thai_and_english_on_en(pages, site_text, catalog_settings,
                                                   ckan_anonymous) -> None:
    group = ckan_anonymous.call("group_list")[0]
    organization = ckan_anonymous.call("organization_list")[0]
    facets = site_text["facets"]
    for path in ("/dataset/", f"/group/{group}", f"/organization/{organization}"):
        thai = parse(get(catalog_settings.url + path)[1]).facet_headings
        english = parse(get(catalog_settings.url + "/en" + path)[1]).facet_headings
        assert thai and len(thai) == len(english), path
        for heading in thai:
            assert THAI.search(heading), (path, heading)
        for heading in english:
            assert not THAI.search(heading), (path, heading)
        for name in ("data_category", "data_classification"):
            assert facets[name]["th"] in thai and facets[name]["en"] in english, path
            assert name not in thai


def test_search_sort_by_record_time_says_so(catalog_settings, site_text) -> None:
    """CKAN's "Last Modified" sort orders by the catalog record's time, not the data's."""
    _, text = get(f"{catalog_settings.url}/dataset/")
    option = re.search(r'<option value="metadata_modified desc"[^>]*>([^<]*)</option>', text)
    assert option and option.group(1).strip() == site_text["texts"]["date_record_updated"]["th"]


# -- dataset and resource pages ---------------------------------------------------------------

def test_dataset_page_has_no_empty_dga_row(catalog_settings, published) -> None:
    for name in published:
        _, text = get(f"{catalog_settings.url}/dataset/{name}")
        rows = [row for row in parse(text).rows if row.attrs.get("class") == "dataset-details"]
        assert len(rows) > 10, name
        empty = [row.label for row in rows if not row.value]
        assert not empty, (name, empty)


def test_dataset_page_shows_the_datas_own_last_update(catalog_settings, published,
                                                      site_text) -> None:
    label = site_text["texts"]["date_data_updated"]
    record = site_text["texts"]["date_record_updated"]
    for name, package in published.items():
        for prefix, language in (("", "th"), ("/en", "en")):
            _, text = get(f"{catalog_settings.url}{prefix}/dataset/{name}")
            rows = {row.attrs.get("data-field"): row for row in parse(text).rows}
            shown = rows["last_updated_date"]
            assert shown.label == label[language]
            assert shown.value == package["last_updated_date"][:10], name
            assert rows["metadata_modified"].label == record[language]


def test_resource_page_shows_the_datas_own_last_update(catalog_settings, published,
                                                       site_text) -> None:
    label = site_text["texts"]["date_data_updated"]
    for name, package in published.items():
        for resource in package["resources"]:
            wanted = (resource.get("resource_last_updated_date")
                      or package["last_updated_date"])[:10]
            _, text = get(f"{catalog_settings.url}/dataset/{name}/resource/{resource['id']}")
            rows = {row.attrs.get("data-field"): row for row in parse(text).rows}
            shown = rows["resource_last_updated_date"]
            assert (shown.label, shown.value) == (label["th"], wanted), resource["name"]
            record = rows["metadata_modified"]
            assert record.label == site_text["texts"]["date_record_updated"]["th"]
            # the same date is not repeated under the schema's own label further down
            assert [r.label for r in parse(text).rows].count(label["th"]) == 1


def test_english_pages_answer_in_english(catalog_settings, published, pages, site_text) -> None:
    name = next(iter(published))
    resource = published[name]["resources"][0]["id"]
    texts = site_text["texts"]
    resource_page = f"/en/dataset/{name}/resource/{resource}"
    for path, own in (("/en/", texts["home_search_heading"]["en"]),
                      ("/en/about", texts["about_licences_heading"]["en"]),
                      ("/en/dataset/", None),
                      (f"/en/dataset/{name}", texts["date_data_updated"]["en"]),
                      (resource_page, texts["date_data_updated"]["en"])):
        status, text = get(catalog_settings.url + path)
        assert status == 200, path
        assert '<html lang="en"' in text, path
        assert ">Datasets<" in text, path  # CKAN's own navigation, translated by CKAN
        if own:
            assert own in text, path


# -- screenshots --------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


@pytest.mark.browser
def test_screenshots_of_home_dataset_and_resource_are_kept(chromium, catalog_settings,
                                                            published, tmp_path) -> None:
    """PNGs for a person to look at, in out/test-artifacts/screens/ (or SENATE_SCREENSHOT_DIR).
    The resource page is the data file's: its preview when the catalog has made one."""
    name = DATASETS[0]
    data = next(r for r in published[name]["resources"] if r.get(KIND_FIELD) == "data")
    SCREENS.mkdir(parents=True, exist_ok=True)
    # only the catalog itself: any other host resolves to nothing
    offline = (f"--host-resolver-rules=MAP * ~NOTFOUND, "
               f"EXCLUDE {urllib.parse.urlsplit(catalog_settings.url).hostname}")
    for shot, path, height in (("home", "/", 1400), ("dataset", f"/dataset/{name}", 2400),
                               ("resource", f"/dataset/{name}/resource/{data['id']}", 1800)):
        target = SCREENS / f"catalog-{shot}.png"
        target.unlink(missing_ok=True)
        completed = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, offline, f"--user-data-dir={tmp_path / 'profile'}",
             f"--screenshot={target}", f"--window-size=1280,{height}",
             "--virtual-time-budget=10000", catalog_settings.url + path],
            capture_output=True, text=True, timeout=120, check=False)
        assert completed.returncode == 0, completed.stderr[-3000:]
        png = target.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n", target
        assert struct.unpack(">II", png[16:24]) == (1280, height)


def _attribute_of(text: str, marker: str, attribute: str) -> str:
    tag = text[text.rindex("<", 0, text.index(marker)):]
    tag = tag[:tag.index(">")]
    return tag.split(f'{attribute}="', 1)[1].split('"', 1)[0]


@pytest.mark.browser
def test_chromium_renders_grade_score_and_update_status_on_every_dataset_page(
        chromium, catalog_settings, published, tmp_path) -> None:
    """Trust panel: "is it good, is it open, is it current" as a browser renders the page (not only
    in the HTML CKAN sends): each value the API holds is in the page's trust panel. A screenshot
    of each page is kept next to the others."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    offline = (f"--host-resolver-rules=MAP * ~NOTFOUND, "
               f"EXCLUDE {urllib.parse.urlsplit(catalog_settings.url).hostname}")
    for name, package in published.items():
        url = f"{catalog_settings.url}/dataset/{name}"
        rendered = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, offline, f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=10000", "--dump-dom", url],
            capture_output=True, text=True, timeout=120, check=False)
        assert rendered.returncode == 0, rendered.stderr[-3000:]
        dom = rendered.stdout
        panel = dom[dom.index('class="senate-trust"'):]
        panel = panel[:panel.index("</section>")]
        for field, marker in (("quality_grade", 'data-grade="{}"'),
                              ("open_data_score", 'data-score="{}"'),
                              ("update_status", 'data-status="{}"')):
            assert package.get(field), (name, field)   # every public dataset has all three
            assert marker.format(html.escape(package[field])) in panel, (name, field)
        target = SCREENS / f"catalog-trust-{name}.png"
        target.unlink(missing_ok=True)
        shot = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, offline, f"--user-data-dir={tmp_path / 'profile'}",
             f"--screenshot={target}", "--window-size=1280,1600",
             "--virtual-time-budget=10000", url],
            capture_output=True, text=True, timeout=120, check=False)
        assert shot.returncode == 0 and target.read_bytes()[:4] == b"\x89PNG", shot.stderr[-2000:]
