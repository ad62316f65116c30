"""Typed frames that pass every rule of the pilot suites, built to the table-schema contract.

Index = row number (first data row is 2); integers Int64, booleans "boolean", dates datetime64,
text ``string[pyarrow]`` (pd.NA when missing), as the table-schema stage builds them. Tests copy
one and break one rule at a time.
"""

from __future__ import annotations

import datetime

import pandas as pd

TODAY = datetime.date(2025, 1, 1)
TEXT = pd.StringDtype("pyarrow")

VOTE_CODES = {"1": ("เห็นด้วย", "yes"), "2": ("ไม่เห็นด้วย", "no"), "3": ("งดออกเสียง", "abstain"),
              "4": ("ไม่ลงคะแนนเสียง", "not voting"), "5": ("ขาด", "absent"),
              "-": ("ไม่เกี่ยวข้อง", "not applicable")}
# 100 codes in the pilot's proportions: 70 % yes, 20 % absent, the rest spread out.
PILOT_CODE_MIX = ["1"] * 70 + ["5"] * 20 + ["2"] * 4 + ["3"] * 3 + ["4"] * 2 + ["-"] * 1


def _frame(columns: dict[str, list], *, dtypes: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(values, dtype=dtypes.get(name, TEXT))
                          for name, values in columns.items()})
    frame.index = range(2, len(frame) + 2)
    return frame



def senate_votes_frame(rows: int = 120) -> pd.DataFrame:
    dates = [datetime.date(2019, 8, 5) + datetime.timedelta(days=i) for i in range(rows)]
    ints = "Int64"
    return _frame({
        "vote_id": list(range(1, rows + 1)),
        "vote_date": pd.to_datetime(dates),
        "sitting_code": [f"{d:%d/%m}/{(d.year + 543) % 100:02d}-{i + 1}"
                         for i, d in enumerate(dates)],
        "sitting_date": pd.to_datetime(dates),
        "sitting_sequence": list(range(1, rows + 1)),
        "title": [f"เรื่องที่ {i + 1}" for i in range(rows)],
        "legal_title": [f"ร่างพระราชบัญญัติฉบับที่ {i + 1}" for i in range(rows)],
        "meeting": ["ประชุม ส.ว."] * rows,
        "vote_type": ["ผ่านกฎหมาย", "ข้อบังคับการประชุม"] * (rows // 2),
        "passed": [True, False] * (rows // 2),
        "approve": [150] * rows, "disprove": [30] * rows, "abstained": [10] * rows,
        "absent": [50] * rows, "total_voter": [190] * rows, "total_member": [250] * rows,
        "record_url": [f"https://www.senate.go.th/r/{i}.pdf" for i in range(rows)],
        "summary_url": [f"https://www.senate.go.th/s/{i}.pdf" for i in range(rows)],
        "other_documents": [None] * rows,
    }, dtypes={"vote_id": ints, "sitting_sequence": ints, "passed": "boolean",
               "vote_date": "datetime64[us]", "sitting_date": "datetime64[us]",
               **{c: ints for c in ("approve", "disprove", "abstained", "absent",
                                    "total_voter", "total_member")}})


def senators_frame(rows: int = 250) -> pd.DataFrame:
    methods = ["เลือกโดย คสช.", "เลือกกันเอง", "โดยตำแหน่ง"]
    births = [datetime.date(1950, 1, 1) + datetime.timedelta(days=30 * i) for i in range(rows)]
    return _frame({
        "senator_id": list(range(1, rows + 1)),
        "title": ["นาย"] * rows,
        "first_name": [f"ชื่อ{i}" for i in range(rows)],
        "last_name": [f"สกุล{i}" for i in range(rows)],
        "first_name_en": [f"Name{i}" for i in range(rows)],
        "last_name_en": [f"Surname{i}" for i in range(rows)],
        "selection_method": [methods[i % 3] for i in range(rows)],
        "gender": ["หญิง" if i % 5 == 0 else "ชาย" for i in range(rows)],
        "occupation_group": ["ทหาร"] * rows,
        "education": ["ปริญญาโท"] * rows,
        "birthdate": pd.to_datetime(births),
    }, dtypes={"senator_id": "Int64", "birthdate": "datetime64[us]"})


def senator_votes_frame(senators: int = 210, votes: int = 50,
                        code_mix: list[str] | None = None) -> pd.DataFrame:
    mix = code_mix or PILOT_CODE_MIX
    rows = senators * votes
    codes = [mix[i % len(mix)] for i in range(rows)]
    return _frame({
        "senator_id": [1 + i // votes for i in range(rows)],
        "vote_id": [1 + i % votes for i in range(rows)],
        "vote_code": codes,
        "vote_label_th": [VOTE_CODES[c][0] for c in codes],
        "vote_label_en": [VOTE_CODES[c][1] for c in codes],
    }, dtypes={"senator_id": "Int64", "vote_id": "Int64"})
