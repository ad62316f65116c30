"""CSV parsing with the dialect frictionless is given, and quoting mistakes as findings."""

from __future__ import annotations

from flows.validation.csv_rows import choose_dialect, read_rows


def test_default_dialect_is_plain_comma_csv():
    control = choose_dialect("a;b\n1;2\n", delimiter=",")
    assert (control.delimiter, control.quote_char, control.escape_char) == (",", '"', None)


def test_sniffing_finds_semicolons():
    assert choose_dialect("a;b\n1;2\n3;4\n", delimiter=None).delimiter == ";"


def test_rows_are_tuples_with_quoted_newlines_kept():
    parsed = read_rows('a,b\r\n1,"two\nlines"\r\n')
    assert parsed.rows == [("a", "b"), ("1", "two\nlines")]
    assert parsed.findings == []


def test_unclosed_quote_is_a_finding_and_rows_still_come():
    parsed = read_rows('a,b\n1,"open\n2,3\n')
    [finding] = parsed.findings
    assert (finding.rule, finding.row) == ("structure/malformed-quoting", 2)
    assert parsed.rows[0] == ("a", "b")


def test_text_after_a_closing_quote_is_a_finding():
    parsed = read_rows('a,b\n1,2\n3,"x" y\n')
    assert [(f.rule, f.row) for f in parsed.findings] == [("structure/malformed-quoting", 3)]
    assert parsed.rows[2] == ("3", "x y")
