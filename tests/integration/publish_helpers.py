"""Helpers shared by the live publish tests: download and hash a resource, read a CSV header."""

from __future__ import annotations

import hashlib
import shutil
import time
import urllib.request
from pathlib import Path
from typing import Any

from flows.catalog.owned import KIND_FIELD
from flows.settings import PROJECT_ROOT


def copy_project(root: Path) -> Path:
    """The project's declarations and datasets under ``root``, for tests that edit a metadata
    file or add a dataset without touching the repository."""
    for folder in ("metadata", "schemas", "catalog_config", "datasets"):
        shutil.copytree(PROJECT_ROOT / folder, root / folder,
                        ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    return root


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def sha256_of_download(url: str) -> str:
    return hashlib.sha256(download(url)).hexdigest()


def csv_header(url: str) -> list[str]:
    return download(url).decode("utf-8").splitlines()[0].split(",")


def kinds(package: dict[str, Any]) -> list[str]:
    return sorted(r.get(KIND_FIELD, "") for r in package["resources"])


def wait_until_settled(client: Any, name: str, *, timeout: float = 20) -> dict[str, Any]:
    """After CKAN resumes it still works off the requests queued while it was stopped; wait
    until two reads a second apart agree, so the next run plans against the final state."""
    deadline = time.monotonic() + timeout
    previous = None
    while time.monotonic() < deadline:
        current = client.call("package_show", id=name)
        if previous is not None and current["metadata_modified"] == previous["metadata_modified"]:
            return current
        previous = current
        time.sleep(1.0)
    raise TimeoutError(f"{name} kept changing for {timeout}s after CKAN resumed")
