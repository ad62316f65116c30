"""Shared fixtures: settings isolated per test, and the real local CKAN for integration tests.

Integration tests (marked ``integration``) talk to the stack that `make test` starts (instance
``test``). Run alone without a stack they skip, unless SENATE_REQUIRE_STACK=1 (set by
`make test`), where a missing catalog is a failure, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import ckanapi
import pytest

from flows.catalog import CatalogClient
from flows.settings import CatalogSettings, Secret, StackSettings
from flows.stack import ckan
from flows.config import load_pipeline_config, load_stack_settings


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis keeps its files (examples, the constants its plugin collects before any test
    runs) in the temporary folder, not in the working tree."""
    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(
        Path(tempfile.gettempdir()) / f"senate-catalog-hypothesis-{os.getuid()}")


@pytest.fixture(scope="session")
def stack_settings() -> StackSettings:
    return load_stack_settings()


@pytest.fixture(scope="session")
def catalog_settings(stack_settings: StackSettings) -> CatalogSettings:
    if not ckan.api_answers(stack_settings.ckan_url):
        message = (f"no CKAN at {stack_settings.ckan_url}; run `make test` "
                   "(it starts the stack) or `senate-catalog stack up`")
        if os.environ.get("SENATE_REQUIRE_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return load_pipeline_config(stack_settings).catalog


@pytest.fixture(scope="session")
def ckan_admin(catalog_settings: CatalogSettings) -> CatalogClient:
    """The pipeline's sysadmin client on the real CKAN."""
    return CatalogClient(catalog_settings)


@pytest.fixture(scope="session")
def ckan_anonymous(catalog_settings: CatalogSettings) -> CatalogClient:
    """What the public sees: no token."""
    return CatalogClient(CatalogSettings(url=catalog_settings.url, token=Secret("")))


@pytest.fixture
def unique_name() -> Callable[[str], str]:
    """Dataset names unique per test run, so reruns and parallel runs never collide."""
    return lambda prefix="t": f"zz-{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def created_datasets(ckan_admin: CatalogClient) -> Iterator[list[str]]:
    """Names appended here are purged after the test, whatever its outcome."""
    names: list[str] = []
    yield names
    for name in names:
        try:
            ckan_admin.call("dataset_purge", id=name)
        except ckanapi.NotFound:
            pass


@pytest.fixture
def create_dataset(ckan_admin: CatalogClient,
                   created_datasets: list[str]) -> Callable[..., dict[str, Any]]:
    """Create a dataset through the real API and register it for purging."""
    def create(**payload: Any) -> dict[str, Any]:
        created_datasets.append(payload["name"])
        return ckan_admin.call("package_create", **payload)
    return create


@pytest.fixture(scope="session")
def chromium() -> str:
    """Headless Chromium's path, for the tests that render pages; missing: skip, or fail where
    SENATE_REQUIRE_BROWSER=1 (`make test`, CI), so CI never passes by skipping."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    message = ("headless Chromium is not installed: `apt-get install -y chromium fonts-thai-tlwg` "
               "(`make test` installs it)")
    if os.environ.get("SENATE_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)
