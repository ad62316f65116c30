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
