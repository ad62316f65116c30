"""Which cells a spreadsheet would run as a formula, and their neutralised form (OWASP)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from flows.csv_safety import formula_cells, needs_neutralising, neutralise, neutralise_values

# (cell, what the public CSV holds): OWASP's triggers and its classic payloads first.
CASES = [
    ("=1+1", "'=1+1"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+66 81 234 5678", "'+66 81 234 5678"),  # spaces: not a plain number
    ("-INF", "'-INF"),
    ("-1,23", "'-1,23"),                      # not a thousands grouping
    ("--", "'--"),
    ("+", "'+"), ("=", "'="), ("@", "'@"),    # bare triggers other than "-"
    # left alone
    ("ร่างพระราชบัญญัติงบประมาณ", "ร่างพระราชบัญญัติงบประมาณ"),
    ("1 = 1", "1 = 1"),                       # a trigger inside, not first
    (" =1+1", " =1+1"),                       # OWASP's list is about the first character
    ("-3", "-3"), ("+5.2", "+5.2"), ("-0.5", "-0.5"), ("-.5", "-.5"), ("-5.", "-5."),
    ("1e-3", "1e-3"), ("-1e-3", "-1e-3"), ("+1E5", "+1E5"),
    ("-1,234.50", "-1,234.50"), ("-1,234,567", "-1,234,567"),
    ("-๑๒", "-๑๒"), ("+๓.๕", "+๓.๕"),     # Thai digits
    ("-", "-"),                               # "no value" in Thai government tables
    ("", ""),
    ("'=1+1", "'=1+1"),                       # already neutralised: idempotent
]


@pytest.mark.parametrize("cell, public", CASES, ids=[repr(case[0]) for case in CASES])
def test_each_cell_is_neutralised_or_left_alone(cell: str, public: str) -> None:
    assert needs_neutralising(cell) is (public != cell)
    assert neutralise(cell) == public
    assert neutralise(neutralise(cell)) == public


def test_the_vectorised_mask_agrees_with_the_predicate_and_skips_non_text() -> None:
    cells = [cell for cell, _ in CASES]
    values = pd.Series([*cells, None, 5, np.nan, "=1+1"], index=range(10, 10 + len(cells) + 4),
                       dtype=object)
    expected = [needs_neutralising(cell) for cell in cells] + [False, False, False, True]
    assert formula_cells(values).tolist() == expected
    assert formula_cells(values.to_numpy()).tolist() == expected
    assert formula_cells(pd.Series([], dtype=object)).tolist() == []


def test_arrow_text_gives_the_same_mask_as_python_text() -> None:
    cells = [cell for cell, _ in CASES] + [None, "=1+1", "-", "+66 81 234 5678"]
    arrow = pd.Series(cells, dtype=pd.StringDtype("pyarrow"))
    expected = [cell is not None and needs_neutralising(cell) for cell in cells]
    assert formula_cells(arrow).tolist() == expected
    assert any(expected) and not all(expected)


def test_neutralise_values_prefixes_only_the_formulas_and_keeps_the_index() -> None:
    values = pd.Series(["=1+1", "-3", None, "ข้อความ", "@x"], index=[2, 3, 4, 5, 6], dtype=object)
    result = neutralise_values(values)
    assert result.to_dict() == {2: "'=1+1", 3: "-3", 4: None, 5: "ข้อความ", 6: "'@x"}
    assert values[2] == "=1+1"  # the input is not changed
