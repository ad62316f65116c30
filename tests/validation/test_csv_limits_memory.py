"""`validate` on a 20 MB single-line CSV stays under 300 MB (it peaked at
gigabytes before the line, cell and row limits of flows.validation.csv_limits).

Each case runs `senate-catalog validate` in a fresh Python process on a copy of the project and
that process reports its own peak resident memory: ``VmHWM`` of /proc/self/status, not
``ru_maxrss``, which Linux carries over from the pytest process it was forked from. The
dataset has no GX suite:
importing Great Expectations alone takes some 260 MB, whatever the data, so a suite would
measure the library, not the line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.csv_source_samples import add_csv_dataset
from tests.integration.publish_helpers import copy_project

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(),
                                reason="measures peak memory from /proc (Linux)")

DATASET = "zz-long-line"
LIMIT_MB = 300
#: What the pathological line may add to the same validation of a small file.
EXTRA_MB = 120
MB = 1 << 20
HEADER = b"code,name_en,note_th,updated\n"
SHAPES = {
    "small": HEADER + b"R01,Room,open,2024-01-01\n",
    # ten million cells on one line
    "cells": HEADER + b"R01," + b"x," * (10 * MB) + b"2024-01-01\n",
    # one 20 MB cell
    "cell": HEADER + b"R01,Room," + b"a" * (20 * MB) + b",2024-01-01\n",
}

_CHILD = """
import json, re, sys
from pathlib import Path
from click.testing import CliRunner
import flows.cli
result = CliRunner().invoke(flows.cli.cli, ["validate", sys.argv[2], "--project", sys.argv[1],
                                            "--out", sys.argv[3], "--today", "2026-12-05"])
status = Path("/proc/self/status").read_text()
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1))
print(json.dumps({"exit": result.exit_code, "output": result.output, "peak_mb": peak_kb / 1024}))
"""


def _validate_peak(tmp_path: Path, shape: str) -> dict:
    root = copy_project(tmp_path / shape, [])
    add_csv_dataset(root, DATASET, SHAPES[shape], suite=False)
    out = tmp_path / f"out-{shape}"
    done = subprocess.run([sys.executable, "-c", _CHILD, str(root), DATASET, str(out)],
                          capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["rules"] = {f["rule"] for f in json.loads(
        (out / DATASET / "validation.json").read_text(encoding="utf-8"))["findings"]}
    return report


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _validate_peak(tmp_path_factory.mktemp("memory"), "small")


@pytest.mark.parametrize(("shape", "rule"), [("cells", "structure/line-too-long"),
                                             ("cell", "structure/cell-too-long")])
@pytest.mark.slow  # 20 MB lines, in child processes: ~12 s
def test_a_20_mb_line_is_cut_with_a_finding_under_300_mb(tmp_path: Path, small: dict,
                                                         shape: str, rule: str) -> None:
    assert len(SHAPES[shape]) > 20 * MB
    report = _validate_peak(tmp_path, shape)
    assert report["exit"] == 1, report["output"]
    assert rule in report["rules"]
    assert "Traceback" not in report["output"]
    assert report["peak_mb"] < LIMIT_MB, report
    assert report["peak_mb"] - small["peak_mb"] < EXTRA_MB, (report, small)
