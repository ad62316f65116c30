"""The committed pilot CSVs are exactly what their conversion produces today, so a CSV can never
drift from its raw file and reader. After changing a reader, regenerate them with:

    .venv/bin/python -c "from flows.settings import PROJECT_ROOT as R; \\
        from flows.datasets import load_dataset as L; from flows.sources import ingest_dataset; \\
        [ingest_dataset(L(R, i)) for i in ('senate-votes', 'senators', 'senator-votes')]"
"""

import pytest

from flows.datasets import load_dataset
from flows.sources import build_dataset, csv_text

pytestmark = pytest.mark.slow  # every test converts the raw pilots (fixture): ~6 s

PILOTS = {"senate-votes": 146, "senators": 252, "senator-votes": 36540}


@pytest.fixture(scope="module", params=sorted(PILOTS))
def converted(request, project_root):
    spec = load_dataset(project_root, request.param)
    frame, findings = build_dataset(spec)
    return spec, frame, findings


def test_committed_csv_is_byte_identical_to_its_conversion(converted):
    spec, frame, _ = converted
    assert spec.csv_path.read_bytes() == csv_text(frame).encode("utf-8"), (
        f"{spec.csv_path} differs from its conversion; regenerate it (see this module's docstring)")


def test_every_raw_row_is_kept(converted):
    spec, frame, _ = converted
    assert len(frame) == PILOTS[spec.id]


def test_real_data_needs_no_conversion_finding(converted):
    # The real data's problems (null counts, 2052 birth year, ...) are for the quality rules;
    # the conversion itself meets nothing it cannot show in the CSV.
    _, _, findings = converted
    assert findings == []
