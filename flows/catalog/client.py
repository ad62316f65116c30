"""The one place the project calls CKAN: ckanapi with a timeout and our own errors.

Every other module takes a ``CatalogClient`` (or anything with ``call``), so unit tests can pass a
fake at this seam while integration tests use the real CKAN.

Failures that are worth retrying become a ``CatalogError`` subclass that says whether the request
may have reached CKAN: ``CatalogUnreachable`` (it did not: connection refused), ``CatalogTimeout``
and ``CatalogServerError`` (it may have, and may have been applied). CKAN's own answers
(NotFound, ValidationError, NotAuthorized) pass through unchanged: retrying them cannot help.
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO, Mapping

import ckanapi
import requests
from ckanapi.errors import CKANAPIError
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from flows.errors import CatalogError
from flows.settings import CatalogSettings

USER_AGENT = "senate-data-catalog/0.1 (+ckanapi)"

#: ckanapi reports an unrecognised reply as repr([url, status, body]).
_STATUS = re.compile(r"^\[[^,]*, (\d{3}),")

#: A file to upload: {"upload": (file name, open binary file)}.
Files = Mapping[str, tuple[str, BinaryIO]]


class CatalogUnreachable(CatalogError):
    """The request never reached CKAN (connection refused or connect timeout): safe to resend."""


class CatalogTimeout(CatalogError):
    """CKAN did not answer in time; it may still apply the request."""


class CatalogServerError(CatalogError):
    """CKAN answered HTTP 5xx; the request may have been applied in part."""


class CatalogClient:
    """A thin wrapper over ``ckanapi.RemoteCKAN`` bound to one catalog."""

    def __init__(self, settings: CatalogSettings) -> None:
        self.url = settings.url
        self._timeout = settings.timeout
        self._remote = ckanapi.RemoteCKAN(settings.url, apikey=settings.token.reveal() or None,
                                          user_agent=USER_AGENT)

    def call(self, action: str, *, files: Files | None = None, **data: Any) -> Any:
        """Call a CKAN action; CKAN's NotFound/ValidationError/NotAuthorized pass through.

        ``files`` (e.g. ``{"upload": (name, fh)}``) sends a multipart request, as ckanapi does;
        the other values must then be strings. Connection failures, timeouts and HTTP 5xx become
        CatalogError subclasses naming the catalog (never the token).
        """
        try:
            return self._remote.call_action(action, data, files=files or None,
                                            requests_kwargs={"timeout": self._timeout})
        except requests.RequestException as exc:
            raise _connection_error(exc, self.url, action) from exc
        except CKANAPIError as exc:
            status = _server_status(exc)
            if status is None:
                raise
            raise CatalogServerError(f"CKAN at {self.url} answered HTTP {status} to {action}; "
                                     "check the CKAN log (`senate-catalog stack status`)") from exc

    def __repr__(self) -> str:
        return f"CatalogClient({self.url!r})"


def _connection_error(exc: requests.RequestException, url: str, action: str) -> CatalogError:
    hint = "is the catalog up? try `senate-catalog stack status`"
    if _never_sent(exc):
        return CatalogUnreachable(f"cannot reach CKAN at {url} ({type(exc).__name__}); {hint}")
    if isinstance(exc, requests.Timeout):
        return CatalogTimeout(f"CKAN at {url} did not answer {action} in time "
                              f"({type(exc).__name__}); {hint}")
    return CatalogError(f"cannot reach CKAN at {url} ({type(exc).__name__}); {hint}")


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection itself failed, so CKAN cannot have seen the request."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


def _server_status(exc: CKANAPIError) -> int | None:
    """The HTTP status of an unrecognised CKAN reply when it is a 5xx, else None."""
    if type(exc) is not CKANAPIError:   # NotFound, ValidationError, ... are CKAN's answers
        return None
    match = _STATUS.match(str(exc))
    status = int(match.group(1)) if match else None
    return status if status is not None and status >= 500 else None
