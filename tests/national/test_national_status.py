"""`senate-catalog national status` against fake catalogs at our own seam (no services).

The agency catalog and the national one are ``FakeCKAN`` instances answering like CKAN; the
command builds its clients through ``flows.catalog.CatalogClient``, replaced here by a factory
that hands out the fake of each URL. An unreachable national catalog is a real closed port.
"""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

import flows.catalog
from flows.cli import cli
from flows.national import status as ns
from flows.national.answer import answer_path, read_answer, write_answer
from tests.national.fake_catalogs import FakeCKAN, agency_record, harvested

AGENCY_URL = "http://agency.example.go.th"
NATIONAL_URL = "http://gdcatalog.example.go.th"


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run `national status` with the given agency and national fakes; (result, out folder)."""
    def invoke(agency: FakeCKAN, national: FakeCKAN | None, *args: str,
               national_url: str = NATIONAL_URL):
        fakes = {AGENCY_URL: agency, NATIONAL_URL: national}
        real = flows.catalog.CatalogClient
        monkeypatch.setattr(flows.catalog, "CatalogClient",
                            lambda settings: fakes.get(settings.url) or real(settings))
        env = {"CKAN_URL": AGENCY_URL, "CKAN_API_TOKEN": "agency-token",
               "NATIONAL_CKAN_URL": national_url,
               "NATIONAL_CKAN_TOKEN_FILE": str(tmp_path / "no-token"),
               "SENATE_OUT_DIR": str(tmp_path / "out"), "SENATE_CKAN_TIMEOUT": "3"}
        result = CliRunner().invoke(cli, ["national", "status", *args], env=env,
                                    catch_exceptions=False)
        return result, tmp_path / "out"
    return invoke


def _agency() -> list[dict]:
    return [agency_record("senators"), agency_record("senate-votes"),
            agency_record("kpi-progress", title="ความก้าวหน้าตัวชี้วัด")]


def test_every_harvestable_dataset_there_exits_0_with_when_it_was_harvested(run):
    records = _agency()
    national = FakeCKAN([harvested(r) for r in records], anonymous=True, harvest_objects={
        "ho-senators": {"id": "ho-senators", "package": "id-senators", "source": "hs-1",
                        "import_finished": "2026-12-03T05:06:07"}})
    result, out = run(FakeCKAN(records), national, "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    by_name = {d["name"]: d for d in answer["datasets"]}
    assert answer["missing"] == [] and all(d["registered"] for d in by_name.values())
    assert by_name["senators"]["harvested_at"] == "2026-12-03T05:06:07"
    assert by_name["senators"]["harvested_from"] == "harvest object"
    # no harvest object readable: the record's own modification time
    assert by_name["senate-votes"]["harvested_at"] == "2026-12-02T04:00:00.000000"
    assert by_name["senate-votes"]["harvested_from"] == "metadata_modified"
    assert by_name["kpi-progress"]["national_url"] == f"{NATIONAL_URL}/dataset/kpi-progress"
    assert by_name["senators"]["harvest_source"] == "hs-1"   # the object's source
    assert all(d["differences"] == [] for d in by_name.values())
    assert read_answer(out).registered == ns.NationalStatus.from_json(answer).registered


def test_one_missing_dataset_exits_1_and_is_named(run):
    records = _agency()
    national = FakeCKAN([harvested(r) for r in records if r["name"] != "senate-votes"])
    result, out = run(FakeCKAN(records), national)
    assert result.exit_code == 1
    assert "senate-votes" in result.output.splitlines()[-1]
    assert "ไม่พบ / MISSING" in result.output
    assert "2 จาก 3 ชุด" in result.output and "2 of 3 required" in result.output
    assert [d.name for d in read_answer(out).missing] == ["senate-votes"]


def test_differences_are_listed_field_by_field_thai_included(run):
    records = _agency()
    copies = [harvested(r) for r in records]
    copies[0]["title"] = "รายชื่อสมาชิกวุฒิสภา (แก้ไข)"
    copies[0]["tags"] = [{"name": "วุฒิสภา"}]
    copies[0].pop("data_category")
    result, _ = run(FakeCKAN(records), FakeCKAN(copies), "--json")
    assert result.exit_code == 0   # present, though different: reported, not missing
    senators = next(d for d in json.loads(result.output)["datasets"] if d["name"] == "senators")
    assert senators["differences"] == [
        {"field": "title", "agency": "ชุดข้อมูล senators", "national": "รายชื่อสมาชิกวุฒิสภา (แก้ไข)"},
        {"field": "tags", "agency": ["open-data", "วุฒิสภา"], "national": ["วุฒิสภา"]},
        {"field": "data_category", "agency": "ข้อมูลสาธารณะ", "national": None}]
    table, _ = run(FakeCKAN(records), FakeCKAN(copies))
    assert '  senators: title: หน่วยงาน/agency "ชุดข้อมูล senators" ≠ ภาครัฐ/national ' \
           '"รายชื่อสมาชิกวุฒิสภา (แก้ไข)"' in table.output
    assert "senators: data_category: หน่วยงาน/agency \"ข้อมูลสาธารณะ\" ≠ ภาครัฐ/national " \
           "(ว่าง / empty)" in table.output


def test_private_and_not_harvestable_datasets_are_not_required(run):
    records = [*_agency(), agency_record("senators-internal", private=True),
               agency_record("draft-list", allow_harvest="False")]
    national = FakeCKAN([harvested(r) for r in _agency()], anonymous=True)
    result, _ = run(FakeCKAN(records), national, "--json")
    assert result.exit_code == 0
    by_name = {d["name"]: d for d in json.loads(result.output)["datasets"]}
    assert by_name["senators-internal"]["required"] is False
    assert by_name["senators-internal"]["not_required_because"] == "ส่วนตัว / private"
    assert by_name["draft-list"]["required"] is False
    assert "allow_harvest" in by_name["draft-list"]["not_required_because"]


def test_a_private_or_not_harvestable_dataset_found_there_is_reported(run):
    closed = agency_record("draft-list", allow_harvest="False")
    national = FakeCKAN([harvested(r) for r in [*_agency(), closed]])
    result, _ = run(FakeCKAN([*_agency(), closed]), national)
    assert result.exit_code == 0
    assert "should not be there" in result.output
    assert "not harvestable: draft-list" in result.output


def test_a_record_renamed_there_is_found_by_id_or_by_its_ownership_mark():
    agency = _agency()
    by_id = harvested(agency[0], name="senators-1")                 # same id, new name
    by_mark = harvested(agency[1], name="dataset-4711", id="other")  # a DCAT-style rename
    national = FakeCKAN([by_id, by_mark])
    answer = ns.national_status(FakeCKAN(agency), national, agency_url=AGENCY_URL,
                                national_url=NATIONAL_URL, checked_at="t")
    by_name = {d.name: d for d in answer.datasets}
    assert by_name["senators"].national_url == f"{NATIONAL_URL}/dataset/senators-1"
    assert by_name["senate-votes"].national_name == "dataset-4711"
    assert [d.name for d in answer.missing] == ["kpi-progress"]


def test_every_page_of_the_agency_catalog_is_read(monkeypatch):
    monkeypatch.setattr(ns, "PAGE_SIZE", 2)
    records = [agency_record(f"dataset-{i}") for i in range(5)]
    answer = ns.national_status(FakeCKAN(records), FakeCKAN([harvested(records[0])]),
                                agency_url=AGENCY_URL, national_url=NATIONAL_URL,
                                checked_at="t")
    assert len(answer.datasets) == 5 and len(answer.missing) == 4


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_national_catalog_exits_3_and_the_answer_says_so(run):
    url = f"http://127.0.0.1:{_closed_port()}"
    result, out = run(FakeCKAN(_agency()), None, national_url=url)
    assert result.exit_code == 3
    assert f"cannot reach CKAN at {url}" in result.output
    assert "Traceback" not in result.output
    answer = read_answer(out)
    assert answer.error and url in answer.error and answer.registered == ()


def test_an_unreachable_national_catalog_is_exit_3_even_with_no_dataset(run):
    result, _ = run(FakeCKAN([]), None, national_url=f"http://127.0.0.1:{_closed_port()}")
    assert result.exit_code == 3


def test_the_answer_file_round_trips_and_an_unreadable_one_counts_nothing(tmp_path):
    records = _agency()
    copies = [harvested(r) for r in records]
    copies[1]["title"] = "แก้ไข"
    answer = ns.national_status(FakeCKAN(records), FakeCKAN(copies), agency_url=AGENCY_URL,
                                national_url=NATIONAL_URL, checked_at="2026-12-05T10:00:00+07:00")
    write_answer(tmp_path, answer)
    assert read_answer(tmp_path) == answer
    assert "แก้ไข" in answer_path(tmp_path).read_text(encoding="utf-8")   # Thai kept readable
    answer_path(tmp_path).write_text("{not json", encoding="utf-8")
    broken = read_answer(tmp_path)
    assert broken.error and "national status" in broken.error and broken.registered == ()
    assert read_answer(tmp_path / "never-asked") is None


def test_numbers_and_text_of_the_same_value_are_not_a_difference():
    ours = agency_record("a", first_year_of_data=2567, tags=[])
    theirs = {**ours, "first_year_of_data": "2567", "tags": []}
    assert ns.differences(ours, theirs) == ()


def test_the_compared_fields_are_the_dga_fields_the_pipeline_owns():
    from flows.catalog.owned import OWNED_DATASET_FIELDS

    assert "tags" in ns.COMPARED_FIELDS and "tag_string" not in ns.COMPARED_FIELDS
    assert {"owner_org", "private", "name"}.isdisjoint(ns.COMPARED_FIELDS)
    assert len(ns.COMPARED_FIELDS) == len(OWNED_DATASET_FIELDS) - 3


def test_named_datasets_only_are_checked_and_the_answer_file_is_left_alone(run):
    records = _agency()
    national = FakeCKAN([harvested(r) for r in records if r["name"] != "senate-votes"])
    result, out = run(FakeCKAN(records), national, "senators", "kpi-progress")
    assert result.exit_code == 0 and "senate-votes" not in result.output
    assert not answer_path(out).exists()   # a partial answer must not feed condition 7
    result, _ = run(FakeCKAN(records), national, "senate-votes")
    assert result.exit_code == 1
    result, _ = run(FakeCKAN(records), national, "no-such-dataset")
    assert result.exit_code == 2 and "no dataset no-such-dataset" in result.output


def test_a_record_deleted_there_by_hand_is_missing_though_a_sysadmin_still_reads_it(run):
    records = _agency()
    copies = [harvested(r) for r in records]
    copies[2]["state"] = "deleted"
    result, _ = run(FakeCKAN(records), FakeCKAN(copies))   # not anonymous: the token's view
    assert result.exit_code == 1 and "kpi-progress" in result.output.splitlines()[-1]


def test_the_harvest_object_is_found_by_the_extra_search_results_carry():
    record = agency_record("senators")
    copy = {**harvested(record), "extras": [{"key": "harvest_object_id", "value": "ho-9"},
                                            {"key": "harvest_source_title", "value": "แหล่ง"}]}
    national = FakeCKAN([copy], harvest_objects={
        "ho-9": {"id": "ho-9", "source": "hs-1", "import_finished": "2026-12-04T01:02:03"}})
    status = ns.dataset_status(record, national, NATIONAL_URL)
    assert (status.harvested_at, status.harvest_source) == ("2026-12-04T01:02:03", "แหล่ง")
    assert ("harvest_object_show", {"id": "ho-9"}) in national.calls
