"""Where the national catalog is and which token reaches it (built by flows.config).

``NATIONAL_CKAN_URL`` (default: the local stack's national CKAN) and
``NATIONAL_CKAN_TOKEN_FILE`` (default: that CKAN's sysadmin token file, 0600).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flows.errors import ConfigError
from flows.settings import StackSettings

SERVICE = "national"


@dataclass(frozen=True)
class NationalSettings:
    """How to reach the national catalog: its URL and the file holding its API token."""

    url: str | None          # None: not set, and the stack instance has no national CKAN
    token_file: Path
    instance: str = ""       # the stack instance, for the message when there is no URL

    def checked_url(self) -> str:
        """The URL, or ConfigError saying what to set."""
        if not self.url:
            raise _no_national_ckan(self.instance)
        return self.url


def has_national(stack: StackSettings) -> bool:
    """Whether the stack instance runs a national CKAN (it has a national port)."""
    return SERVICE in stack.ports


def stack_url(stack: StackSettings) -> str:
    """The local stack's national CKAN; an instance without a national port has none."""
    if not has_national(stack):
        raise _no_national_ckan(stack.instance)
    return f"http://{stack.host}:{stack.ports[SERVICE]}"


def stack_token_file(stack: StackSettings) -> Path:
    """The national sysadmin's API token file (0600), written by `stack up`."""
    return stack.state_dir / stack.instance / SERVICE / "api-token"


def _no_national_ckan(instance: str) -> ConfigError:
    return ConfigError(f"stack instance {instance!r} has no national CKAN; set "
                       "NATIONAL_CKAN_URL or use an instance with a national port")
