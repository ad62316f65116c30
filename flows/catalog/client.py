"""The one place the project calls CKAN: ckanapi with a timeout and our own errors.

Every other module takes a ``CatalogClient`` (or anything with ``call``), so unit tests can pass a
fake at this seam while integration tests use the real CKAN.
"""

from __future__ import annotations

from typing import Any

import ckanapi
import requests

from flows.errors import CatalogError
from flows.settings import CatalogSettings

USER_AGENT = "senate-data-catalog/0.1 (+ckanapi)"


class CatalogClient:
    """A thin wrapper over ``ckanapi.RemoteCKAN`` bound to one catalog."""

    def __init__(self, settings: CatalogSettings) -> None:
        self.url = settings.url
        self._timeout = settings.timeout
        self._remote = ckanapi.RemoteCKAN(settings.url, apikey=settings.token.reveal() or None,
                                          user_agent=USER_AGENT)

    def call(self, action: str, **data: Any) -> Any:
        """Call a CKAN action; CKAN's NotFound/ValidationError/NotAuthorized pass through.

        Connection failures become CatalogError naming the catalog (never the token).
        """
        try:
            return self._remote.call_action(action, data,
                                            requests_kwargs={"timeout": self._timeout})
        except requests.RequestException as exc:
            raise CatalogError(f"cannot reach CKAN at {self.url} ({type(exc).__name__}); "
                               "is the catalog up? try `senate-catalog stack status`") from exc

    def __repr__(self) -> str:
        return f"CatalogClient({self.url!r})"
