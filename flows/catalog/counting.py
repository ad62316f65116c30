"""A client wrapper that counts the calls that change the catalog (for "zero writes" proofs)."""

from __future__ import annotations

from typing import Any, Callable, Protocol

#: Actions that only read. Everything else is counted as a write.
READ_ACTIONS = frozenset({"package_show", "resource_show", "package_search", "package_list",
                          "group_show", "group_list", "organization_show", "organization_list",
                          "member_list", "status_show", "site_read", "user_show",
                          "organization_list_for_user", "datastore_info", "datastore_search",
                          "resource_view_list", "senate_datastore_digest"})


class ActionCaller(Protocol):
    def call(self, action: str, **data: Any) -> Any: ...


def is_write(action: str) -> bool:
    """Whether calling ``action`` may change the catalog."""
    return action not in READ_ACTIONS


class CountingClient:
    """Pass calls through and record each write attempt (failed attempts count too).

    ``after_write(action)`` runs after each write call returns; the fault tests use it to block
    CKAN mid-publish. It is an observer: it cannot change what is sent.
    """

    def __init__(self, client: ActionCaller, *,
                 after_write: Callable[[str], None] | None = None) -> None:
        self._client = client
        self._after_write = after_write
        self.writes: list[str] = []
        self.reads: list[str] = []

    def call(self, action: str, **data: Any) -> Any:
        (self.writes if is_write(action) else self.reads).append(action)
        result = self._client.call(action, **data)
        if self._after_write is not None and is_write(action):
            self._after_write(action)
        return result

    @property
    def write_count(self) -> int:
        return len(self.writes)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)
