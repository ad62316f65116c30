"""build_dataset: the metadata's source block picks the reader and its raw files."""

import pytest

from flows.datasets import DatasetSpec
from flows.errors import ConfigError
from flows.sources import READERS, build_dataset, csv_text, ingest_dataset, write_csv

VOTES = "- id: '526'\n  votelog:\n    - {key: '1', value: '1'}\n"


def _spec(tmp_path, **source):
    raw = tmp_path / "datasets" / "senator-votes" / "raw"
    raw.mkdir(parents=True)
    (raw / "senate_vote.yaml").write_text(VOTES, encoding="utf-8")
    return DatasetSpec(id="senator-votes", root=tmp_path, metadata={"source": source})


def test_every_pilot_metadata_names_a_known_reader(project_root):
    import yaml
    for dataset_id in ("senate-votes", "senators", "senator-votes"):
        metadata = yaml.safe_load((project_root / "metadata" / f"{dataset_id}.yaml").read_text())
        assert metadata["id"] == dataset_id
        assert metadata["source"]["reader"] in READERS
        assert metadata["source"]["encoding"] == "utf-8"


def test_reader_runs_on_files_relative_to_the_dataset_folder(tmp_path):
    spec = _spec(tmp_path, reader="politician-directory/senator-votes",
                 files=["raw/senate_vote.yaml"], encoding="utf-8")
    frame, findings = build_dataset(spec)
    assert frame.values.tolist() == [["526", "1", "1", "เห็นด้วย", "yes"]]
    assert findings == []


def test_unknown_reader_lists_the_known_ones(tmp_path):
    spec = _spec(tmp_path, reader="spreadsheet", files=["raw/senate_vote.yaml"])
    with pytest.raises(ConfigError, match="'spreadsheet' is not a known reader; use one of "
                                          "excel, politician-directory/senate-votes"):
        build_dataset(spec)


@pytest.mark.parametrize("files", [None, [], "raw/senate_vote.yaml"])
def test_files_must_be_listed(tmp_path, files):
    spec = _spec(tmp_path, reader="politician-directory/senator-votes", files=files)
    with pytest.raises(ConfigError, match="source.files must list the raw files"):
        build_dataset(spec)


def test_files_outside_the_raw_folder_are_refused(tmp_path):
    spec = _spec(tmp_path, reader="politician-directory/senator-votes",
                 files=["../senators/raw/people.yaml"])
    with pytest.raises(ConfigError, match="outside datasets/senator-votes/raw/"):
        build_dataset(spec)


def test_ingest_writes_the_csv_where_the_dataset_expects_it(tmp_path):
    spec = _spec(tmp_path, reader="politician-directory/senator-votes",
                 files=["raw/senate_vote.yaml"])
    assert ingest_dataset(spec) == []
    assert spec.csv_path.read_bytes() == (
        "senator_id,vote_id,vote_code,vote_label_th,vote_label_en\n"
        "526,1,1,เห็นด้วย,yes\n").encode("utf-8")


def test_csv_is_utf8_without_bom_with_lf_and_quotes_only_when_needed(tmp_path):
    spec = _spec(tmp_path, reader="politician-directory/senator-votes",
                 files=["raw/senate_vote.yaml"])
    frame, _ = build_dataset(spec)
    frame.loc[2, "vote_label_en"] = 'a, "b"\nc'
    frame.loc[2, "vote_label_th"] = None
    path = write_csv(frame, tmp_path / "out" / "x.csv")
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data
    assert data.decode("utf-8").endswith('526,1,1,,"a, ""b""\nc"\n')
    assert csv_text(frame).encode("utf-8") == data
