"""`senate-catalog national status` on the real stack: the agency CKAN, harvested by ckanext-harvest
into the national CKAN (the GD Catalog stand-in), then one dataset removed there by hand.

Runs when the stack instance has a national port (the `national` service); an instance without
one skips, saying so, even with SENATE_REQUIRE_STACK=1 (there is nothing to require). With a
national port, a national CKAN that does not answer is a failure under SENATE_REQUIRE_STACK=1.
The harvest is limited to this module's datasets, and so is the status check.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from flows.catalog import CatalogClient
from flows.cli import cli
from flows.national.status import national_status
from flows.settings import CatalogSettings, Secret, StackSettings
from flows.stack import ckan

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def national_admin(stack_settings: StackSettings) -> CatalogClient:
    if "national" not in stack_settings.ports:
        pytest.skip(f"stack instance {stack_settings.instance!r} has no national port "
                    "configured (no `national` service): nothing to check")
    from flows.national.local import national_client
    from flows.national.settings import stack_url

    if not ckan.api_answers(stack_url(stack_settings)):
        message = (f"no national CKAN at {stack_url(stack_settings)}; run "
                   "`senate-catalog stack up`")
        if os.environ.get("SENATE_REQUIRE_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return national_client(stack_settings)


@pytest.fixture(scope="module")
def harvested(stack_settings: StackSettings, ckan_admin: CatalogClient,
              national_admin: CatalogClient) -> Iterator[dict[str, Any]]:
    """Two public harvestable datasets, one not harvestable, one private, harvested once by
    a harvest source of their own (the harvest tests' helper, which cleans both catalogs)."""
    from tests.integration.test_national_harvest_live import Harvest

    harvest = Harvest(stack_settings, ckan_admin, national_admin)
    try:
        names = {"one": harvest.publish("one")["name"],
                 "two": harvest.publish("two", title="ชุดข้อมูลที่สอง " + harvest.source)["name"],
                 "closed": harvest.publish("closed", allow_harvest="False")["name"],
                 "private": harvest.publish("private", private=True)["name"]}
        harvest.run()
        yield {"names": names, "agency": ckan_admin, "national": national_admin}
    finally:
        harvest.clean()


def test_a_full_harvest_is_registered_with_equal_dga_fields(harvested, stack_settings):
    names = harvested["names"]
    anonymous = CatalogClient(CatalogSettings(url=harvested["national"].url, token=Secret("")))
    answer = national_status(harvested["agency"], anonymous, agency_url=stack_settings.ckan_url,
                             national_url=harvested["national"].url, checked_at="now",
                             names=list(names.values()))
    by_name = {d.name: d for d in answer.datasets}
    assert answer.missing == ()
    for kind in ("one", "two"):
        dataset = by_name[names[kind]]
        assert dataset.registered and dataset.required
        assert dataset.differences == (), dataset.differences
        assert dataset.harvested_at
    assert not by_name[names["closed"]].registered and not by_name[names["closed"]].required
    assert not by_name[names["private"]].registered


def test_status_exits_0_then_1_after_a_dataset_is_removed_there_by_hand(harvested, tmp_path):
    names = harvested["names"]
    shown = [names["one"], names["two"], names["closed"], names["private"]]
    env = {"SENATE_OUT_DIR": str(tmp_path)}
    result = CliRunner().invoke(cli, ["national", "status", "--json", *shown], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["missing"] == []
    harvested["national"].call("package_delete", id=names["two"])   # the web form's Delete
    result = CliRunner().invoke(cli, ["national", "status", *shown], env=env)
    assert result.exit_code == 1, result.output
    assert names["two"] in result.output.splitlines()[-1]
