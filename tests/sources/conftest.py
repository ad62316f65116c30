"""Small raw files written from inline YAML, so each test shows the input it converts."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from flows.settings import PROJECT_ROOT


@pytest.fixture
def raw_yaml(tmp_path: Path) -> Callable[[str], Path]:
    """Write dedented YAML text to a file and return its path."""
    def write(text: str, name: str = "raw.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return write


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT
