"""The readable dictionaries are public files: the public-surface scan reads them too."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from flows.catalog.exposure import scan_public_surface
from flows.describe.dictionary import build_data_dictionary, write_data_dictionary
from flows.validation.personal_data import ContactAllowList
from tests.catalog.described_samples import described_dataset, resource_file

NAME = "zz-exposure-dictionary"
#: The sample's maintainer address is the agency's own mailbox (as in test_exposure).
ALLOW = ContactAllowList.from_organization({"organization": {"email": "data@senate.go.th"}})


def _with(described, *resources):
    return dataclasses.replace(described, resources=[*described.resources, *resources])


def test_a_personal_value_in_the_dictionary_page_holds_the_dataset(tmp_path: Path) -> None:
    # An example value the validation did not see as personal (e.g. in a free-text column)
    # ends up on the page, HTML-escaped: the scan decodes entities before it looks.
    schema = {"fields": [{"name": "note", "type": "string", "title": "หมายเหตุ",
                          "description_th": "หมายเหตุของรายการ"}]}
    frame_csv = tmp_path / "notes.csv"
    frame_csv.write_text("note\nโทร 081-234-5678\n", encoding="utf-8")
    entries = build_data_dictionary(schema, None, dataset=NAME, csv_path=frame_csv)
    page = write_data_dictionary(entries, tmp_path / "out")["html"]
    page.write_text(page.read_text(encoding="utf-8").replace("081", "&#48;81"), encoding="utf-8")
    html = resource_file(tmp_path, "dictionary-html", "dictionary.html",
                         page.read_text(encoding="utf-8"), fmt="HTML",
                         name="พจนานุกรมข้อมูล (HTML) / Data dictionary (HTML)")
    found = scan_public_surface(_with(described_dataset(tmp_path, NAME), html),
                                allow=ALLOW)
    assert [(f.field, f.rule) for f in found] == [("resource:dictionary-html",
                                                  "personal-data/phone-number")]
    assert found[0].blocking and "5678" not in (found[0].value or "")


def test_the_catalog_dictionary_page_is_scanned_as_well(tmp_path: Path) -> None:
    page = resource_file(tmp_path, "catalog-dictionary-page", "catalog-dictionary.html",
                         "<html><body><td>someone@gmail.com</td></body></html>", fmt="HTML",
                         name="พจนานุกรมข้อมูลของบัญชีข้อมูล (HTML)")
    found = scan_public_surface(_with(described_dataset(tmp_path, NAME), page),
                                allow=ALLOW)
    assert [(f.field, f.rule) for f in found] == [("resource:catalog-dictionary-page",
                                                  "personal-data/email")]


def test_a_clean_dictionary_page_passes(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "code", "type": "string", "title": "รหัส",
                          "description_th": "รหัสหน่วยงาน เช่น SEC"}]}
    source = tmp_path / "codes.csv"
    source.write_text("code\nSEC\nHOR\n", encoding="utf-8")
    page = write_data_dictionary(build_data_dictionary(schema, None, dataset=NAME,
                                                       csv_path=source), tmp_path / "out")["html"]
    html = resource_file(tmp_path, "dictionary-html", "dictionary.html",
                         page.read_text(encoding="utf-8"), fmt="HTML", name="x")
    assert scan_public_surface(_with(described_dataset(tmp_path, NAME), html),
                               allow=ALLOW) == []
