"""Where the national catalog is and which token reaches it: two settings, read once.

``NATIONAL_CKAN_URL`` (default: the local stack's national CKAN) and
``NATIONAL_CKAN_TOKEN_FILE`` (default: that CKAN's sysadmin token file, 0600). Like
``CatalogSettings``, nothing below the CLI reads the environment itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from flows.errors import ConfigError
from flows.settings import StackSettings

SERVICE = "national"


@dataclass(frozen=True)
class NationalSettings:
    """How to reach the national catalog: its URL and the file holding its API token."""

    url: str
    token_file: Path


def stack_url(stack: StackSettings) -> str:
    """The local stack's national CKAN; an instance without a national port has none."""
    if SERVICE not in stack.ports:
        raise ConfigError(f"stack instance {stack.instance!r} has no national CKAN; "
                          "set NATIONAL_CKAN_URL or use an instance with a national port")
    return f"http://{stack.host}:{stack.ports[SERVICE]}"


def stack_token_file(stack: StackSettings) -> Path:
    """The national sysadmin's API token file (0600), written by `stack up`."""
    return stack.state_dir / stack.instance / SERVICE / "api-token"


def national_settings(stack: StackSettings,
                      environ: Mapping[str, str] | None = None) -> NationalSettings:
    """``NATIONAL_CKAN_URL`` / ``NATIONAL_CKAN_TOKEN_FILE``, else the local stack's national CKAN."""
    env = os.environ if environ is None else environ
    url = env.get("NATIONAL_CKAN_URL") or stack_url(stack)
    token_file = Path(env.get("NATIONAL_CKAN_TOKEN_FILE") or stack_token_file(stack))
    return NationalSettings(url=url.rstrip("/"), token_file=token_file)
