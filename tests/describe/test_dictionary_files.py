"""dictionary.csv and dictionary.html: per dataset and catalog-wide, deterministic, safe to open."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from flows.describe.dictionary import (DICTIONARY_COLUMNS, PERSONAL_EXAMPLE_NOTE,
                                       build_data_dictionary, write_catalog_dictionary,
                                       write_data_dictionary)
from tests.describe.dictionary_samples import PILOTS, pilot_csv, pilot_schema


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _entries(dataset: str) -> list[dict]:
    return build_data_dictionary(pilot_schema(dataset), None, dataset=dataset,
                                 title=f"ชื่อชุดข้อมูล {dataset}", csv_path=pilot_csv(dataset))


def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _birthdates() -> list[str]:
    with pilot_csv("senators").open(encoding="utf-8", newline="") as handle:
        return [row["birthdate"] for row in csv.DictReader(handle) if row["birthdate"]]


def test_dataset_files_are_written_as_csv_with_bom_and_html(tmp_path: Path) -> None:
    paths = write_data_dictionary(_entries("senators"), tmp_path)
    assert paths == {"csv": tmp_path / "dictionary.csv", "html": tmp_path / "dictionary.html"}
    raw = paths["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel shows Thai only with the BOM
    assert raw.split(b"\r\n")[0].decode("utf-8-sig") == ",".join(DICTIONARY_COLUMNS)
    rows = _csv_rows(paths["csv"])
    fields = pilot_schema("senators")["fields"]
    assert [(r["field"], r["label_th"]) for r in rows] == [(f["name"], f["title"]) for f in fields]
    birthdate = rows[-1]
    assert (birthdate["personal_data"], birthdate["examples"]) == ("true", PERSONAL_EXAMPLE_NOTE)
    assert rows[0]["constraints_en"] == "required; unique; ≥ 1" and rows[0]["keys_en"] == \
        "primary key"


def test_birthdates_appear_nowhere_in_any_output(tmp_path: Path) -> None:
    write_data_dictionary(_entries("senators"), tmp_path / "senators")
    write_catalog_dictionary([e for d in PILOTS for e in _entries(d)], tmp_path / "catalog")
    outputs = [path.read_bytes().decode("utf-8-sig") for path in sorted(tmp_path.rglob("*.*"))]
    assert len(outputs) == 4
    birthdates = _birthdates()
    assert len(birthdates) > 200
    for text in outputs:
        leaked = [value for value in birthdates if value in text]
        assert not leaked, leaked[:3]
        assert PERSONAL_EXAMPLE_NOTE in text


def test_same_entries_give_the_same_bytes(tmp_path: Path) -> None:
    first = write_data_dictionary(_entries("senate-votes"), tmp_path / "a")
    second = write_data_dictionary(_entries("senate-votes"), tmp_path / "b")
    for kind in ("csv", "html"):
        assert first[kind].read_bytes() == second[kind].read_bytes()
    catalog_a = write_catalog_dictionary([e for d in PILOTS for e in _entries(d)], tmp_path / "c")
    reversed_input = [e for d in reversed(PILOTS) for e in _entries(d)]
    catalog_b = write_catalog_dictionary(reversed_input, tmp_path / "d")
    for kind in ("csv", "html"):
        assert catalog_a[kind].read_bytes() == catalog_b[kind].read_bytes()


def test_html_is_self_contained_thai_first_and_shows_every_field(tmp_path: Path) -> None:
    page = write_data_dictionary(_entries("senate-votes"), tmp_path)["html"].read_text("utf-8")
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "link", "img", "iframe", "object"}, tag
        for name in ("src", "href", "data", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value or value.startswith("#"), (tag, attrs)
    assert "@import" not in page and "url(" not in page and "default-src 'none'" in page
    assert '<html lang="th">' in page and page.index("พจนานุกรมข้อมูล") < page.index(
        "Data dictionary")
    for field in pilot_schema("senate-votes")["fields"]:
        assert f"<code>{field['name']}</code>" in page and field["title"] in page
    # URLs in the data are shown as text, never turned into links.
    assert "https://www.senate.go.th/document/mRecordM/Ext42/42835_0001.PDF" in page


def test_html_escapes_markup_from_the_schema_and_the_data(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "x", "title": "<script>alert(1)</script>", "type": "string",
                          "description": 'A "quoted" <b>field</b>.'}]}
    frame = pd.DataFrame({"x": pd.Series(['"><img src=x onerror=alert(1)>'], dtype=object)})
    entries = build_data_dictionary(schema, frame, dataset="<script>", title="<b>t</b>")
    for path in write_data_dictionary(entries, tmp_path).values():
        if path.suffix == ".html":
            page = path.read_text("utf-8")
            assert "<script>" not in page and "<img" not in page and "<b>" not in page
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
            assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page


def test_catalog_dictionary_covers_the_three_pilots_grouped_by_dataset(tmp_path: Path) -> None:
    entries = [e for d in PILOTS for e in _entries(d)]
    paths = write_catalog_dictionary(entries, tmp_path)
    rows = _csv_rows(paths["csv"])
    assert [r["dataset"] for r in rows] == sorted(r["dataset"] for r in rows)
    assert {r["dataset"] for r in rows} == set(PILOTS)
    assert len(rows) == sum(len(pilot_schema(d)["fields"]) for d in PILOTS)
    page = paths["html"].read_text("utf-8")
    for dataset in PILOTS:
        anchor = f"dataset-{dataset}"
        assert f'href="#{anchor}"' in page and f'<section id="{anchor}">' in page
    assert len(re.findall(r"<table ", page)) == 3


def test_one_dataset_file_refuses_entries_of_several_datasets(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="write_catalog_dictionary"):
        write_data_dictionary(_entries("senators") + _entries("senator-votes"), tmp_path)
    with pytest.raises(ValueError, match="none"):
        write_data_dictionary([], tmp_path)


def test_no_dictionary_cell_is_a_live_spreadsheet_formula(tmp_path: Path) -> None:
    """Descriptions are free text and examples come from data cells (OWASP CSV injection)."""
    schema = {"fields": [
        {"name": "link", "type": "string", "title": "=ลิงก์", "description": "@mention me"},
        {"name": "delta", "type": "string", "title": "ผลต่าง", "description": "-"},
    ]}
    frame = pd.DataFrame({"link": pd.Series(['=HYPERLINK("http://x","y")', "ok"], dtype=object),
                          "delta": pd.Series(["-3", "+cmd|' /C calc'!A0"], dtype=object)})
    entries = build_data_dictionary(schema, frame, dataset="formulas", title="+1 ชุดข้อมูล")
    written = write_data_dictionary(entries, tmp_path / "one")["csv"]
    catalog = write_catalog_dictionary(entries, tmp_path / "catalog")["csv"]
    for path in (written, catalog):
        link, delta = _csv_rows(path)
        assert (link["label_th"], link["description_en"]) == ("'=ลิงก์", "'@mention me")
        assert link["dataset_title"] == "'+1 ชุดข้อมูล"
        assert link["examples"] == '\'=HYPERLINK("http://x","y")\nok'
        assert delta["description_en"] == "-"  # a lone "-" is "no value", not a formula
        # One cell holds every example: it is judged whole (a spreadsheet reads it whole).
        assert delta["examples"] == "'-3\n+cmd|' /C calc'!A0"
