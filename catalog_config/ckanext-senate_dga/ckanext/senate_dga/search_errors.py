"""Search errors never show the search service's credentials.

CKAN writes ``solr_user`` / ``solr_password`` into the URL it gives pysolr
(``ckan.lib.search.common.make_connection``), and pysolr names that URL when Solr does not
answer within ``solr_timeout``. ``package_search`` then answers HTTP 409 with that message, to
anyone, anonymous visitors included. The chained action below removes the user-info part of
every URL in a search error's message; the error keeps its class, so the HTTP status stays.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from ckan.lib.search import SearchError
from ckan.logic.action.get import package_search as _core_package_search
from ckan.plugins import toolkit

#: ``user:password@`` right after a URL's ``scheme://``.
_USERINFO = re.compile(r"(?<=://)[^/\s@'\"]+@")


def without_credentials(text: str) -> str:
    """``text`` with ``user:password@`` removed from every URL in it."""
    return _USERINFO.sub("", text)


@toolkit.side_effect_free  # as CKAN's own: GET /api/3/action/package_search keeps working
@toolkit.chained_action
def package_search(up_func: Callable[..., Any], context: Any, data_dict: Any) -> Any:
    try:
        return up_func(context, data_dict)
    except SearchError as exc:
        message = str(exc)
        if without_credentials(message) == message:
            raise
        # The cause is dropped on purpose: it names the URL with the password.
        raise type(exc)(without_credentials(message)) from None


# CKAN copies a chained action's attributes onto the partial it builds; this one keeps
# help_show's text for package_search CKAN's own.
package_search.__dict__["__doc__"] = _core_package_search.__doc__
