"""The one CSV reader (flows.csv_source): every stage decodes and parses a file the same way, and
a file that cannot be read is a finding or a ``DataFileError`` that never quotes its bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.csv_source import (csv_encoding, read_csv_records, read_csv_table, read_csv_text,
                              unreadable_message)
from flows.datasets import DatasetSpec
from flows.errors import DataFileError
from tests.csv_source_samples import (EMPTY, NUL_BINARY, SPARSE_THAI_CP874, SPARSE_THAI_TEXT,
                                      THAI_WORD, UNDECODABLE)


def _file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    return path


def test_a_declared_cp874_file_reads_as_its_thai_text(tmp_path: Path) -> None:
    table = read_csv_table(_file(tmp_path, SPARSE_THAI_CP874), encoding="cp874")
    assert table.source.text == SPARSE_THAI_TEXT
    assert (table.source.encoding, table.findings) == ("cp874", [])
    assert table.rows[3] == ("R03", "Reading room 3", THAI_WORD, "2024-01-03")
    assert not table.verbatim  # its bytes are not the UTF-8 that gets published


def test_an_undeclared_sparse_thai_cp874_file_is_thai_never_mojibake(tmp_path: Path) -> None:
    table = read_csv_table(_file(tmp_path, SPARSE_THAI_CP874))
    assert table.source.encoding == "cp874"
    assert table.rows[3][2] == THAI_WORD
    assert [f.rule for f in table.findings] == ["encoding/not-utf8"]


def test_a_utf8_file_is_verbatim(tmp_path: Path) -> None:
    table = read_csv_table(_file(tmp_path, SPARSE_THAI_TEXT.encode("utf-8")))
    assert table.verbatim and table.source.utf8
    assert len(table.rows) == 21


@pytest.mark.parametrize(("data", "rule"), [
    (EMPTY, "structure/empty-file"),
    (b"\xef\xbb\xbf", "structure/empty-file"),
    (NUL_BINARY, "encoding/binary-file"),
    (UNDECODABLE, "encoding/undecodable"),
], ids=["empty", "bom-only", "nul", "undecodable"])
def test_a_file_that_is_not_a_table_is_a_finding_and_a_clean_error(tmp_path: Path, data: bytes,
                                                                    rule: str) -> None:
    path = _file(tmp_path, data)
    table = read_csv_table(path)
    assert table.parsed is None
    assert [f.rule for f in table.findings] == [rule]
    with pytest.raises(DataFileError) as raised:
        table.rows  # noqa: B018 - the property raises
    message = str(raised.value)
    assert str(path) in message and f"({rule})" in message
    _assert_no_bytes(message, data)
    for finding in table.findings:
        _assert_no_bytes(f"{finding.message_en} {finding.message_th} {finding.value}", data)


def test_a_declared_encoding_the_bytes_do_not_match_is_an_error(tmp_path: Path) -> None:
    source = read_csv_text(_file(tmp_path, SPARSE_THAI_CP874), encoding="utf-8")
    assert source.text is None
    assert [f.rule for f in source.findings] == ["encoding/declared-mismatch"]
    assert "cannot be read (encoding/declared-mismatch)" in unreadable_message(source)


def test_records_are_like_dict_reader(tmp_path: Path) -> None:
    path = _file(tmp_path, "a,b\n1,2\n\n3\n".encode("cp874"))
    assert read_csv_records(path, encoding="cp874") == [{"a": "1", "b": "2"},
                                                        {"a": "3", "b": None}]


@pytest.mark.parametrize(("source", "expected"), [
    ({"encoding": "cp874"}, "cp874"),
    ({}, None),
    ({"reader": "politician-directory/senators", "encoding": "cp874"}, "utf-8"),
    ({"derived": "kpi/scorecard", "encoding": "cp874"}, "utf-8"),
])
def test_the_csv_encoding_is_declared_only_where_the_csv_is_the_source(
        tmp_path: Path, source: dict, expected: str | None) -> None:
    spec = DatasetSpec(id="zz-sample", root=tmp_path, metadata={"source": source})
    assert csv_encoding(spec) == expected


def _assert_no_bytes(text: str, data: bytes) -> None:
    """Neither the bytes' repr nor their text as any 8-bit codec would show it."""
    chunk = data[:16]
    if not chunk:
        return
    assert repr(chunk)[2:-1] not in text
    assert chunk.decode("latin-1") not in text
    assert chunk[:6].decode("latin-1") not in text  # e.g. "SQLite", "\x89PNG\r\n"
