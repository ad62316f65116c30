"""Planning against what the catalog holds: create / update / unchanged, owned-field diffs,
resources matched by kind, hand edits preserved; and the write order apply_plan follows."""

from __future__ import annotations

import copy
import json

from flows.catalog.gate import decide
from flows.catalog.owned import KIND_FIELD
from flows.catalog.payload import dataset_to_ckan_package
from flows.catalog.plan import Action, plan_dataset
from flows.catalog.publish import apply_plan
from flows.catalog.retry import NO_RETRY
from tests.catalog.described_samples import described_dataset, validation_result
from tests.catalog.fake_catalog import FakeCatalog, as_ckan_returns

NAME = "zz-plan"


def _wanted(tmp_path, **fields):
    described = described_dataset(tmp_path, NAME, **fields)
    decision = decide(described, validation_result(NAME))
    return described, dataset_to_ckan_package(described, decision, owner_org="senate-secretariat")


def _files(described):
    return {r.kind: r.path for r in described.resources}


def test_a_missing_dataset_is_planned_as_create_with_every_resource(tmp_path) -> None:
    _, package = _wanted(tmp_path)
    plan = plan_dataset(FakeCatalog(), package)
    assert plan.action is Action.CREATE
    assert [s.action for s in plan.resources] == ["create"] * 4
    assert plan.groups_add == ("legislation",)


def test_what_ckan_returns_for_our_package_plans_as_unchanged(tmp_path) -> None:
    _, package = _wanted(tmp_path)
    catalog = FakeCatalog({NAME: as_ckan_returns(package)})
    plan = plan_dataset(catalog, package)
    assert plan.action is Action.UNCHANGED, plan.changes
    assert catalog.actions == ["package_show"]


def test_one_changed_field_is_exactly_one_diff(tmp_path) -> None:
    _, package = _wanted(tmp_path)
    shown = as_ckan_returns(package)
    shown["notes"] = "คำอธิบายเดิม"
    plan = plan_dataset(FakeCatalog({NAME: shown}), package)
    assert plan.action is Action.UPDATE
    assert [(c.field, c.catalog, c.wanted) for c in plan.changes] == [
        ("notes", "คำอธิบายเดิม", package["notes"])]


def test_hand_edited_and_core_fields_are_never_diffed(tmp_path) -> None:
    _, package = _wanted(tmp_path)
    shown = {**as_ckan_returns(package), "reference_url_catalog": "https://gdcatalog.go.th/x",
             "version": "2"}
    assert plan_dataset(FakeCatalog({NAME: shown}), package).action is Action.UNCHANGED


def test_an_owned_field_no_longer_declared_is_cleared(tmp_path) -> None:
    _, package = _wanted(tmp_path)
    shown = {**as_ckan_returns(package), "data_support": "หน่วยงานรัฐ"}
    [change] = plan_dataset(FakeCatalog({NAME: shown}), package).changes
    assert (change.field, change.wanted) == ("data_support", None)


def test_resources_new_file_missing_kind_hand_added_and_duplicates(tmp_path) -> None:
    _, package = _wanted(tmp_path)
    shown = as_ckan_returns(package)
    data, dictionary, schema, _report = shown["resources"]
    data["hash"] = "sha256:old"
    shown["resources"] = [data, dictionary, {**copy.deepcopy(dictionary), "id": "res-dup",
                                             "hash": "sha256:stale"},
                          schema, {"id": "res-hand", "name": "ภาพประกอบ", "url": "http://x/y.png"},
                          {"id": "res-gone", KIND_FIELD: "old-kind", "name": "เก่า"}]
    steps = {(s.action, s.kind, s.resource_id) for s in plan_dataset(
        FakeCatalog({NAME: shown}), package).resources}
    assert steps == {("delete", "dictionary", "res-dup"), ("delete", "old-kind", "res-gone"),
                     ("replace", "data", "res-data"), ("unchanged", "dictionary", "res-dictionary"),
                     ("unchanged", "schema", "res-schema"), ("create", "report", None)}


def test_resource_metadata_change_is_a_patch_without_upload(tmp_path) -> None:
    _, package = _wanted(tmp_path)
    shown = as_ckan_returns(package)
    shown["resources"][2]["description"] = "แก้ด้วยมือ"
    [step] = [s for s in plan_dataset(FakeCatalog({NAME: shown}), package).resources
              if s.action != "unchanged"]
    assert (step.action, step.kind, step.payload) == ("patch", "schema",
                                                      {"description": package["resources"][2]["description"]})


def test_groups_managed_by_the_pipeline_are_synced_hand_added_ones_kept(tmp_path) -> None:
    _, package = _wanted(tmp_path)
    shown = as_ckan_returns(package)
    shown["groups"] = [{"name": "senators"}, {"name": "hand-picked"}]
    plan = plan_dataset(FakeCatalog({NAME: shown}), package,
                        managed_groups={"legislation", "senators"})
    assert (plan.groups_add, plan.groups_remove) == (("legislation",), ("senators",))


def test_create_starts_private_uploads_then_turns_public_last(tmp_path) -> None:
    described, package = _wanted(tmp_path)
    catalog = FakeCatalog()
    outcome = apply_plan(catalog, plan_dataset(catalog, package), _files(described), retry=NO_RETRY)
    writes = [(a, d) for a, d in catalog.calls if a != "package_show"]
    assert writes[0][0] == "package_create" and writes[0][1]["private"] is True
    action, revise = writes[1]   # the four files in one call: CKAN re-indexes once
    assert action == "package_revise" and revise["match__id"] == f"id-{NAME}"
    assert sorted(revise["files"]) == [f"update__resources__{i}__upload" for i in (-1, -2, -3, -4)]
    sent = json.loads(revise["update__resources__extend"])
    assert [r[KIND_FIELD] for r in sent] == [r[KIND_FIELD] for r in package["resources"]]
    assert [revise["files"][f"update__resources__{i - 4}__upload"][0] for i in range(4)] == \
        [r["url"] for r in sent]   # each file beside its own resource
    assert writes[-1] == ("package_patch", {"id": f"id-{NAME}", "private": False})
    assert outcome.writes == 3 and outcome.action is Action.CREATE


def test_unchanged_plan_makes_zero_writes(tmp_path) -> None:
    described, package = _wanted(tmp_path)
    catalog = FakeCatalog({NAME: as_ckan_returns(package)})
    outcome = apply_plan(catalog, plan_dataset(catalog, package), _files(described))
    assert outcome.writes == 0 and catalog.actions == ["package_show"]


def test_going_private_is_the_first_write(tmp_path) -> None:
    described, package = _wanted(tmp_path, data_category="ข้อมูลใช้ภายใน",
                                 data_classification="ชั้นเผยแพร่ภายในองค์กร")
    shown = as_ckan_returns({**package, "private": False, "data_category": "ข้อมูลสาธารณะ"})
    shown["resources"][0]["hash"] = "sha256:old"
    catalog = FakeCatalog({NAME: shown})
    apply_plan(catalog, plan_dataset(catalog, package), _files(described), retry=NO_RETRY)
    first_action, first = catalog.calls[1]
    # out of public view in the first write, alone; the rest of the update follows
    assert first_action == "package_patch" and first == {"id": first["id"], "private": True}
    second_action, second = catalog.calls[2]
    assert second_action == "package_patch" and second["data_category"] == "ข้อมูลใช้ภายใน"
    assert "private" not in second
    assert catalog.actions[3:] == ["resource_patch"]
