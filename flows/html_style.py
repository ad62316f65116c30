"""The house style shared by the project's self-contained HTML pages (report, dictionary)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from string import Template


@lru_cache(maxsize=1)
def house_css() -> str:
    """The shared CSS, inlined into every page (pages must load nothing from anywhere)."""
    return resources.files("flows").joinpath("templates/house.css").read_text(encoding="utf-8")


def page_template(package: str, name: str) -> Template:
    """A page template of ``package`` with the house CSS filled in at ``$house_css``."""
    text = resources.files(package).joinpath(f"templates/{name}").read_text(encoding="utf-8")
    return Template(Template(text).safe_substitute(house_css=house_css()))
