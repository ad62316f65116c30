"""The agency's own published contact points, which are not personal data.

A dataset or its metadata may name the Secretariat's functional mailboxes (``meeting@senate.go.th``)
and its switchboard: blocking publication for those would only teach stewards to ignore the
scan. The list is built from ``catalog_config/organization.yaml``:

- every e-mail address under ``organization:`` and ``stakeholders:`` (the declared mailboxes of
  the units, which that file already requires to be functional, never a person's);
- the optional top-level ``contact_points:``, a list of ``{email: ..., phone: ...}`` entries for
  the agency's published general mailbox and phones.

Values are compared after normalisation, so the written form does not matter: e-mail addresses
case-insensitively with the domain in its IDNA form (``สมชาย@ตัวอย่าง.ไทย`` equals its
``xn--`` spelling), phones as national-format digits (``+66 2 831 9167`` equals ``02-831-9167``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Iterator, Mapping

import yaml

from flows.errors import ConfigError
from flows.validation.personal_text import canonical_email, canonical_phone, find_personal_data
from flows.yaml_text import load_yaml


@dataclass(frozen=True)
class ContactAllowList:
    """Normalised e-mail addresses and phone numbers that are never reported as personal data."""

    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()

    #: The empty list: every hit is reported.
    NONE: ClassVar[ContactAllowList]

    @classmethod
    def from_organization(cls, data: Mapping[str, Any], *,
                          origin: str = "organization.yaml") -> ContactAllowList:
        """The list declared by the parsed ``organization.yaml`` mapping ``data``."""
        written = [*_emails_under(data.get("organization")),
                   *_emails_under(data.get("stakeholders"))]
        emails = {canonical_email(text) for text in written}
        phones = set()
        for index, point in enumerate(_contact_points(data, origin)):
            where = f"{origin}: contact_points[{index}]"
            emails.add(_normalised(canonical_email, point.get("email"), where, "email"))
            phones.add(_normalised(canonical_phone, point.get("phone"), where, "phone"))
        return cls(emails=frozenset(emails - {None}), phones=frozenset(phones - {None}))

    @classmethod
    def from_file(cls, path: Path) -> ContactAllowList:
        """The list declared by ``organization.yaml`` at ``path``; ConfigError if unreadable."""
        try:
            data = load_yaml(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read the contact allow-list in {path}: {exc}") from exc
        if not isinstance(data, Mapping):
            raise ConfigError(f"{path}: expected a mapping with organization: and stakeholders:")
        return cls.from_organization(data, origin=str(path))

    def allows(self, kind: str, text: str) -> bool:
        """Whether ``text`` (a hit of ``kind`` as written) is one of the listed contacts."""
        if kind == "email" and self.emails:
            return canonical_email(text) in self.emails
        if kind == "phone" and self.phones:
            return canonical_phone(text) in self.phones
        return False


ContactAllowList.NONE = ContactAllowList()


def _emails_under(node: Any) -> Iterator[str]:
    """Every e-mail address written anywhere in ``node`` (values of ``email:`` keys and any
    address inside a text, such as a description naming the general mailbox)."""
    if isinstance(node, Mapping):
        for value in node.values():
            yield from _emails_under(value)
    elif isinstance(node, list):
        for value in node:
            yield from _emails_under(value)
    elif isinstance(node, str):
        yield from (hit.text for hit in find_personal_data(node) if hit.kind == "email")


def _contact_points(data: Mapping[str, Any], origin: str) -> list[Mapping[str, Any]]:
    points = data.get("contact_points") or []
    if not isinstance(points, list) or not all(isinstance(p, Mapping) for p in points):
        raise ConfigError(f"{origin}: contact_points must be a list of {{email: ..., phone: ...}} "
                          "entries")
    for index, point in enumerate(points):
        unknown = sorted(set(point) - {"email", "phone", "note"})
        if unknown:
            raise ConfigError(f"{origin}: contact_points[{index}] has unknown keys {unknown}; "
                              "allowed: email, phone, note")
    return points


def _normalised(normalise: Any, value: Any, where: str, key: str) -> str | None:
    """The normalised ``value`` (None when absent); ConfigError when it is not what ``key``
    says, so a typo never silently leaves the agency's contact reported (or a person's not)."""
    if value is None:
        return None
    normalised = normalise(str(value))
    if not normalised:
        raise ConfigError(f"{where}: {key} {value!r} is not a Thai phone number"
                          if key == "phone" else f"{where}: {key} {value!r} is not an e-mail "
                          "address")
    return normalised
