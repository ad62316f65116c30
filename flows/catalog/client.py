"""The one place the project calls CKAN: ckanapi with a timeout and our own errors.

Every other module takes a ``CatalogClient`` (or anything with ``call``), so unit tests can pass a
fake at this seam while integration tests use the real CKAN.

Failures that are worth retrying become a ``CatalogError`` subclass that says whether the request
may have reached CKAN: ``CatalogUnreachable`` (it did not: connection refused), ``CatalogTimeout``
and ``CatalogServerError`` (it may have, and may have been applied). CKAN's own answers
(NotFound, ValidationError, NotAuthorized) pass through unchanged: retrying them cannot help.

CKAN reports a search service (Solr) that is down or failing as an error of its own, not as a
plain 5xx: "Search Index Error" (HTTP 500, a write could not be indexed), "Search Error" (HTTP
409, a search failed or timed out) or "Search Connection Error" (HTTP 500). Those are service
faults too (``CatalogSearchError``, naming the search service), never the catalog refusing the
data; only "Search Query Error" (HTTP 400: the query itself is wrong) passes through. Messages
never carry the ``user:password@`` CKAN puts in the search service's URL.
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO, Mapping

import ckanapi
import requests
from ckanapi.errors import CKANAPIError, SearchError, SearchIndexError, SearchQueryError
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from flows.errors import CatalogError
from flows.settings import CatalogSettings

USER_AGENT = "senate-data-catalog/0.1 (+ckanapi)"

#: ckanapi reports an unrecognised reply as repr([url, status, body]).
_STATUS = re.compile(r"^\[[^,]*, (\d{3}),")
#: ``user:password@`` right after a URL's ``scheme://`` (CKAN names Solr's URL with both).
_USERINFO = re.compile(r"(?<=://)[^/\s@'\"]+@")
#: The search service's URL in CKAN's text: scheme, host, port and core path (pysolr adds the
#: handler, /update or /select, and the query).
_SOLR_URL = re.compile(r"https?://[^\s'\"/?]+(?:/[^\s'\"?:]*?)?(?=/update|/select|[?:\s'\"]|$)")
#: How much of CKAN's own text a message quotes when it cannot be summed up.
_DETAIL_LIMIT = 120

#: A file to upload: {"upload": (file name, open binary file)}.
Files = Mapping[str, tuple[str, BinaryIO]]


class CatalogUnreachable(CatalogError):
    """The request never reached CKAN (connection refused or connect timeout): safe to resend."""


class CatalogTimeout(CatalogError):
    """CKAN did not answer in time; it may still apply the request."""


class CatalogServerError(CatalogError):
    """CKAN answered HTTP 5xx; the request may have been applied in part."""


class CatalogSearchError(CatalogServerError):
    """CKAN's search service (Solr) is down or failing; CKAN said so in its answer."""


class CatalogClient:
    """A thin wrapper over ``ckanapi.RemoteCKAN`` bound to one catalog."""

    def __init__(self, settings: CatalogSettings) -> None:
        self.url = settings.url
        self._settings = settings
        self._timeout = settings.timeout
        self._remote = ckanapi.RemoteCKAN(settings.url, apikey=settings.token.reveal() or None,
                                          user_agent=USER_AGENT)

    def __reduce__(self) -> tuple[Any, tuple[CatalogSettings]]:
        # A Dask worker gets the settings and opens its own connection: ckanapi's client
        # (its action shortcut, its HTTP session) cannot be pickled.
        return CatalogClient, (self._settings,)

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
            raise _connection_error(exc, self.url, action, self._timeout) from exc
        except CKANAPIError as exc:
            if _search_fault(exc):
                raise CatalogSearchError(
                    f"CKAN's search service does not work: CKAN at {self.url} answered {action} "
                    f"with {_search_detail(exc)}; start or repair the search service (local "
                    "stack: `senate-catalog stack status`, then `senate-catalog stack up`)"
                ) from exc
            status = _server_status(exc)
            if status is None:
                raise
            raise CatalogServerError(f"CKAN at {self.url} answered HTTP {status} to {action}; "
                                     "check the CKAN log (`senate-catalog stack status`)") from exc

    def __repr__(self) -> str:
        return f"CatalogClient({self.url!r})"


def _connection_error(exc: requests.RequestException, url: str, action: str,
                      timeout: float) -> CatalogError:
    hint = "is the catalog up? try `senate-catalog stack status`"
    if _never_sent(exc):
        return CatalogUnreachable(f"cannot reach CKAN at {url} ({type(exc).__name__}); {hint}")
    if isinstance(exc, requests.Timeout):
        waited = f"{type(exc).__name__} after {timeout:g} s"
        # CKAN itself still answering means what this action waits on does not.
        if action != "status_show" and _status_answers(url):
            return CatalogTimeout(
                f"CKAN at {url} did not answer {action} in time ({waited}), though it answers "
                "status_show: a service behind it is stuck, most often its search service "
                "(Solr), else its database; check them (`senate-catalog stack status`)")
        return CatalogTimeout(f"CKAN at {url} did not answer {action} in time ({waited}); {hint}")
    return CatalogError(f"cannot reach CKAN at {url} ({type(exc).__name__}); {hint}")


def _status_answers(url: str) -> bool:
    """Whether CKAN answers ``status_show`` (which needs neither Solr nor a write) in 2 s."""
    try:
        return requests.get(f"{url}/api/3/action/status_show", timeout=2,
                            headers={"User-Agent": USER_AGENT}).ok
    except requests.RequestException:
        return False


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection itself failed, so CKAN cannot have seen the request."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError))


def _search_fault(exc: CKANAPIError) -> bool:
    """True when CKAN says its search service failed (not that the query was wrong)."""
    if isinstance(exc, SearchQueryError):
        return False
    if isinstance(exc, (SearchIndexError, SearchError)):
        return True
    return type(exc) is CKANAPIError and "Search Connection Error" in str(exc)


def _search_detail(exc: CKANAPIError) -> str:
    """"'<CKAN's error type>' (<what happened>)", e.g. "'Search Index Error' (search service
    at http://127.0.0.1:20983/solr/ckan: connection refused)"; never the credentials."""
    kind = ("Search Index Error" if isinstance(exc, SearchIndexError)
            else "Search Error" if isinstance(exc, SearchError) else "Search Connection Error")
    text = without_credentials(str(exc)) if type(exc) is not CKANAPIError else ""
    found = _SOLR_URL.search(text)
    lowered = text.lower()
    cause = ("connection refused" if "connection refused" in lowered
             else "timed out" if "timed out" in lowered or "timeout" in lowered else None)
    if found and cause:
        text = f"search service at {found.group(0)}: {cause}"
    elif len(text) > _DETAIL_LIMIT:
        text = text[:_DETAIL_LIMIT] + "..."
    return f"'{kind}'" + (f" ({text})" if text else "")


def without_credentials(text: str) -> str:
    """``text`` with the ``user:password@`` part of every URL in it removed."""
    return _USERINFO.sub("", text)


def _server_status(exc: CKANAPIError) -> int | None:
    """The HTTP status of an unrecognised CKAN reply when it is a 5xx, else None."""
    if type(exc) is not CKANAPIError:   # NotFound, ValidationError, ... are CKAN's answers
        return None
    match = _STATUS.match(str(exc))
    status = int(match.group(1)) if match else None
    return status if status is not None and status >= 500 else None
