"""The schema loads in the real CKAN + ckanext-scheming environment.

Runs ``ckan_wiring_check.py`` with the CKAN venv's interpreter
(``SENATE_CKAN_PYTHON``, default ``.stack/ckan-venv/bin/python``), because the
test venv has no CKAN. Skipped when that interpreter or the installed
extension is not there.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHECK = Path(__file__).with_name("ckan_wiring_check.py")


def _ckan_python() -> Path:
    default = REPO / ".stack" / "ckan-venv" / "bin" / "python"
    return Path(os.environ.get("SENATE_CKAN_PYTHON", default))


@pytest.fixture(scope="module")
def ckan_python() -> Path:
    python = _ckan_python()
    if not python.exists():
        pytest.skip(f"no CKAN interpreter at {python}")
    probe = subprocess.run(
        [str(python), "-c", "import ckanext.scheming, ckanext.senate_dga.plugin"],
        capture_output=True, text=True, timeout=120,
    )
    if probe.returncode != 0:
        pytest.skip(f"CKAN venv lacks scheming or senate_dga: {probe.stderr[-300:]}")
    return python


@pytest.mark.slow  # in CKAN's own Python, a child process: ~2.5 s
def test_scheming_loads_schema_and_builds_every_validator(ckan_python):
    result = subprocess.run(
        [str(ckan_python), str(CHECK)], capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # 59 + 24 thai_gdc, 2 pipeline marks, 8 trust-panel fields (quality 4, freshness 2,
    # open-data score 2)
    assert result.stdout.strip() == "ok: 93 fields"
