"""The quality grade and trend on the real CKAN, as an anonymous visitor gets them (the
trust panel): every public dataset of a run has its grade in the API and as a badge on its page and
in the search results, the grade is a working search facet, the quality history is published
with Thai headers and no hash, and a re-run writes nothing."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import quote

import pytest

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.catalog.owned import KIND_FIELD
from flows.orchestrate.plan_or_run import plan_or_run
from flows.records import PUBLIC_HISTORY_COLUMNS
from tests.integration.publish_helpers import copy_project, download, purge_test_datasets
from tests.integration.site_pages import get

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 28)
#: Datasets with and without warnings and waivers; the pilots reference each other, the KPI
#: progress references the register, which references the units.
DATASETS = ("senate-units", "kpi-register", "kpi-progress", "senate-votes", "senator-votes",
            "senators")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def graded(catalog_settings, stack_settings, tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("project"), DATASETS)
    client = CountingClient(CatalogClient(catalog_settings))
    runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="quality", dataset_ids=DATASETS)
    public = {run.dataset: run for run in runs
              if run.status in ("published", "unchanged") and run.prepared
              and run.described.treatment == "public"}
    yield root, public
    purge_test_datasets(catalog_settings, stack_settings, (*DATASETS, "senators-internal"))


def test_every_public_dataset_has_its_grade_in_the_api(graded, ckan_anonymous,
                                                       catalog_settings) -> None:
    _, public = graded
    assert set(public) == set(DATASETS)
    for dataset, run in public.items():
        shown = ckan_anonymous.call("package_show", id=dataset)
        wanted = run.described.fields
        assert shown["quality_grade"] == wanted["quality_grade"] in "ABCDE", dataset
        assert shown["quality_checked_at"] == wanted["quality_checked_at"], dataset
        assert shown["quality_report_url"] == (
            f"{catalog_settings.url.rstrip('/')}/dataset/{dataset}#quality")
        assert json.loads(shown["quality_trend"]), dataset


def test_a_dataset_with_warnings_is_not_graded_like_a_clean_one(graded, ckan_anonymous) -> None:
    _, public = graded
    warnings = public["kpi-progress"].result.counts()["warnings"]   # about one per row
    assert warnings >= 10 and public["kpi-register"].result.findings == []
    clean = ckan_anonymous.call("package_show", id="kpi-register")
    noisy = ckan_anonymous.call("package_show", id="kpi-progress")
    assert clean["quality_grade"] < noisy["quality_grade"]          # A is best
    data = next(r for r in noisy["resources"] if r.get(KIND_FIELD) == "data")
    assert f"ผ่านการตรวจสอบ มีข้อสังเกต {warnings} รายการ" in data["description"]
    assert "ผ่านการตรวจสอบคุณภาพแล้ว" not in data["description"]


def test_the_badge_and_trend_chart_are_on_each_dataset_page(graded, catalog_settings) -> None:
    _, public = graded
    for dataset, run in public.items():
        grade = run.described.fields["quality_grade"]
        status, html = get(f"{catalog_settings.url}/dataset/{dataset}")
        assert status == 200
        assert f'data-grade="{grade}"' in html, dataset
        assert 'id="quality"' in html                                  # quality_report_url's anchor
        svg = html[html.index("<svg", html.index('class="senate-quality-trend"')):]
        svg = svg[:svg.index("</svg>") + len("</svg>")]
        points = json.loads(run.described.fields["quality_trend"])
        circles = [c for c in ET.fromstring(svg).iter(f"{SVG}circle")
                   if "point-warnings" in c.get("class", "")]
        assert len(circles) == len(points), dataset
        assert "/download/report.html" in html                         # the report itself


def test_the_badge_is_in_the_search_results(graded, catalog_settings) -> None:
    _, public = graded
    status, html = get(f"{catalog_settings.url}/dataset/?q=name:kpi-register")
    assert status == 200
    grade = public["kpi-register"].described.fields["quality_grade"]
    assert 'class="badge senate-grade' in html and f'data-grade="{grade}"' in html


def test_the_grade_is_a_search_facet(graded, ckan_anonymous, catalog_settings) -> None:
    _, public = graded
    found = ckan_anonymous.call("package_search", q="*:*", rows=0,
                                **{"facet.field": json.dumps(["quality_grade"])})
    counts = {item["name"]: item["count"]
              for item in found["search_facets"]["quality_grade"]["items"]}
    for dataset, run in public.items():
        grade = run.described.fields["quality_grade"]
        assert counts.get(grade, 0) >= 1
        names = [p["name"] for p in ckan_anonymous.call(
            "package_search", fq=f'quality_grade:"{grade}"', rows=1000)["results"]]
        assert dataset in names
    _, html = get(f"{catalog_settings.url}/dataset/?quality_grade="
                  f"{quote(public['kpi-register'].described.fields['quality_grade'])}")
    assert "ระดับคุณภาพข้อมูล" in html                                   # the Thai facet title


def test_the_quality_history_is_published_in_thai_without_hashes(graded,
                                                                 ckan_anonymous) -> None:
    shown = ckan_anonymous.call("package_show", id="senate-votes")
    history = next(r for r in shown["resources"] if r.get(KIND_FIELD) == "quality-history")
    text = download(history["url"]).decode("utf-8")
    lines = text.splitlines()
    assert lines[0].split(",") == [header for _, header in PUBLIC_HISTORY_COLUMNS]
    assert len(lines) >= 2
    assert "sha256" not in text and not any(len(cell) == 64 for line in lines
                                            for cell in line.split(","))


def test_the_about_page_explains_the_grade_from_the_rule_file(graded, catalog_settings) -> None:
    _, html = get(f"{catalog_settings.url}/about")
    section = html[html.index('id="quality-rule"'):]
    for grade, label in (("A", "ดีมาก"), ("E", "ต้องแก้ไขก่อนเผยแพร่")):
        assert f'data-grade="{grade}"' in section and label in section


def test_a_re_run_writes_nothing_and_keeps_the_checked_at_date(graded, catalog_settings,
                                                               ckan_anonymous) -> None:
    root, public = graded
    before = {d: ckan_anonymous.call("package_show", id=d)["quality_checked_at"]
              for d in public}
    client = CountingClient(CatalogClient(catalog_settings))
    runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="again", dataset_ids=DATASETS)
    assert client.writes == []
    assert {run.status for run in runs} == {"unchanged"}
    for run in runs:
        assert run.described.fields["quality_checked_at"] == before[run.dataset]
