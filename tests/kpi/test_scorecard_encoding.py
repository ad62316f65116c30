"""The scorecard reads its inputs as validation does (flows.csv_source): a steward's
kpi-progress saved from a spreadsheet in cp874, and declared so, scores the same as UTF-8; one
that cannot be read fails that derivation with what to fix, never a decode crash."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from flows.datasets import load_dataset
from flows.errors import DataFileError
from flows.kpi.derived import derive_conditions, derive_scorecard
from flows.datasets import DeriveContext
from tests.integration.publish_helpers import copy_project

# kpi-1-3-conditions: KPI 1.3 is scored from it (catalog_config/kpi_evidence_scoring.yaml).
DATASETS = ["kpi-register", "kpi-progress", "kpi-scorecard", "senate-units",
            "kpi-1-3-conditions"]


def _derive(root: Path) -> bytes:
    spec = load_dataset(root, "kpi-scorecard")
    context = DeriveContext(root=root, out_dir=root / "out", today=date(2026, 12, 5),
                            catalog_url="http://catalog.test", history=[])
    derive_conditions(load_dataset(root, "kpi-1-3-conditions"), context)
    derive_scorecard(spec, context)
    return spec.csv_path.read_bytes()


def _declare(root: Path, encoding: str) -> Path:
    metadata_path = root / "metadata" / "kpi-progress.yaml"
    metadata = yaml.safe_load(metadata_path.read_text(encoding="utf-8"))
    metadata["source"]["encoding"] = encoding
    metadata_path.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False),
                             encoding="utf-8")
    return root / "datasets" / "kpi-progress" / "kpi-progress.csv"


def test_a_cp874_progress_file_scores_as_its_utf8_original(tmp_path: Path) -> None:
    expected = _derive(copy_project(tmp_path / "utf8", DATASETS))
    root = copy_project(tmp_path / "cp874", DATASETS)
    progress = _declare(root, "cp874")
    progress.write_bytes(progress.read_text(encoding="utf-8").encode("cp874"))
    assert _derive(root) == expected


def test_an_unreadable_progress_file_is_a_clean_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "root", DATASETS)
    _declare(root, "utf-8").write_bytes(b"\x00\x01binary")
    with pytest.raises(DataFileError, match=r"kpi-progress\.csv cannot be read "
                                            r"\(encoding/binary-file\)"):
        _derive(root)
