import unicodedata
from datetime import date

import pytest

from flows.sources.cells import tidy_frame, to_cell


@pytest.mark.parametrize("value, cell", [
    (None, None), ("", None), ("ประชุม ส.ว.", "ประชุม ส.ว."), (" ", " "),
    (True, "true"), (False, "false"), (0, "0"), (210, "210"), (1.5, "1.5"),
    (date(2019, 8, 5), "2019-08-05"), (["ก", 1], '["ก", 1]'),
    ({"b": 1, "a": ""}, '{"a": "", "b": 1}'),
])
def test_raw_values_become_csv_text(value, cell):
    assert to_cell(value) == cell


def test_frame_keeps_column_order_text_cells_and_row_numbers():
    frame, findings = tidy_frame([{"b": "2", "a": None}], ["a", "b"])
    assert list(frame.columns) == ["a", "b"]
    assert list(frame.index) == [2]
    assert frame.loc[2].tolist() == [None, "2"]
    assert findings == []


def test_decomposed_text_is_normalised_and_reported():
    decomposed = unicodedata.normalize("NFD", "é")       # Thai is NFC-stable; Latin shows it
    frame, findings = tidy_frame([{"a": "x", "b": decomposed}], ["a", "b"])
    assert frame.loc[2, "b"] == "é"
    assert [(f.rule, f.row, f.field) for f in findings] == [("source/text-normalised", 2, "b")]
