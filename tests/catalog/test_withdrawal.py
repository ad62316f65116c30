"""Withdrawal, on the fake catalog: what leaves public view, in which order, and that a second
run writes nothing. (tests/integration/test_withdrawal_live.py does it on the real CKAN.)"""

from __future__ import annotations

from datetime import date

import pytest

from flows.catalog.counting import is_write
from flows.catalog.gate import decide, decide_removed
from flows.catalog.orphans import MarkedRecord, marked_records, orphan_datasets
from flows.catalog.owned import KIND_FIELD, OWNERSHIP_FIELD, WITHDRAWN_FIELD
from flows.catalog.plan import Action
from flows.catalog.retry import RetryPolicy
from flows.orchestrate.stages import register
from tests.catalog.described_samples import described_dataset, validation_result
from tests.catalog.fake_catalog import FakeCatalog

NAME = "zz-withdraw"
COMPANION = f"{NAME}-internal"
TODAY = date(2026, 12, 5)
NO_RETRY = RetryPolicy(retries=0)


def _published(name: str = NAME, *, private: bool = False, kinds=("data", "report"),
               **extra) -> dict:
    return {"id": f"id-{name}", "name": name, "private": private, "state": "active",
            OWNERSHIP_FIELD: NAME, "groups": [],
            "resources": [{"id": f"res-{kind}", KIND_FIELD: kind, "name": kind}
                          for kind in kinds], **extra}


def _register(catalog: FakeCatalog, decision, described=None):
    return register(catalog, NAME, decision, described=described, owner_org="senate-secretariat",
                    managed_groups=[], retry=NO_RETRY, dry_run=False, today=TODAY)


def _secret(tmp_path):
    described = described_dataset(tmp_path, NAME, data_category="ข้อมูลความมั่นคง",
                                  data_classification="ลับ")
    return described, decide(described, validation_result(NAME))


def test_reclassified_secret_goes_private_first_then_loses_every_file(tmp_path) -> None:
    described, decision = _secret(tmp_path)
    catalog = FakeCatalog({NAME: _published()})
    registered = _register(catalog, decision, described)
    assert registered.status == "withdrawn"
    assert [p.action for p in registered.plans] == [Action.WITHDRAW]
    writes = [(a, d) for a, d in catalog.calls if a != "package_show"]
    assert writes[0][0] == "package_patch" and writes[0][1]["private"] is True
    assert writes[0][1][WITHDRAWN_FIELD].startswith("2026-12-05: ")
    assert [a for a, _ in writes[1:]] == ["resource_delete", "resource_delete"]


def test_a_withdrawn_record_is_left_alone_by_the_next_run(tmp_path) -> None:
    described, decision = _secret(tmp_path)
    done = _published(private=True, kinds=(), **{WITHDRAWN_FIELD: "2026-12-01: earlier"})
    catalog = FakeCatalog({NAME: done})
    registered = _register(catalog, decision, described)
    assert registered.status == "withdrawn" and registered.write_calls == 0
    assert [p.action for p in registered.plans] == [Action.WITHDRAWN]
    assert set(catalog.actions) == {"package_show"}


def test_a_never_registered_secret_dataset_is_skipped_without_a_write(tmp_path) -> None:
    described, decision = _secret(tmp_path)
    catalog = FakeCatalog({})
    registered = _register(catalog, decision, described)
    assert registered.status == "skipped" and registered.write_calls == 0


def test_personal_data_found_withdraws_but_keeps_the_old_clean_files(tmp_path) -> None:
    described = described_dataset(tmp_path, NAME)
    decision = decide(described, validation_result(NAME, blocking=True,
                                                    rule="personal-data/email"))
    catalog = FakeCatalog({NAME: _published()})
    registered = _register(catalog, decision, described)
    assert registered.status == "held"
    assert [a for a, _ in catalog.calls if is_write(a)] == ["package_patch"]


def test_a_companion_no_longer_needed_is_purged_with_its_files(tmp_path) -> None:
    described = described_dataset(tmp_path, NAME)   # no personal-data field any more
    decision = decide(described, validation_result(NAME))
    catalog = FakeCatalog({COMPANION: _published(COMPANION, private=True,
                                                 kinds=("internal-data",))})
    registered = _register(catalog, decision, described)
    delete = [p for p in registered.plans if p.name == COMPANION]
    assert [p.action for p in delete] == [Action.DELETE]
    writes = [a for a, _ in catalog.calls if a != "package_show"]
    assert writes[-2:] == ["resource_delete", "dataset_purge"]


@pytest.mark.parametrize("purge, status, last_write", [(False, "withdrawn", "package_patch"),
                                                       (True, "purged", "dataset_purge")])
def test_a_dataset_gone_from_the_repository(purge, status, last_write) -> None:
    catalog = FakeCatalog({NAME: _published(), COMPANION: _published(COMPANION, private=True)})
    registered = _register(catalog, decide_removed(purge=purge))
    assert registered.status == status
    writes = [a for a, _ in catalog.calls if a != "package_show"]
    assert last_write in writes and writes[-1] == "dataset_purge"   # the companion goes too
    if not purge:
        assert "resource_delete" not in writes[:1]   # withdrawn, files kept (private)


def test_marked_records_pages_and_ignores_records_made_by_hand() -> None:
    packages = {f"zz-{i:03d}": {"name": f"zz-{i:03d}", OWNERSHIP_FIELD: f"zz-{i:03d}",
                                "groups": [{"name": "legislation"}]} for i in range(7)}
    packages["by-hand"] = {"name": "by-hand", "groups": []}
    catalog = FakeCatalog(packages)
    found = marked_records(catalog, organization="org", retry=NO_RETRY, page_size=3)
    assert catalog.actions == ["package_search"] * 3
    assert sorted(r.name for r in found) == sorted(n for n in packages if n != "by-hand")
    assert all(r.groups == ("legislation",) for r in found)


def test_orphans_are_the_marked_records_whose_dataset_left_the_repository() -> None:
    found = [MarkedRecord("kept", "kept", ("legislation",), False),
             MarkedRecord("gone-a", "gone-a", ("legislation",), False),
             MarkedRecord("gone-a-internal", "gone-a", (), True),
             MarkedRecord("gone-b", "gone-b", ("performance",), True)]
    known = {"kept"}
    assert orphan_datasets(found, known_ids=known, groups=None) == ["gone-a", "gone-b"]
    assert orphan_datasets(found, known_ids=known, groups=("performance",)) == ["gone-b"]
    assert orphan_datasets(found, known_ids=known, groups=()) == []


@pytest.mark.parametrize("ids, groups, scope", [((), (), None), (("a",), (), ()),
                                                ((), ("legislation",), ("legislation",))])
def test_which_runs_look_for_orphans(ids, groups, scope) -> None:
    from flows.orchestrate.plan_or_run import orphan_scope

    assert orphan_scope(ids, groups) == scope
