"""True freshness on the real CKAN (the trust panel): update_status and the data's own last
update in the API, on the public page and in the KPI 1.3 report; a dataset made overdue by a
far-ahead ``today`` shows เกินกำหนด everywhere, and a re-run on the same day writes nothing."""

from __future__ import annotations

import urllib.request
from datetime import date

import pytest

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.orchestrate.plan_or_run import plan_or_run
from tests.integration.publish_helpers import copy_project, purge_test_datasets

pytestmark = pytest.mark.integration

TODAY = date(2026, 12, 5)
FAR_AHEAD = date(2027, 12, 1)            # kpi-progress: due 2027-05-28 (every half year)
PROGRESS = "kpi-progress"                # reported_on 2026-11-28 is its own last update
REPORT = "kpi-1-3-conditions"
#: kpi-progress and the datasets its keys reference, and the KPI 1.3 report's dataset.
DATASETS = (PROGRESS, "kpi-register", "senate-units", REPORT)


def _run(root, settings, today: date, run_id: str) -> CountingClient:
    client = CountingClient(CatalogClient(settings))
    outcomes = plan_or_run(root, client=client, out_dir=root / "out", today=today,
                           catalog_url=settings.url, run_id=run_id, dataset_ids=DATASETS)
    failed = {o.dataset: o.reason for o in outcomes if o.status in ("failed", "held")}
    assert not failed, failed
    return client


def _page(settings, name: str) -> str:
    with urllib.request.urlopen(f"{settings.url}/dataset/{name}", timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def project(catalog_settings, stack_settings, tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("freshness"), DATASETS)
    _run(root, catalog_settings, TODAY, "fresh-1")
    yield root
    purge_test_datasets(catalog_settings, stack_settings, DATASETS)


def test_on_schedule_with_the_data_s_own_date(project, ckan_anonymous, catalog_settings):
    package = ckan_anonymous.call("package_show", id=PROGRESS)
    assert (package["update_status"], package["last_updated_date"],
            package["update_due_date"]) == ("ตรงตามรอบ", "2026-11-28", "2027-05-28")
    # An FY2567 dataset covers 2567, whatever year it was reported in.
    assert (package["first_year_of_data"], package["last_year_of_data"]) == ("2567", "2567")
    register = ckan_anonymous.call("package_show", id="kpi-register")
    # No date column: the framework document's declared date (2023), so a year on it is overdue.
    assert (register["last_updated_date"], register["update_status"]) == (
        "2023-09-26", "เกินกำหนด")


def test_a_re_run_on_the_same_day_writes_nothing(project, catalog_settings):
    client = _run(project, catalog_settings, TODAY, "fresh-2")
    assert client.writes == []


def test_far_ahead_today_shows_overdue_in_api_page_and_report(project, ckan_anonymous,
                                                              catalog_settings):
    _run(project, catalog_settings, FAR_AHEAD, "fresh-later")
    package = ckan_anonymous.call("package_show", id=PROGRESS)
    assert package["update_status"] == "เกินกำหนด"
    assert package["last_updated_date"] == "2026-11-28"   # the data did not change
    page = _page(catalog_settings, PROGRESS)
    panel = page[page.index('data-field="update_status"'):]
    panel = panel[:panel.index("</div>")]
    assert 'data-status="เกินกำหนด"' in page and "เกินกำหนด" in panel
    assert "2026-11-28" in panel and "2027-05-28" in panel   # last updated, next due
    report = (project / "out" / REPORT / "kpi-1-3-outcome-report.md").read_text("utf-8")
    row = next(line for line in report.splitlines()
               if line.startswith(f"| {PROGRESS} |"))
    assert "เกินกำหนด / Overdue" in row and "2027-05-28" in row
    overdue = [line for line in report.splitlines()
               if "ข้อมูลไม่เป็นปัจจุบัน" in line and PROGRESS in line]
    assert overdue and "2026-11-28" in overdue[0]   # counted from the data's own date
    # The report the catalog serves is that file.
    conditions = ckan_anonymous.call("package_show", id=REPORT)
    served = next(r for r in conditions["resources"] if r.get("senate_kind") == "outcome-report-md")
    with urllib.request.urlopen(served["url"], timeout=30) as response:
        assert "เกินกำหนด / Overdue" in response.read().decode("utf-8")
