import pytest

from flows.errors import ConfigError
from flows.sources.raw_yaml import SourceError, load_yaml_records, one_file


def test_reads_a_list_of_records(raw_yaml):
    assert load_yaml_records(raw_yaml("- {id: '1'}\n- {id: '2'}\n"), encoding="utf-8") == [
        {"id": "1"}, {"id": "2"}]


@pytest.mark.parametrize("text, message", [
    ("id: '1'\n", "must hold a YAML list of records"),
    ("- 1\n- 2\n", "must hold a YAML list of records"),
    ("- {id: '1'\n", "is not valid YAML"),
])
def test_wrong_shape_says_what_is_wrong(raw_yaml, text, message):
    with pytest.raises(SourceError, match=message):
        load_yaml_records(raw_yaml(text), encoding="utf-8")


def test_missing_file_says_where_to_put_it(tmp_path):
    with pytest.raises(SourceError, match="copy the raw file there"):
        load_yaml_records(tmp_path / "absent.yaml", encoding="utf-8")


def test_wrong_encoding_says_to_declare_the_real_one(tmp_path):
    path = tmp_path / "tis620.yaml"
    path.write_bytes("- {title: ประชุม}\n".encode("cp874"))
    with pytest.raises(SourceError, match="set source.encoding"):
        load_yaml_records(path, encoding="utf-8")


def test_declared_encoding_is_used(tmp_path):
    path = tmp_path / "tis620.yaml"
    path.write_bytes("- {title: ประชุม}\n".encode("cp874"))
    assert load_yaml_records(path, encoding="cp874") == [{"title": "ประชุม"}]


def test_one_file_readers_refuse_several(tmp_path):
    with pytest.raises(ConfigError, match="exactly one raw file, got 2"):
        one_file([tmp_path / "a", tmp_path / "b"], reader="x")
