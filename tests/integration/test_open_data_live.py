"""The open-data score on the real CKAN, as the public sees it (the trust panel).

A few datasets of different kinds (the agency's own registers, and ELECT's compilation with a
private companion) go through the whole pipeline on a copy of the project; then, anonymously:
every public dataset has ``open_data_score`` and its ten-row breakdown in the API and on its
page, and a second run writes nothing.
"""

from __future__ import annotations

import html
import json
import re
import urllib.request
from datetime import date

import pytest

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.describe.open_data_rules import load_open_data_rules
from flows.orchestrate.plan_or_run import plan_or_run
from tests.integration.publish_helpers import copy_project, purge_test_datasets

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 28)
DATASETS = ("senate-units", "kpi-register", "senators")


@pytest.fixture(scope="module")
def published(catalog_settings, stack_settings, tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("project"), DATASETS)
    client = CountingClient(CatalogClient(catalog_settings))
    runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="open-data",
                       dataset_ids=DATASETS)
    yield root, {run.dataset: run for run in runs}
    purge_test_datasets(catalog_settings, stack_settings, (*DATASETS, "senators-internal"))


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def test_every_public_dataset_has_its_score_and_breakdown_in_the_api(published,
                                                                     ckan_anonymous):
    _, runs = published
    assert {run.status for run in runs.values()} == {"published"}, {
        d: (r.status, r.reason) for d, r in runs.items()}
    keys = [c.key for c in load_open_data_rules().characteristics]
    for dataset, run in runs.items():
        package = ckan_anonymous.call("package_show", id=dataset)
        assert package["open_data_score"] == run.described.fields["open_data_score"]
        assert re.fullmatch(r"\d+(\.5)?/10", package["open_data_score"])
        rows = json.loads(package["open_data_breakdown"])
        assert [row["key"] for row in rows] == keys
        assert all(row["mark"] in ("pass", "partial", "fail") and row["reason"] for row in rows)
        total = sum(float(row["points"]) for row in rows)
        assert package["open_data_score"] == f"{total:g}/10"
    marks = {row["key"]: row["mark"] for row in json.loads(
        ckan_anonymous.call("package_show", id="senators")["open_data_breakdown"])}
    assert marks["primary"] == "fail"          # compiled by ELECT: not primary
    assert marks["accessible"] == marks["licence_free"] == "pass"


def test_the_page_shows_the_ten_characteristics_with_marks_and_reasons(published,
                                                                       catalog_settings,
                                                                       ckan_anonymous):
    _, runs = published
    for dataset in runs:
        package = ckan_anonymous.call("package_show", id=dataset)
        page = html.unescape(_page(f"{catalog_settings.url}/dataset/{dataset}"))
        assert f'data-score="{package["open_data_score"]}"' in page
        rows = json.loads(package["open_data_breakdown"])
        shown = re.findall(r'data-characteristic="([a-z_]+)" data-mark="([a-z]+)"', page)
        assert shown == [(row["key"], row["mark"]) for row in rows]
        for row in rows:
            assert row["th"] in page and row["reason"] in page
        # the raw JSON is not dumped into the DGA table as well
        assert package["open_data_breakdown"] not in page


def test_the_catalog_keeps_versions_with_the_plugin_the_rule_names(ckan_anonymous):
    plugin = load_open_data_rules().characteristic("permanent").params["version_plugin"]
    assert plugin in ckan_anonymous.call("status_show")["extensions"]


def test_a_second_run_writes_nothing(published, catalog_settings):
    root, _ = published
    client = CountingClient(CatalogClient(catalog_settings))
    runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="open-data-again",
                       dataset_ids=DATASETS)
    assert client.writes == []
    assert {run.status for run in runs} == {"unchanged"}
