"""Request parameters: repeated keys (``fq``, ``facet.field``) and Solr's per-field overrides."""

from __future__ import annotations

from urllib.parse import parse_qsl

from solr_compat.errors import BadRequest


class Params:
    """Multi-valued request parameters, in the order received."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    @classmethod
    def from_query_strings(cls, *texts: str) -> "Params":
        """Combine URL query strings and form bodies (``a=1&a=2``)."""
        pairs: list[tuple[str, str]] = []
        for text in texts:
            if text:
                pairs.extend(parse_qsl(text, keep_blank_values=True))
        return cls(pairs)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of ``name`` (Solr uses the first of repeated single-valued params)."""
        return next((v for k, v in self.pairs if k == name), default)

    def get_all(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]

    def get_int(self, name: str, default: int) -> int:
        return _to_int(name, self.get(name), default)

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.get(name)
        if value is None:
            return default
        return value.strip().lower() in ("true", "on", "yes", "1")

    def field_param(self, field: str, name: str, default: str | None = None) -> str | None:
        """``f.<field>.<name>`` if given, else ``<name>`` (Solr's per-field parameters)."""
        return self.get(f"f.{field}.{name}", self.get(name, default))

    def field_int(self, field: str, name: str, default: int) -> int:
        """An integer per-field parameter (see :meth:`field_param`)."""
        return _to_int(name, self.field_param(field, name), default)

    def echo(self) -> dict[str, str | list[str]]:
        """The params as Solr echoes them in ``responseHeader.params``."""
        echoed: dict[str, str | list[str]] = {}
        for key, value in self.pairs:
            if key in echoed:
                previous = echoed[key]
                echoed[key] = (previous if isinstance(previous, list) else [previous]) + [value]
            else:
                echoed[key] = value
        return echoed


def _to_int(name: str, value: str | None, default: int) -> int:
    """An integer parameter; blank means the default, garbage is Solr's 400."""
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"Invalid integer for parameter {name}: \"{value}\"") from None
