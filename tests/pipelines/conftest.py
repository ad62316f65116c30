"""One temporary Prefect server (``prefect_test_harness``) for the whole test session.

Prefect reads its settings from the environment once, when ``prefect.context`` is imported
(the process-global settings context), not on each access: other test modules may import
Prefect long before this fixture runs. So the fixture sets the environment and then rebuilds
the global settings context (``refresh_global_settings_context``), checks that the new values
took, and only then starts the harness. Nothing is written under the real PREFECT_HOME.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

#: Offline and private: no telemetry, a PREFECT_HOME of the session's own (results, caches).
_PREFECT_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "60",
}


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A temporary Prefect server for every flow run of the session; yields its API URL."""
    patch = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("prefect-home")
    patch.setenv("PREFECT_HOME", str(home))
    for name, value in _PREFECT_ENV.items():
        patch.setenv(name, value)
    for name in ("PREFECT_API_URL", "PREFECT_UI_URL", "PREFECT_PROFILE"):
        patch.delenv(name, raising=False)

    import prefect.context
    import prefect.settings
    from prefect.testing.utilities import prefect_test_harness

    prefect.context.refresh_global_settings_context()
    try:
        _check_settings_took(home)
        with prefect_test_harness(server_startup_timeout=90):
            yield str(prefect.settings.PREFECT_API_URL.value())
    finally:
        patch.undo()
        prefect.context.refresh_global_settings_context()


def _check_settings_took(home: Path) -> None:
    import prefect.settings

    settings = prefect.settings.get_current_settings()
    assert settings.home == home, f"PREFECT_HOME is {settings.home}, not the session's {home}"
    assert settings.api.url is None, f"PREFECT_API_URL is still {settings.api.url}"
    assert settings.server.analytics_enabled is False
    assert Path(settings.results.local_storage_path).is_relative_to(home)


@pytest.fixture(scope="module")
def admin(catalog_settings, stack_settings, prefect_harness):
    """The sysadmin client of the test CKAN the flow tests write to (never the demo catalog)."""
    from flows.catalog import CatalogClient

    if stack_settings.instance != "test":
        pytest.skip("the flow tests write to the catalog: run them with SENATE_STACK_INSTANCE=test")
    return CatalogClient(catalog_settings)
