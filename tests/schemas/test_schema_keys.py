"""Primary and foreign keys name fields and resources that exist."""

from tests.schemas.conftest import PILOTS


def _names(schema):
    return [field["name"] for field in schema["fields"]]


def _as_list(value):
    return [value] if isinstance(value, str) else list(value)


def test_primary_keys_are_fields_of_the_schema(schemas, dataset_id):
    schema = schemas[dataset_id]
    assert schema["primaryKey"]
    assert set(_as_list(schema["primaryKey"])) <= set(_names(schema))


def test_foreign_keys_reference_primary_keys_of_package_resources(schemas, datapackage):
    resources = {resource["name"] for resource in datapackage["resources"]}
    references = []
    for dataset_id in PILOTS:
        for key in schemas[dataset_id].get("foreignKeys", []):
            fields, target = _as_list(key["fields"]), key["reference"]["resource"]
            assert set(fields) <= set(_names(schemas[dataset_id]))
            assert target in resources
            assert _as_list(key["reference"]["fields"]) == _as_list(schemas[target]["primaryKey"])
            references.append((dataset_id, tuple(fields), target))
    assert references == [("senator-votes", ("senator_id",), "senators"),
                          ("senator-votes", ("vote_id",), "senate-votes")]


def test_the_contracted_primary_keys(schemas):
    assert {dataset_id: schemas[dataset_id]["primaryKey"] for dataset_id in PILOTS} == {
        "senate-votes": ["vote_id"], "senators": ["senator_id"],
        "senator-votes": ["senator_id", "vote_id"]}


# --- every table has a key ------------------------------------------------------------------------

def _every_schema():
    from tests.schemas.conftest import SCHEMAS, load_json
    return {path.name.removesuffix(".schema.json"): load_json(path)
            for path in sorted(SCHEMAS.glob("*.schema.json"))}


def test_every_table_schema_declares_a_primary_key_of_its_fields():
    schemas = _every_schema()
    assert len(schemas) >= 14
    for dataset_id, schema in schemas.items():
        key = _as_list(schema.get("primaryKey") or [])
        assert key and set(key) <= set(_names(schema)), dataset_id


def test_every_committed_table_is_unique_on_its_primary_key():
    import csv

    from flows.settings import PROJECT_ROOT

    checked = []
    for dataset_id, schema in _every_schema().items():
        path = PROJECT_ROOT / "datasets" / dataset_id / f"{dataset_id}.csv"
        if not path.exists():   # a derived dataset's CSV is generated state
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            keys = [tuple(row[f] for f in _as_list(schema["primaryKey"]))
                    for row in csv.DictReader(handle)]
        assert len(keys) == len(set(keys)), dataset_id
        checked.append(dataset_id)
    assert "kpi-progress" in checked


def test_kpi_progress_is_keyed_by_kpi_year_and_round():
    """One report per KPI, fiscal year and round (datasets/kpi-progress/raw/PROVENANCE.md)."""
    assert _every_schema()["kpi-progress"]["primaryKey"] == [
        "kpi_id", "fiscal_year_be", "round_months"]
