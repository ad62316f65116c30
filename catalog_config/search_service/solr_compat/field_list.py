"""The ``fl`` parameter: which stored fields (and ``score``) each returned document carries."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

from solr_compat.documents import IndexedDoc


@dataclass(frozen=True)
class FieldList:
    """Parsed ``fl``: field names or globs (``*``, ``extras_*``) and whether score is wanted."""

    patterns: tuple[str, ...]
    score: bool

    @classmethod
    def parse(cls, fl: str | None) -> "FieldList":
        """``id,name score`` -> names; an empty or missing ``fl`` means ``*`` as in Solr."""
        names = [n for n in re.split(r"[\s,]+", fl or "") if n]
        patterns = tuple(n for n in names if n != "score")
        if not names:
            patterns = ("*",)
        return cls(patterns=patterns, score="score" in names)

    def project(self, doc: IndexedDoc, score: float) -> dict[str, Any]:
        """The response form of ``doc``: only stored fields, in the order they were sent."""
        out = {name: doc.stored_value(name) for name in doc.stored_names if self._wants(name)}
        if self.score:
            out["score"] = score
        return out

    def _wants(self, name: str) -> bool:
        return any(p == name or ("*" in p or "?" in p) and fnmatch.fnmatchcase(name, p)
                   for p in self.patterns)
