"""The national catalog's harvest source: its config, its request, and ensuring it exists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ckanapi
import pytest

from flows.errors import ConfigError
from flows.national.harvest import (SOURCE_TYPE, HarvestError, ensure_organization,
                                    ensure_source, run_job, source_config, source_request)
from flows.settings import StackSettings
from flows.config import load_national_settings, load_stack_settings


class FakeNational:
    """Answers the harvest-source and organisation actions like ckanext-harvest / CKAN."""

    def __init__(self, sources: dict[str, dict[str, Any]] | None = None,
                 organizations: dict[str, dict[str, Any]] | None = None,
                 jobs: list[dict[str, Any]] | None = None,
                 report: dict[str, Any] | None = None) -> None:
        self.sources = sources or {}
        self.organizations = organizations or {}
        self.jobs = jobs or []
        self.report = report or {}
        self.writes: list[tuple[str, dict[str, Any]]] = []

    def call(self, action: str, **data: Any) -> Any:
        if action == "harvest_source_show":
            if data["id"] not in self.sources:
                raise ckanapi.NotFound("not found")
            return self.sources[data["id"]]
        if action in ("harvest_source_create", "harvest_source_update"):
            self.writes.append((action, data))
            stored = {**data, "id": data.get("id", "source-1")}
            self.sources[data["name"]] = stored
            return stored
        if action == "organization_show":
            if data["id"] not in self.organizations:
                raise ckanapi.NotFound("not found")
            return self.organizations[data["id"]]
        if action == "organization_create":
            self.writes.append((action, data))
            self.organizations[data["id"]] = data
            return data
        if action == "harvest_job_list":
            return self.jobs
        if action == "harvest_job_report":
            return self.report
        raise AssertionError(f"unexpected action {action}")


AGENCY = "http://127.0.0.1:22500/"


def test_config_keeps_organisations_and_groups_and_names_a_partial_harvest() -> None:
    assert source_config() == {"remote_orgs": "create", "remote_groups": "create"}
    partial = source_config(dataset_names=["b-set", "a-set", "b-set"])
    assert partial["dataset_names"] == ["a-set", "b-set"]
    assert source_config(dataset_names=[])["dataset_names"] == []
    with pytest.raises(ValueError, match="dataset_names"):
        source_config(dataset_names=["ok", ""])


def test_request_is_a_manual_source_of_the_projects_harvester_type() -> None:
    config = source_config(dataset_names=["ชุดข้อมูล"])
    request = source_request(agency_url=AGENCY, config=config, owner_org="org-1", name="src")
    assert request["source_type"] == SOURCE_TYPE == "senate_dga_ckan"
    assert request["url"] == AGENCY.rstrip("/") and request["frequency"] == "MANUAL"
    assert request["owner_org"] == "org-1" and request["name"] == "src"
    assert json.loads(request["config"]) == config
    assert "ชุดข้อมูล" in request["config"]   # Thai names stay readable in CKAN's form


def test_ensure_source_creates_then_leaves_an_equal_source_alone() -> None:
    national = FakeNational()
    request = source_request(agency_url=AGENCY, config=source_config(), owner_org="org-1")
    assert ensure_source(national, request) == ("source-1", "created")
    # CKAN gives the config back with its own key order and the URL as stored.
    national.sources[request["name"]]["config"] = json.dumps(
        dict(reversed(list(source_config().items()))))
    assert ensure_source(national, request) == ("source-1", "unchanged")
    assert [action for action, _ in national.writes] == ["harvest_source_create"]


def test_ensure_source_updates_a_source_whose_url_or_config_changed() -> None:
    national = FakeNational()
    first = source_request(agency_url=AGENCY, config=source_config(), owner_org="org-1")
    ensure_source(national, first)
    moved = source_request(agency_url="https://catalog.senate.go.th", config=source_config(),
                           owner_org="org-1")
    assert ensure_source(national, moved) == ("source-1", "updated")
    narrowed = source_request(agency_url="https://catalog.senate.go.th", owner_org="org-1",
                              config=source_config(dataset_names=["a"]))
    assert ensure_source(national, narrowed) == ("source-1", "updated")
    action, data = national.writes[-1]
    assert action == "harvest_source_update" and data["id"] == "source-1"
    assert json.loads(data["config"])["dataset_names"] == ["a"]


def test_the_agency_organisation_is_mirrored_once_with_its_id() -> None:
    remote = {"id": "abc", "name": "senate-secretariat", "title": "สำนักงานเลขาธิการวุฒิสภา",
              "description": "", "image_url": "", "packages": [], "created": "2026-01-01"}
    agency = FakeNational(organizations={"senate-secretariat": remote})
    national = FakeNational()
    assert ensure_organization(national, agency, "senate-secretariat") == "abc"
    assert ensure_organization(national, agency, "senate-secretariat") == "abc"
    assert national.writes == [("organization_create", {
        "id": "abc", "name": "senate-secretariat", "title": "สำนักงานเลขาธิการวุฒิสภา"})]


def test_a_job_with_errors_is_an_error_naming_the_dataset() -> None:
    jobs = [{"id": "j1", "created": "2026-12-01T00:00:00", "stats": {"added": 1}},
            {"id": "j2", "created": "2026-12-02T00:00:00",
             "stats": {"added": 0, "errored": 1}}]
    report = {"gather_errors": [], "object_errors": {"o1": {
        "guid": "g1", "original_url": "http://agency/dataset/votes",
        "errors": [{"message": "Invalid package: data_category"}]}}}
    national = FakeNational(jobs=jobs, report=report)
    ran = []
    with pytest.raises(HarvestError, match="dataset/votes: Invalid package: data_category"):
        run_job(national, "source-1", lambda: ran.append(1))
    assert ran == [1]


def test_a_clean_job_reports_its_counts() -> None:
    jobs = [{"id": "j1", "created": "2026-12-02T00:00:00",
             "stats": {"added": 2, "updated": 0, "not modified": 3, "deleted": 1,
                       "errored": 0}}]
    result = run_job(FakeNational(jobs=jobs, report={"object_errors": {}}), "s", lambda: None)
    assert result.job_id == "j1"
    assert result.summary() == "2 added, 0 updated, 1 deleted, 3 not modified, 0 errored"


def test_national_settings_default_to_the_stack_and_follow_the_environment(
        tmp_path: Path) -> None:
    stack = load_stack_settings({"SENATE_STACK_DIR": str(tmp_path),
                                    "SENATE_STACK_INSTANCE": "test"})
    default = load_national_settings(stack, {})
    assert default.url == "http://127.0.0.1:21510"
    assert default.token_file == tmp_path / "test" / "national" / "api-token"
    chosen = load_national_settings(stack, {"NATIONAL_CKAN_URL": "https://gdcatalog.example/",
                                       "NATIONAL_CKAN_TOKEN_FILE": "/run/secrets/gd"})
    assert (chosen.url, chosen.token_file) == ("https://gdcatalog.example", Path("/run/secrets/gd"))
    bare = StackSettings(project_root=stack.project_root, state_dir=stack.state_dir,
                         instance="x", host=stack.host, ports={"ckan": 1})
    assert load_national_settings(bare, {}).url is None
    with pytest.raises(ConfigError, match="NATIONAL_CKAN_URL"):
        load_national_settings(bare, {}).checked_url()
    assert load_national_settings(bare, {"NATIONAL_CKAN_URL": "https://gd"}).url == "https://gd"
