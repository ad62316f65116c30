"""Local parameters at the start of a query: ``{!dismax qf=title v='some words'}``.

CKAN refuses local params unless configured (``ckan.search.solr_allowed_query_parsers``), but
Solr clients such as facet filters use ``{!tag=..}`` and ``{!ex=..}``, so they are read here.
"""

from __future__ import annotations

import re

from solr_compat.errors import QuerySyntaxError

_PAIR_RE = re.compile(r"""\s*([\w.]+)(?:=(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([^\s}]*)))?""")


def split_local_params(text: str) -> tuple[dict[str, str], str]:
    """Split ``{!...}rest`` into (params, rest); text without local params gives ({}, text).

    A bare first word is the parser type (``{!dismax}`` -> ``{"type": "dismax"}``); ``v``
    replaces the rest of the text, as in Solr.
    """
    stripped = text.lstrip()
    if not stripped.startswith("{!"):
        return {}, text
    params: dict[str, str] = {}
    pos = 2
    while True:
        while pos < len(stripped) and stripped[pos].isspace():
            pos += 1
        if pos >= len(stripped):
            raise QuerySyntaxError(text, "local parameters are missing their closing '}'")
        if stripped[pos] == "}":
            break
        match = _PAIR_RE.match(stripped, pos)
        if match is None or match.end() == pos:
            raise QuerySyntaxError(text, f"bad local parameters at column {pos + 1}")
        key, single, double, bare = match.groups()
        value = next((v for v in (single, double, bare) if v is not None), None)
        if value is None and not params:
            params["type"] = key
        else:
            params[key] = re.sub(r"\\(.)", r"\1", value or "")
        pos = match.end()
    rest = stripped[pos + 1:]
    return params, params.get("v", rest)
