"""CKAN blocked for real mid-publish (SIGSTOP): the publish fails after retries, and the next
run converges with no duplicates; the run after that writes nothing."""

from __future__ import annotations

import os
import signal
from typing import Iterator

import pytest

from flows.catalog.client import CatalogClient
from flows.catalog.counting import CountingClient
from flows.catalog.plan import Action
from flows.catalog.register import plan_described, publish_described
from flows.catalog.publish import apply_plan
from flows.catalog.retry import RetryPolicy
from flows.errors import CatalogError
from flows.settings import CatalogSettings
from flows.stack import ckan
from flows.stack.paths import StackPaths
from tests.catalog.described_samples import described_dataset, validation_result
from tests.integration.dga_payloads import ORG
from tests.integration.publish_helpers import kinds, wait_until_settled

pytestmark = pytest.mark.integration

FAST = RetryPolicy(retries=2, first_delay=0.2)


@pytest.fixture
def ckan_pid(stack_settings, catalog_settings) -> int:
    pid = ckan.running_pid(StackPaths(stack_settings))
    if pid is None or catalog_settings.url != stack_settings.ckan_url:
        pytest.skip("the fault tests need the local stack's CKAN process")
    return pid


@pytest.fixture
def impatient_admin(catalog_settings) -> CatalogClient:
    """The sysadmin with a 1 s timeout, so a blocked CKAN fails fast."""
    return CatalogClient(CatalogSettings(url=catalog_settings.url, token=catalog_settings.token,
                                         timeout=1.0))


@pytest.fixture
def blocker(ckan_pid) -> Iterator[dict[str, bool]]:
    """``block()`` stops CKAN; it is always resumed after the test, whatever happens."""
    state = {"stopped": False}

    def block(_action: str = "") -> None:
        if not state["stopped"]:
            # The whole process group: gunicorn's workers answer while only their master stops.
            os.killpg(ckan_pid, signal.SIGSTOP)
            state["stopped"] = True
    state["block"] = block  # type: ignore[assignment]
    try:
        yield state
    finally:
        resume(ckan_pid, state)


def resume(pid: int, state: dict) -> None:
    if state["stopped"]:
        os.killpg(pid, signal.SIGCONT)
        state["stopped"] = False


def _publish(client, described, **kwargs):
    return publish_described(client, described, validation_result(described.fields["name"]),
                             owner_org=ORG, managed_groups={"legislation"}, **kwargs)


def test_blocked_mid_create_then_next_run_converges(ckan_admin, impatient_admin, blocker,
                                                    ckan_pid, created_datasets, unique_name,
                                                    tmp_path) -> None:
    described = described_dataset(tmp_path, unique_name("fault"))
    name = described.fields["name"]
    created_datasets.append(name)
    # The first write (package_create) succeeds, then CKAN freezes before the first upload.
    counter = CountingClient(impatient_admin, after_write=blocker["block"])
    with pytest.raises(CatalogError):
        _publish(counter, described, retry=FAST)
    assert counter.writes[0] == "package_create" and blocker["stopped"]
    resume(ckan_pid, blocker)
    half = wait_until_settled(ckan_admin, name)
    assert half["private"] is True   # never public while incomplete

    [second] = _publish(ckan_admin, described)
    assert second.action is Action.UPDATE
    shown = ckan_admin.call("package_show", id=name)
    assert kinds(shown) == ["data", "dictionary", "report", "schema"]   # complete, no duplicates
    assert shown["private"] is False
    found = ckan_admin.call("package_search", fq=f'name:"{name}"', include_private=True)
    assert found["count"] == 1
    local = {r.kind: f"sha256:{r.sha256}" for r in described.resources}
    assert {r["senate_kind"]: r["hash"] for r in shown["resources"]} == local

    third = CountingClient(ckan_admin)
    [outcome] = _publish(third, described)
    assert (outcome.action, third.write_count) == (Action.UNCHANGED, 0)


def test_blocked_update_is_retried_with_backoff_then_converges(ckan_admin, impatient_admin,
                                                               blocker, ckan_pid,
                                                               created_datasets, unique_name,
                                                               tmp_path) -> None:
    name = unique_name("retry")
    created_datasets.append(name)
    _publish(ckan_admin, described_dataset(tmp_path, name))
    edited = described_dataset(tmp_path, name, notes="ฉบับแก้ไข / revised")
    [(plan, files)] = plan_described(ckan_admin, edited, validation_result(name), owner_org=ORG)
    assert [c.field for c in plan.changes] == ["notes"]
    counter = CountingClient(impatient_admin)
    blocker["block"]()
    with pytest.raises(CatalogError, match="did not answer package_patch in time"):
        apply_plan(counter, plan, files, retry=FAST)
    assert counter.writes == ["package_patch"] * 3   # the first try and 2 retries
    resume(ckan_pid, blocker)
    wait_until_settled(ckan_admin, name)

    _publish(ckan_admin, edited)   # whether or not the queued patches landed, this converges
    assert ckan_admin.call("package_show", id=name)["notes"] == "ฉบับแก้ไข / revised"
    third = CountingClient(ckan_admin)
    [outcome] = _publish(third, edited)
    assert (outcome.action, third.write_count) == (Action.UNCHANGED, 0)
