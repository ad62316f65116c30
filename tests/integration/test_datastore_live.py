"""The DataStore and Data API on the real CKAN, as the public (anonymous) uses them.

A pipeline run of a few datasets (one with personal-data fields) pushes the rows of every
public data file; the public then counts, searches and filters them, and finds a table preview.
"""

from __future__ import annotations

import json
import threading
from datetime import date

import ckanapi
import pytest

from flows.catalog import CatalogClient
from flows.catalog.counting import CountingClient
from flows.catalog.owned import KIND_FIELD
from flows.csv_source import read_csv_records
from flows.orchestrate.plan_or_run import plan_or_run
from flows.settings import PROJECT_ROOT
from tests.integration.dga_payloads import valid_dataset
from tests.integration.publish_helpers import copy_project, purge_test_datasets

pytestmark = pytest.mark.integration

TODAY = date(2026, 11, 28)
#: senators has personal-data fields (a public copy + a private -internal companion).
DATASETS = ("senate-units", "senators", "kpi-2-3-ita")
_DATASTORE_ACTIONS = {"senate_datastore_replace", "datastore_delete", "resource_view_create"}
_CATALOG_WRITES = {"package_create", "package_patch", "package_revise", "resource_create",
                   "resource_patch",
                   "resource_delete", "member_create", "member_delete", "organization_create",
                   "group_create", "organization_patch", "group_patch", "dataset_purge"}


@pytest.fixture(scope="module")
def published(catalog_settings, stack_settings, tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("project"), DATASETS)
    client = CountingClient(CatalogClient(catalog_settings))
    runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="datastore",
                       dataset_ids=DATASETS)
    yield root, {run.dataset: run for run in runs}, client
    purge_test_datasets(catalog_settings, stack_settings, (*DATASETS, "senators-internal"))


def _data_resource(client, name: str) -> dict:
    package = client.call("package_show", id=name)
    [resource] = [r for r in package["resources"] if r.get(KIND_FIELD) == "data"]
    return resource


def _public_datasets(runs) -> list[str]:
    return [name for name, run in runs.items() if run.status == "published"
            and not run.described.fields.get("private")]


def test_every_dataset_of_the_run_is_published_with_its_datastore(published) -> None:
    _, runs, client = published
    for run in runs.values():
        assert run.status in ("published", "unchanged"), run.reason
    # DataStore writes are counted with the others (the run summary and records show them).
    assert set(client.writes) <= _DATASTORE_ACTIONS | _CATALOG_WRITES


def test_datastore_row_count_equals_the_public_csv(published, ckan_anonymous) -> None:
    _, runs, _ = published
    for name in _public_datasets(runs):
        data = next(r for r in runs[name].described.resources if r.kind == "data")
        rows = read_csv_records(data.path)
        resource = _data_resource(ckan_anonymous, name)
        assert resource["datastore_active"] is True, name
        found = ckan_anonymous.call("datastore_search", resource_id=resource["id"], limit=0)
        assert found["total"] == len(rows) > 0, name
        header = list(rows[0])
        assert [f["id"] for f in found["fields"] if f["id"] != "_id"] == header, name


def test_no_personal_column_reaches_the_datastore(published, ckan_anonymous,
                                                  ckan_admin) -> None:
    schema = json.loads((PROJECT_ROOT / "schemas" / "senators.schema.json").read_text("utf-8"))
    personal = {f["name"] for f in schema["fields"] if f.get("personalData")}
    assert personal, "the senators schema marks personal-data fields"
    resource = _data_resource(ckan_anonymous, "senators")
    info = ckan_anonymous.call("datastore_search", resource_id=resource["id"], limit=1)
    columns = {f["id"] for f in info["fields"]}
    assert not columns & personal
    assert not set(info["records"][0]) & personal
    # The private companion holds the full file: never pushed.
    internal = ckan_admin.call("package_show", id="senators-internal")
    for each in internal["resources"]:
        assert not each.get("datastore_active")
        assert ckan_admin.call("senate_datastore_digest", resource_id=each["id"])["exists"] is False


def test_types_and_thai_data_dictionary_come_from_the_table_schema(published,
                                                                   ckan_anonymous) -> None:
    schema = json.loads((PROJECT_ROOT / "schemas" / "senate-units.schema.json")
                        .read_text("utf-8"))
    resource = _data_resource(ckan_anonymous, "senate-units")
    info = ckan_anonymous.call("datastore_info", id=resource["id"])
    fields = {f["id"]: f for f in info["fields"]}
    for spec in schema["fields"]:
        column = fields[spec["name"]]
        expected = {"boolean": "bool", "integer": "int8", "date": "date"}.get(spec["type"], "text")
        assert column["type"] == expected, spec["name"]
        assert column["info"]["label"] == spec["title"]
        assert spec["description"].split()[0] in column["info"]["notes"]


def test_thai_full_text_q_and_filters_return_the_right_rows(published, ckan_anonymous) -> None:
    _, runs, _ = published
    data = next(r for r in runs["senate-units"].described.resources if r.kind == "data")
    rows = read_csv_records(data.path)
    resource_id = _data_resource(ckan_anonymous, "senate-units")["id"]
    # A whole Thai name (the "simple" text search splits on spaces, not inside Thai words).
    target = rows[0]["name_th"]
    found = ckan_anonymous.call("datastore_search", resource_id=resource_id, q=target,
                                limit=1000)
    assert target in [record["name_th"] for record in found["records"]]
    expected = {row["unit_code"] for row in rows if target in row["name_th"].split()
                or row["name_th"] == target}
    assert expected <= {record["unit_code"] for record in found["records"]}
    unit_type = rows[0]["unit_type"]
    filtered = ckan_anonymous.call("datastore_search", resource_id=resource_id,
                                   filters={"unit_type": unit_type}, limit=1000)
    assert filtered["total"] == sum(row["unit_type"] == unit_type for row in rows)
    assert {record["unit_type"] for record in filtered["records"]} == {unit_type}


def test_datastore_search_sql_is_disabled(published, ckan_anonymous) -> None:
    """Disabled on purpose (catalog_config/ckan.ini.template says why)."""
    resource_id = _data_resource(ckan_anonymous, "senate-units")["id"]
    with pytest.raises(ckanapi.CKANAPIError) as raised:
        ckan_anonymous.call("datastore_search_sql", sql=f'SELECT * FROM "{resource_id}"')
    assert "datastore_search_sql" in str(raised.value)


def test_a_datatables_preview_exists_for_every_public_data_file(published,
                                                                 ckan_anonymous) -> None:
    _, runs, _ = published
    for name in _public_datasets(runs):
        resource = _data_resource(ckan_anonymous, name)
        views = ckan_anonymous.call("resource_view_list", id=resource["id"])
        assert [v["view_type"] for v in views].count("datatables_view") == 1, name


def test_a_rerun_makes_zero_writes_datastore_included(published, catalog_settings) -> None:
    root, _, _ = published
    client = CountingClient(CatalogClient(catalog_settings))
    runs = plan_or_run(root, client=client, out_dir=root / "out", today=TODAY,
                       catalog_url=catalog_settings.url, run_id="datastore-again",
                       dataset_ids=DATASETS)
    assert {run.status for run in runs} <= {"published", "unchanged"}
    assert client.writes == []


def test_replace_is_atomic_for_a_concurrent_reader(ckan_admin, ckan_anonymous, create_dataset,
                                                   unique_name, stack_settings) -> None:
    """A reader counting rows while the table is replaced sees the old or the new count only."""
    package = create_dataset(**valid_dataset(unique_name("atomic")))
    resource = ckan_admin.call("resource_create", package_id=package["id"],
                               url="http://example.org/atomic.csv", name="atomic",
                               format="CSV")
    sizes = (300, 3000)

    def replace(size: int) -> None:
        ckan_admin.call("senate_datastore_replace", resource_id=resource["id"],
                        fields=[{"id": "n", "type": "int8", "info": {"label": "ลำดับ"}},
                                {"id": "word", "type": "text"}],
                        records=[{"n": i, "word": f"คำ {i}"} for i in range(size)],
                        primary_key=["n"], digest=f"size-{size}")

    replace(sizes[0])
    seen: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            found = ckan_anonymous.call("datastore_search", resource_id=resource["id"],
                                        limit=0)
            seen.append(found["total"])

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for size in (*sizes[::-1], *sizes, sizes[1]):
            replace(size)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert len(seen) > 5 and set(seen) <= set(sizes), sorted(set(seen))
    digest = ckan_admin.call("senate_datastore_digest", resource_id=resource["id"])
    assert digest == {"exists": True, "digest": f"size-{sizes[1]}", "rows": sizes[1]}
    with pytest.raises(ckanapi.ValidationError):   # a duplicate key rolls everything back
        ckan_admin.call("senate_datastore_replace", resource_id=resource["id"],
                        fields=[{"id": "n", "type": "int8"}], records=[{"n": 1}, {"n": 1}],
                        primary_key=["n"], digest="broken")
    after = ckan_admin.call("senate_datastore_digest", resource_id=resource["id"])
    assert after == digest
    # Deleting the resource drops its table (CKAN's datastore plugin; the pipeline's purge
    # deletes each resource first for this reason: dataset_purge alone would leave it).
    assert resource["id"] in _datastore_tables(stack_settings)
    ckan_admin.call("resource_delete", id=resource["id"])
    assert resource["id"] not in _datastore_tables(stack_settings)


def _datastore_tables(stack_settings) -> set[str]:
    from flows.stack import datastore, postgres, secrets_store
    from flows.stack.paths import StackPaths
    secrets = secrets_store.load_or_create(StackPaths(stack_settings).secrets)
    names = postgres._query(
        stack_settings.host, stack_settings.ports["postgres"], secrets["postgres_superuser"],
        "SELECT string_agg(relname, ' ') FROM pg_class WHERE relkind = 'r' AND "
        "relnamespace = 'public'::regnamespace", database=datastore.DB_NAME)
    return set(names.split())


def test_the_read_only_role_may_only_read_the_datastore(published, stack_settings,
                                                        ckan_anonymous) -> None:
    """The role behind the public's searches: SELECT on the tables, nothing else, and no way
    into CKAN's own database (what `stack up` applied from CKAN's permissions script)."""
    from flows.stack import datastore, postgres, secrets_store
    from flows.stack.paths import StackPaths
    secrets = secrets_store.load_or_create(StackPaths(stack_settings).secrets)
    table = _data_resource(ckan_anonymous, "senate-units")["id"]
    where = {"host": stack_settings.host, "port": stack_settings.ports["postgres"]}
    rights = postgres._query(
        **where, password=secrets["postgres_superuser"], database=datastore.DB_NAME,
        sql=f"SELECT string_agg(p || '=' || has_table_privilege('{datastore.READ_ROLE}', "
            f"'\"{table}\"', p)::text, ',' ORDER BY p) FROM unnest(ARRAY['SELECT', 'INSERT', "
            f"'UPDATE', 'DELETE', 'TRUNCATE']) AS p")
    assert rights == "DELETE=false,INSERT=false,SELECT=true,TRUNCATE=false,UPDATE=false"
    assert postgres._query(**where, password=secrets["postgres_superuser"], sql=(
        f"SELECT has_database_privilege('{datastore.READ_ROLE}', '{postgres.DB_NAME}', "
        "'CONNECT')")) == "f"
