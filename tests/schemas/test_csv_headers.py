"""The committed CSVs and their readers use exactly the schema's fields, in the schema's order."""

import csv

from flows.settings import PROJECT_ROOT
from flows.sources.politician_directory import senate_votes, senator_votes, senators

READER_COLUMNS = {"senate-votes": senate_votes.COLUMNS, "senators": senators.COLUMNS,
                  "senator-votes": senator_votes.COLUMNS}


def test_csv_header_equals_schema_field_order(schemas, dataset_id):
    path = PROJECT_ROOT / "datasets" / dataset_id / f"{dataset_id}.csv"
    with path.open(encoding="utf-8", newline="") as file:
        header = next(csv.reader(file))
    assert header == [field["name"] for field in schemas[dataset_id]["fields"]]


def test_reader_columns_equal_schema_field_order(schemas, dataset_id):
    assert list(READER_COLUMNS[dataset_id]) == [f["name"] for f in schemas[dataset_id]["fields"]]
