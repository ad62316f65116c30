"""Search errors never show the search service's credentials.

CKAN writes ``solr_user`` / ``solr_password`` into the URL it gives pysolr
(``ckan.lib.search.common.make_connection``), and pysolr names that URL when Solr does not
answer within ``solr_timeout``. ``package_search`` then answers HTTP 409 with that message, to
anyone, anonymous visitors included, and every write that re-indexes a dataset answers its
"Search Index Error" with it. The chained actions below remove the user-info part of every URL
in a search error's message; the error keeps its class, so the HTTP status stays.
"""
from __future__ import annotations

from typing import Any, Callable

from ckan.lib.search import SearchError, SearchIndexError
from ckan.logic.action import create, delete, get, patch, update
from ckan.plugins import toolkit

from ckanext.senate_dga.credentials import without_credentials

#: Actions that search or (re)index a dataset, so may answer with a search error.
SEARCHING_ACTIONS = {
    get: ("package_search",),
    create: ("package_create", "resource_create", "member_create"),
    update: ("package_update", "package_revise", "resource_update", "package_owner_org_update",
             "bulk_update_private", "bulk_update_public"),
    patch: ("package_patch", "resource_patch"),
    delete: ("package_delete", "dataset_purge", "resource_delete", "member_delete"),
}


def scrubbed(core: Callable[..., Any], *, read: bool) -> Callable[..., Any]:
    """A chained action around the core action ``core`` whose search errors carry no
    credentials; it keeps ``core``'s help text and, for a ``read``, its GET access (CKAN
    lets every action of ``ckan.logic.action.get`` answer GET; a chained one must say so)."""
    @toolkit.chained_action
    def action(up_func: Callable[..., Any], context: Any, data_dict: Any) -> Any:
        try:
            return up_func(context, data_dict)
        except (SearchError, SearchIndexError) as exc:   # siblings, not parent and child
            message = str(exc)
            if without_credentials(message) == message:
                raise
            # The cause is dropped on purpose: it names the URL with the password.
            raise type(exc)(without_credentials(message)) from None
    # CKAN copies a chained action's attributes onto the partial it builds.
    action.__dict__["__doc__"] = core.__doc__
    if read:
        action = toolkit.side_effect_free(action)
    return action


def scrubbing_actions() -> dict[str, Callable[..., Any]]:
    """Every action that can answer a search error, by name, its credentials scrubbed."""
    return {name: scrubbed(getattr(module, name), read=module is get)
            for module, names in SEARCHING_ACTIONS.items() for name in names
            if hasattr(module, name)}
