"""A small quality-trend chart as inline SVG: errors, warnings and waived findings per validation.

Pure (standard library only): the pipeline draws it into the validation report and the catalog
draws it on the dataset page from the dataset's ``quality_trend`` field, so both show the same
picture. No script, no external file: it opens offline and passes a strict
Content-Security-Policy. Every text is escaped; numbers are formatted by us.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence
from xml.sax.saxutils import escape

#: (series key, colour, Thai name, English name): errors, warnings, waived, drawn in this order.
SERIES = (("errors", "#b3261e", "ข้อผิดพลาด", "errors"),
          ("warnings", "#b26a00", "คำเตือน", "warnings"),
          ("waived", "#4a5a8a", "ยกเว้น", "waived"))
#: The most points a chart shows (the newest); older ones stay in the history file.
MAX_POINTS = 24

_WIDTH, _HEIGHT = 360, 140
_LEFT, _RIGHT, _TOP, _BOTTOM = 34, 10, 12, 34


@dataclass(frozen=True)
class TrendPoint:
    """One validation whose result or inputs changed: its day and its counts."""

    day: str        # YYYY-MM-DD
    errors: int
    warnings: int
    waived: int


def trend_points(text: Any) -> list[TrendPoint]:
    """The points of a ``quality_trend`` field (JSON ``[[day, errors, warnings, waived], ..]``);
    [] for anything else, so a hand-edited field shows no chart rather than an error page."""
    try:
        rows = json.loads(text) if isinstance(text, str) else text
        return [TrendPoint(str(day), int(e), int(w), int(x)) for day, e, w, x in rows or []]
    except (TypeError, ValueError):
        return []


def trend_field(points: Sequence[TrendPoint]) -> str:
    """The ``quality_trend`` field for ``points`` (the newest ``MAX_POINTS``), compact JSON."""
    kept = list(points)[-MAX_POINTS:]
    return json.dumps([[p.day, p.errors, p.warnings, p.waived] for p in kept],
                      separators=(",", ":"))


def trend_svg(points: Sequence[TrendPoint], *, title: str = "แนวโน้มคุณภาพข้อมูล "
              "(Quality trend)") -> str:
    """The chart of the newest ``MAX_POINTS`` points; '' when there is none."""
    points = list(points)[-MAX_POINTS:]
    if not points:
        return ""
    top = max(1, *(getattr(p, key) for p in points for key, *_ in SERIES))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="senate-trend" role="img" '
             f'width="{_WIDTH}" height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}">',
             f"<title>{escape(title)}</title>", _axes(top, points)]
    for key, colour, name_th, name_en in SERIES:
        xy = [(_x(i, len(points)), _y(getattr(p, key), top)) for i, p in enumerate(points)]
        parts.append(f'<g class="series series-{key}" fill="{colour}" stroke="{colour}">')
        if len(xy) > 1:
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
            parts.append(f'<polyline fill="none" stroke-width="1.5" points="{line}"/>')
        for (x, y), point in zip(xy, points):
            label = f"{point.day}: {name_th} ({name_en}) {getattr(point, key):,}"
            parts.append(f'<circle class="point point-{key}" cx="{x:.1f}" cy="{y:.1f}" r="2.5">'
                         f"<title>{escape(label)}</title></circle>")
        parts.append("</g>")
    parts.append(_legend())
    parts.append("</svg>")
    return "".join(parts)


def _x(index: int, count: int) -> float:
    span = _WIDTH - _LEFT - _RIGHT
    return _LEFT + (span / 2 if count == 1 else span * index / (count - 1))


def _y(value: int, top: int) -> float:
    return _TOP + (_HEIGHT - _TOP - _BOTTOM) * (1 - value / top)


def _axes(top: int, points: Sequence[TrendPoint]) -> str:
    base = _HEIGHT - _BOTTOM
    first, last = points[0].day, points[-1].day
    return (f'<g class="axes" stroke="#777" fill="#333" font-size="10">'
            f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{base}"/>'
            f'<line x1="{_LEFT}" y1="{base}" x2="{_WIDTH - _RIGHT}" y2="{base}"/>'
            f'<text x="{_LEFT - 4}" y="{_TOP + 4}" text-anchor="end" stroke="none">{top:,}</text>'
            f'<text x="{_LEFT - 4}" y="{base}" text-anchor="end" stroke="none">0</text>'
            f'<text x="{_LEFT}" y="{base + 12}" stroke="none">{escape(first)}</text>'
            f'<text x="{_WIDTH - _RIGHT}" y="{base + 12}" text-anchor="end" '
            f'stroke="none">{escape(last)}</text></g>')


def _legend() -> str:
    items, x = [], _LEFT
    for key, colour, name_th, name_en in SERIES:
        items.append(f'<rect x="{x}" y="{_HEIGHT - 12}" width="8" height="8" fill="{colour}"/>'
                     f'<text x="{x + 11}" y="{_HEIGHT - 4}">{escape(f"{name_th} ({name_en})")}'
                     "</text>")
        x += 105
    return f'<g class="legend" font-size="10" fill="#333">{"".join(items)}</g>'


__all__ = ["MAX_POINTS", "SERIES", "TrendPoint", "trend_field", "trend_points", "trend_svg"]
