"""The house style shared by the project's self-contained HTML pages (validation report, data
dictionary, KPI scorecard, KPI 1.3 outcome report): one head, one stylesheet."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from importlib import resources
from string import Template


@lru_cache(maxsize=1)
def house_css() -> str:
    """The shared CSS, inlined into every page (pages must load nothing from anywhere)."""
    return resources.files("flows").joinpath("templates/house.css").read_text(encoding="utf-8")


def page_template(package: str, name: str, *, generator: str) -> Template:
    """A page template of ``package`` whose ``$page_head`` line becomes the house head (doctype,
    CSP, ``${title}`` left for the caller, the house CSS) up to the page's own CSS."""
    text = resources.files(package).joinpath(f"templates/{name}").read_text(encoding="utf-8")
    return Template(Template(text).safe_substitute(page_head=_head(generator)))


def page_head(*, title: str, generator: str) -> str:
    """The house head with ``title`` (escaped) in, for pages built without a template file;
    the caller adds its own CSS, then ``</style></head>``."""
    return Template(_head(generator)).substitute(title=escape(title))


def _head(generator: str) -> str:
    head = resources.files("flows").joinpath("templates/page_head.html").read_text(encoding="utf-8")
    return Template(head).safe_substitute(generator=generator, house_css=house_css()).rstrip("\n")
