"""Helpers shared by the live publish tests: download and hash a resource, read a CSV header."""

from __future__ import annotations

import hashlib
import shutil
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterable, Sequence

import ckanapi

from flows.catalog import CatalogClient
from flows.catalog.owned import KIND_FIELD
from flows.settings import PROJECT_ROOT


def copy_project(root: Path, datasets: Sequence[str] | None = None) -> Path:
    """The project's declarations and datasets under ``root``, for tests that edit a metadata
    file or add a dataset without touching the repository. ``datasets`` limits the copy to
    those dataset ids (their metadata, waivers, schemas and folder)."""
    shutil.copytree(PROJECT_ROOT / "catalog_config", root / "catalog_config",
                    ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    if datasets is None:
        for folder in ("metadata", "schemas", "datasets"):
            shutil.copytree(PROJECT_ROOT / folder, root / folder)
        return root
    for dataset in datasets:
        for relative in (f"metadata/{dataset}.yaml", f"metadata/waivers/{dataset}.yaml",
                         f"schemas/{dataset}.schema.json", f"schemas/{dataset}.expectations.json"):
            if (PROJECT_ROOT / relative).exists():
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(PROJECT_ROOT / relative, root / relative)
        shutil.copytree(PROJECT_ROOT / "datasets" / dataset, root / "datasets" / dataset)
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


def purge_test_datasets(catalog_settings: Any, stack_settings: Any, names: Iterable[str]) -> None:
    """After a live module: purge the datasets it published, on the test stack only (never the
    demo catalog's); a name already gone is skipped."""
    if stack_settings.instance != "test":
        return
    admin = CatalogClient(catalog_settings)
    for name in names:
        try:
            admin.call("dataset_purge", id=name)
        except ckanapi.NotFound:
            pass
