"""Publishing described datasets into the real CKAN: public files byte-identical, zero writes on
a re-run, exact diffs, hand edits kept, personal data never public, hold and skip write nothing."""

from __future__ import annotations

import time

import ckanapi
import pytest

from flows.catalog.counting import CountingClient
from flows.catalog.gate import decide
from flows.catalog.plan import Action
from flows.catalog.register import plan_described, publish_described
from flows.catalog.retry import RetryPolicy
from tests.catalog.described_samples import described_dataset, validation_result
from tests.integration.dga_payloads import ORG
from tests.integration.publish_helpers import csv_header, kinds, sha256_of_download

pytestmark = pytest.mark.integration

RETRY = RetryPolicy(retries=2, first_delay=0.2)


@pytest.fixture
def publish(ckan_admin, created_datasets):
    """Publish a described dataset; every name it may create is purged after the test."""
    def run(described, *, blocking=False, client=None):
        name = described.fields["name"]
        created_datasets.extend([name, f"{name}-internal"])
        return publish_described(client or ckan_admin, described,
                                 validation_result(name, blocking=blocking), owner_org=ORG,
                                 managed_groups={"legislation", "senators"}, retry=RETRY)
    return run


def test_first_publish_is_public_with_byte_identical_files(publish, ckan_anonymous,
                                                           unique_name, tmp_path) -> None:
    described = described_dataset(tmp_path, unique_name("pub"))
    [outcome] = publish(described)
    # created private, its four files in one package_revise (one re-index, not four), made
    # public last; + the data file's DataStore table and its table preview
    assert (outcome.action, outcome.writes) == (Action.CREATE, 5)
    assert outcome.write_actions[:2] == ("package_create", "package_revise")
    assert outcome.write_actions[-1] == "package_patch"
    assert {"senate_datastore_replace", "resource_view_create"} <= set(outcome.write_actions)
    shown = ckan_anonymous.call("package_show", id=described.fields["name"])
    assert shown["private"] is False and [g["name"] for g in shown["groups"]] == ["legislation"]
    assert kinds(shown) == ["data", "dictionary", "report", "schema"]
    local = {r.kind: r for r in described.resources}
    for resource in shown["resources"]:
        source = local[resource["senate_kind"]]
        assert resource["hash"] == f"sha256:{source.sha256}"
        assert sha256_of_download(resource["url"]) == source.sha256, resource["name"]


def test_second_publish_with_nothing_changed_writes_nothing(publish, ckan_admin, unique_name,
                                                            tmp_path) -> None:
    described = described_dataset(tmp_path, unique_name("again"))
    started = time.monotonic()
    [first] = publish(described)
    first_seconds = time.monotonic() - started
    counter = CountingClient(ckan_admin)
    started = time.monotonic()
    [second] = publish(described, client=counter)
    again_seconds = time.monotonic() - started
    assert (second.action, second.writes, counter.write_count) == (Action.UNCHANGED, 0, 0)
    # the dataset, and its would-be companion (a stale -internal one would be deleted)
    # (and the data file's DataStore digest and views, which metadata_modified does not show)
    assert counter.reads == ["package_show", "senate_datastore_digest", "resource_view_list",
                             "package_show"]
    print(f"\nfirst publish: {first.writes} writes, {first_seconds:.2f}s; "
          f"no-change re-run: {counter.write_count} writes, {again_seconds:.2f}s")


def test_a_metadata_edit_plans_exactly_that_field(publish, ckan_admin, unique_name,
                                                  tmp_path) -> None:
    name = unique_name("diff")
    publish(described_dataset(tmp_path, name))
    edited = described_dataset(tmp_path, name, update_frequency_unit="ปี")
    [(plan, _)] = plan_described(ckan_admin, edited, validation_result(name), owner_org=ORG)
    assert plan.action is Action.UPDATE
    assert [(c.field, c.catalog, c.wanted) for c in plan.changes] == [
        ("update_frequency_unit", "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "ปี")]
    assert all(step.action == "unchanged" for step in plan.resources)
    [outcome] = publish(edited)
    assert outcome.write_actions == ("package_patch",)
    assert ckan_admin.call("package_show", id=name)["update_frequency_unit"] == "ปี"


def test_hand_edits_outside_the_owned_fields_survive_a_publish(publish, ckan_admin,
                                                               unique_name, tmp_path) -> None:
    name = unique_name("hand")
    publish(described_dataset(tmp_path, name))
    ckan_admin.call("package_patch", id=name, reference_url_catalog="https://gdcatalog.go.th/x",
                    version="2567")
    ckan_admin.call("resource_create", package_id=name, name="ภาพประกอบ / picture",
                    url="https://www.senate.go.th/logo.png", resource_private="False")
    publish(described_dataset(tmp_path, name, notes="คำอธิบายใหม่ / new description"))
    shown = ckan_admin.call("package_show", id=name)
    assert shown["notes"] == "คำอธิบายใหม่ / new description"
    assert (shown["reference_url_catalog"], shown["version"]) == ("https://gdcatalog.go.th/x", "2567")
    assert "ภาพประกอบ / picture" in [r["name"] for r in shown["resources"]]


def test_personal_columns_never_reach_the_public(publish, ckan_admin, ckan_anonymous,
                                                 unique_name, tmp_path) -> None:
    described = described_dataset(tmp_path, unique_name("pii"), personal=True)
    name = described.fields["name"]
    main, companion = publish(described)
    assert (main.action, companion.action) == (Action.CREATE, Action.CREATE)
    public = ckan_anonymous.call("package_show", id=name)
    data = [r for r in public["resources"] if r["senate_kind"] == "data"][0]
    assert csv_header(data["url"]) == ["senator_id", "first_name"]
    with pytest.raises((ckanapi.NotAuthorized, ckanapi.NotFound)):
        ckan_anonymous.call("package_show", id=f"{name}-internal")
    found = ckan_anonymous.call("package_search", q=name, include_private=True, rows=100)
    assert [p["name"] for p in found["results"]] == [name]
    internal = ckan_admin.call("package_show", id=f"{name}-internal")
    assert internal["private"] is True and internal["data_category"] == "ข้อมูลส่วนบุคคล"
    assert [r["hash"] for r in internal["resources"]] == [f"sha256:{described.internal_data.sha256}"]


def test_hold_writes_nothing_and_keeps_the_published_version(publish, ckan_admin, unique_name,
                                                             tmp_path) -> None:
    name = unique_name("hold")
    publish(described_dataset(tmp_path, name))
    before = ckan_admin.call("package_show", id=name)
    broken = described_dataset(tmp_path, name, notes="ฉบับที่ยังไม่ผ่านการตรวจ / unvalidated")
    assert decide(broken, validation_result(name, blocking=True)).outcome.value == "hold"
    counter = CountingClient(ckan_admin)
    [outcome] = publish(broken, blocking=True, client=counter)
    assert (outcome.action, outcome.writes, counter.write_count) == (Action.HOLD, 0, 0)
    after = ckan_admin.call("package_show", id=name)
    assert (after["metadata_modified"], after["notes"]) == (before["metadata_modified"], before["notes"])


def test_skip_writes_nothing(publish, ckan_admin, unique_name, tmp_path) -> None:
    described = described_dataset(tmp_path, unique_name("skip"), data_category="ข้อมูลความมั่นคง",
                                  data_classification="ลับที่สุด")
    counter = CountingClient(ckan_admin)
    [outcome] = publish(described, client=counter)
    assert (outcome.action, counter.write_count) == (Action.SKIP, 0)
    with pytest.raises(ckanapi.NotFound):
        ckan_admin.call("package_show", id=described.fields["name"])
