"""HTTP basic authentication, as Solr's BasicAuthPlugin with ``blockUnknown: true`` does it.

Without credentials the service answers anyone who can reach its port, private datasets
included. With them, every request must carry ``Authorization: Basic ...`` with the configured
user and password; anything else gets 401 and a ``WWW-Authenticate`` challenge.

The credentials come from a file (``--auth-file``) that only its owner may read, never from
the command line, which every local user can see in ``ps``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import stat
from dataclasses import dataclass, field
from pathlib import Path

#: The realm Solr's BasicAuthPlugin announces.
REALM = "solr"
CHALLENGE = f'Basic realm="{REALM}", charset="UTF-8"'


class CredentialsError(Exception):
    """The credentials file cannot be used (unreadable, readable by others, malformed)."""


@dataclass(frozen=True)
class BasicCredentials:
    """The one user and password the service accepts."""

    user: str
    password: str = field(repr=False)

    def accepts(self, authorization: str | None) -> bool:
        """True if an ``Authorization`` header value carries exactly these credentials.

        The comparison takes the same time wherever the first wrong character is.
        """
        offered = _decode_basic(authorization)
        expected = f"{self.user}:{self.password}".encode("utf-8")
        return offered is not None and hmac.compare_digest(offered, expected)


def read_credentials_file(path: Path) -> BasicCredentials:
    """Read ``USER:PASSWORD`` from the first line of ``path`` (mode 0600 or stricter)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        first = path.read_text(encoding="utf-8").splitlines()[:1]
    except (OSError, UnicodeDecodeError) as exc:
        raise CredentialsError(f"cannot read the credentials file {path}: {exc}") from exc
    if mode & 0o077:
        raise CredentialsError(f"{path} is readable by others (mode {mode:o}); "
                               f"run `chmod 600 {path}`")
    user, colon, password = (first[0] if first else "").strip().partition(":")
    if not (user and colon and password):
        raise CredentialsError(f"{path} must hold one line USER:PASSWORD (both non-empty)")
    return BasicCredentials(user=user, password=password)


def _decode_basic(authorization: str | None) -> bytes | None:
    """The ``user:password`` bytes of a Basic header, or None if it is not one."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        return base64.b64decode(token.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
