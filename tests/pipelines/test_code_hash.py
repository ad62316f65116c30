"""The code part of every cache key: what validate and describe run, and nothing else."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.orchestrate import code_hash
from flows.orchestrate.code_hash import CHECKOUT, result_code_files

pytestmark = pytest.mark.slow  # copies and hashes the source tree per case: ~8 s

FLOWS = CHECKOUT / "flows"


def test_every_module_the_stages_load_is_hashed() -> None:
    """What importing the stages loads, in a fresh interpreter, is all in the hash."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, flows.orchestrate.stages; print('\\n'.join("
                               "m.__file__ for m in list(sys.modules.values()) "
                               "if m.__name__.split('.')[0] in ('flows', 'ckanext') "
                               "and getattr(m, '__file__', None)))"],
        capture_output=True, text=True, check=True, cwd=CHECKOUT).stdout.split()
    assert loaded and {Path(path).resolve() for path in loaded} <= set(result_code_files())


def test_the_hash_holds_lazy_imports_templates_and_the_extension_not_the_cli() -> None:
    names = {path.relative_to(CHECKOUT).as_posix() for path in result_code_files()}
    assert {"flows/validation/validate.py", "flows/describe/describe.py",
            "flows/csv_safety.py",                              # via validation, public copy
            "flows/validation/templates/report.html", "flows/templates/house.css",
            "catalog_config/ckanext-senate_dga/ckanext/senate_dga/rules.py",
            "catalog_config/ckanext-senate_dga/ckanext/senate_dga/schemas/dga_dataset.yaml",
            } <= names
    assert not {"flows/cli.py", "flows/orchestrate/plan_or_run.py", "flows/pipelines/catalog_flow.py",
                "flows/stack/manager.py"} & names


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the code, which code_hash reads instead of this checkout."""
    shutil.copytree(FLOWS, tmp_path / "flows", ignore=shutil.ignore_patterns("__pycache__"))
    extension = Path("catalog_config") / "ckanext-senate_dga"
    shutil.copytree(CHECKOUT / extension, tmp_path / extension,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    monkeypatch.setattr(code_hash, "CHECKOUT", tmp_path)
    monkeypatch.setattr(code_hash, "_EXTENSION_DIR", tmp_path / extension)
    monkeypatch.setattr(code_hash, "_BASES", {"flows": tmp_path,
                                              "ckanext": tmp_path / extension})
    return tmp_path


@pytest.mark.parametrize(("relative", "changes"), [
    ("flows/csv_safety.py", True),
    ("flows/validation/templates/report.html", True),
    ("catalog_config/ckanext-senate_dga/ckanext/senate_dga/schemas/presets.yaml", True),
    ("flows/cli.py", False),
    ("flows/stack/manager.py", False),
])
def test_a_changed_file_changes_the_hash_when_results_depend_on_it(
        checkout: Path, relative: str, changes: bool) -> None:
    before = code_hash.code_sha256.__wrapped__()
    with (checkout / relative).open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    assert (code_hash.code_sha256.__wrapped__() != before) is changes
