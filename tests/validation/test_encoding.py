"""decode_table: declared encoding, UTF-8 (± BOM), cp874 only for well-formed Thai, else error."""

from __future__ import annotations

import codecs

import pytest
from frictionless import Resource

from flows.validation.encoding import decode_table, line_ending_findings, looks_like_thai
from flows.validation.findings import Severity

THAI_VOTE_LABELS = ["เห็นด้วย", "ไม่เห็นด้วย", "งดออกเสียง", "ไม่ลงคะแนนเสียง", "ขาด"]


def _one_thai_word_in_ascii(word: str) -> str:
    """50 ASCII data rows, one of which holds a single Thai word: the chardet trap."""
    lines = ["id,name,note"] + [f"{i},senator {i},ok" for i in range(1, 51)]
    lines[25] = f"25,{word},ok"
    return "\n".join(lines) + "\n"


def _rules(decoded) -> list[str]:
    return [finding.rule for finding in decoded.findings]


def test_utf8_is_decoded_without_findings():
    decoded = decode_table("id,name\n1,สมชาย\n".encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.findings) == ("id,name\n1,สมชาย\n", "utf-8", [])


def test_utf8_bom_is_stripped_and_recorded_as_utf8_sig():
    decoded = decode_table(codecs.BOM_UTF8 + "id,name\n1,สมชาย\n".encode("utf-8"))
    assert decoded.text.startswith("id,")
    assert decoded.encoding == "utf-8-sig"
    assert decoded.findings == []


def test_dense_thai_cp874_is_decoded_with_a_warning():
    text = "id,label\n" + "".join(f"{i},{label}\n" for i, label in enumerate(THAI_VOTE_LABELS))
    decoded = decode_table(text.encode("cp874"))
    assert decoded.text == text
    assert decoded.encoding == "cp874"
    [finding] = decoded.findings
    assert (finding.rule, finding.severity) == ("encoding/not-utf8", Severity.WARNING)
    assert "UTF-8" in finding.hint_en and "source.encoding" in finding.hint_en


def test_one_thai_word_in_ascii_rows_is_thai_not_mojibake():
    word = "เลือกตั้ง"
    data = _one_thai_word_in_ascii(word).encode("cp874")
    # What frictionless (chardet) makes of it on its own: a Western code page and mojibake.
    resource = Resource(data=data, format="csv")
    resource.infer()
    detected = resource.encoding
    names = [row["name"] for row in resource.read_rows()]
    assert detected != "cp874"
    assert word not in names
    # Our path: cp874, and the word intact.
    decoded = decode_table(data)
    assert decoded.encoding == "cp874"
    assert "25," + word + ",ok" in decoded.text.splitlines()


def test_latin1_without_thai_is_not_taken_for_cp874():
    # "é" is byte 0xE9, which cp874 maps to the Thai tone mark ้: decodable, but not Thai.
    data = "id,city\n1,café\n2,São Paulo\n3,© 2020\n".encode("latin-1")
    decoded = decode_table(data)
    assert decoded.text is None
    assert _rules(decoded) == ["encoding/undecodable"]
    assert "latin-1" in decoded.findings[0].hint_en


def test_latin1_decodes_when_declared():
    decoded = decode_table("id,city\n1,café\n".encode("latin-1"), declared="latin-1")
    assert decoded.text == "id,city\n1,café\n"
    assert decoded.findings == []


def test_declared_encoding_that_fails_names_the_byte_offset_and_stops():
    data = "id,name\n1,สมชาย\n".encode("cp874")
    decoded = decode_table(data, declared="utf-8")
    assert decoded.text is None
    [finding] = decoded.findings
    assert finding.rule == "encoding/declared-mismatch"
    assert finding.severity is Severity.ERROR
    assert "offset 10" in finding.message_en
    assert "ตำแหน่ง 10" in finding.message_th
    assert "source.encoding" in finding.hint_en


def test_unknown_declared_encoding_is_an_error():
    decoded = decode_table(b"id\n1\n", declared="thai-please")
    assert _rules(decoded) == ["encoding/unknown-declared"]


def test_declared_utf8_with_bom_drops_the_bom():
    decoded = decode_table(codecs.BOM_UTF8 + b"id\n1\n", declared="UTF8")
    assert (decoded.text, decoded.encoding) == ("id\n1\n", "utf-8-sig")


def test_utf16_with_bom_is_read_with_a_warning():
    decoded = decode_table("id,name\n1,สมชาย\n".encode("utf-16"))
    assert decoded.text == "id,name\n1,สมชาย\n"
    assert _rules(decoded) == ["encoding/not-utf8"]


def test_spreadsheet_bytes_are_not_csv():
    decoded = decode_table(b"PK\x03\x04" + b"\x00" * 40)
    assert decoded.text is None
    assert _rules(decoded) == ["encoding/not-csv"]
    assert "CSV UTF-8" in decoded.findings[0].hint_en


@pytest.mark.parametrize("text, ok", [
    ("ณ วันที่ 1 ตุลาคม", True),
    ("น้ำ ไม่เห็นด้วย กรุงเทพฯ", True),
    ("caf" + "\u0e49", False),          # é read as cp874: a tone mark after a Latin letter
    ("S\u0e43o Paulo", False),          # ã read as cp874: a leading vowel glued to Latin
    ("\u0e09 2020", False),             # © read as cp874: a lone consonant
    ("plain ASCII", False),
])
def test_looks_like_thai(text, ok):
    assert looks_like_thai(text) is ok


def test_mixed_line_endings_warn_but_decode():
    decoded = decode_table(b"a,b\r\n1,2\n3,4\n")
    assert decoded.text == "a,b\r\n1,2\n3,4\n"
    assert _rules(decoded) == ["encoding/mixed-line-endings"]
    assert decoded.findings[0].severity is Severity.WARNING


def test_line_breaks_inside_quoted_cells_are_not_mixed_endings():
    assert line_ending_findings('a,b\r\n1,"two\nlines"\r\n') == []


def test_cr_only_line_endings_warn():
    [finding] = line_ending_findings("a,b\r1,2\r")
    assert finding.rule == "encoding/cr-line-endings"


def test_common_thai_typing_habits_still_count_as_thai():
    # "เเ" typed for "แ", and a doubled tone mark: real data, not mojibake.
    assert looks_like_thai("เเต่ ไม่่ได้")


@pytest.mark.parametrize("data", [b"", codecs.BOM_UTF8], ids=["empty", "bom-only"])
def test_an_empty_file_is_an_error_and_no_text(data):
    decoded = decode_table(data)
    assert decoded.text is None
    assert [f.rule for f in decoded.findings] == ["structure/empty-file"]


def test_nul_characters_mean_a_binary_file_and_no_text():
    decoded = decode_table(b"SQLite format 3\x00\x10\x00")
    assert (decoded.text, decoded.encoding) == (None, "binary")
    [finding] = decoded.findings
    assert finding.rule == "encoding/binary-file"
    assert "SQLite" not in finding.message_en and "character 15" in finding.message_en
