"""The dismax ``mm`` (minimum should match) parameter, e.g. CKAN's ``2<-1 5<80%``.

A port of Solr's ``SolrPluginUtils.calculateMinShouldMatch``: ``N<spec`` applies ``spec`` only
when there are more than N optional clauses; percentages round down; negatives count from the
total.
"""

from __future__ import annotations

import re

from solr_compat.errors import BadRequest


def min_should_match(optional_clauses: int, spec: str) -> int:
    """How many of ``optional_clauses`` must match under ``spec``; raise BadRequest if invalid."""
    try:
        return _calculate(optional_clauses, spec.strip())
    except ValueError as exc:
        raise BadRequest(f"Invalid mm (minimum should match) value '{spec}': {exc}") from exc


def _calculate(count: int, spec: str) -> int:
    result = count
    if "<" in spec:
        spec = re.sub(r"\s*<\s*", "<", spec)
        for condition in spec.split():
            upper, _, inner = condition.partition("<")
            if count <= int(upper):
                return result
            result = _calculate(count, inner)
        return result
    if spec.endswith("%"):
        calc = result * int(spec[:-1]) / 100
        result = result + int(calc) if calc < 0 else int(calc)
    else:
        calc_int = int(spec)
        result = result + calc_int if calc_int < 0 else calc_int
    return count if count < result else max(result, 0)
