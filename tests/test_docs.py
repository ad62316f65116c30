"""The docs stay true to the code, one case per item so a failure names what is undocumented.

Every command of `senate-catalog` is in the README's command table; every option of every
command is in the command reference (docs/cli.md) under that command's heading, and nothing
there names an option the command lacks; every variable the code reads is in the operator
guide's variable table; the README stays small; every relative link of the README and docs/
leads somewhere; nothing says "issue" plus a number (name the feature instead); and the module
map of docs/architecture.md names every package and top-level module of flows/, and nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import click
import pytest

from flows.settings import PROJECT_ROOT

try:
    from flows.cli import cli
except ImportError as exc:   # the other checks still run; test_the_cli_imports says why
    cli, CLI_IMPORT_ERROR = click.Group("senate-catalog"), exc
else:
    CLI_IMPORT_ERROR = None

README = PROJECT_ROOT / "README.md"
DOCS = PROJECT_ROOT / "docs"
CLI_REFERENCE = DOCS / "cli.md"
OPERATOR = DOCS / "operator.md"
ARCHITECTURE = DOCS / "architecture.md"
FLOWS = PROJECT_ROOT / "flows"

#: The README is the front page: three readers each have their own guide in docs/.
README_MAX_BYTES = 10_240
#: Catalog variables of the standard names (not SENATE_*) the operator may set.
CATALOG_VARIABLES = ("CKAN_URL", "CKAN_API_TOKEN", "CKAN_API_TOKEN_FILE", "NATIONAL_CKAN_URL",
                     "NATIONAL_CKAN_TOKEN_FILE")
#: Packages of flows/ whose every module the map names, not only the package.
DETAILED_PACKAGES = ("cli", "orchestrate", "pipelines")
#: "issue" and a number: a tracker's numbering means nothing to a reader of the code.
ISSUE_NUMBER = re.compile(r"issues? ?#?[0-9]+", re.I)
ISSUE_SCAN = ("README.md", "docs", "flows", "tests", "catalog_config")
_TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".json", ".html", ".css", ".js", ".txt",
                  ".ini", ".template", ".toml", ".cfg", ".sh", ".jsonl"}
_SKIP_DIRS = {"__pycache__", ".venv", ".stack", "out", "node_modules"}

_VARIABLE = re.compile(r"\bSENATE_[A-Z0-9_]*[A-Z0-9]\b")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6}) +(.+?) *#* *$")
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- what the code has -----------------------------------------------------------------------

def _commands(group: click.Group, path: tuple[str, ...] = ()):
    """(``"stack up"``, command) for every command under ``group``, groups walked through."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))
        else:
            yield " ".join(path + (name,)), command


COMMANDS = dict(_commands(cli))


def _long_options(command: click.Command) -> list[str]:
    return sorted({opt for param in command.params if isinstance(param, click.Option)
                   for opt in param.opts + param.secondary_opts if opt.startswith("--")})


OPTIONS = [(name, option) for name, command in COMMANDS.items()
           for option in _long_options(command)]


def _variables_in_code() -> list[str]:
    sources = [*FLOWS.rglob("*.py"), PROJECT_ROOT / "Makefile"]
    found = {name for path in sources for name in _VARIABLE.findall(_read(path))}
    return sorted(found | set(CATALOG_VARIABLES))


def _flows_modules() -> list[str]:
    """Every package and top-level module of flows/, and each module of DETAILED_PACKAGES."""
    names = {f"flows/{path.parent.name}/" for path in FLOWS.glob("*/__init__.py")}
    names |= {f"flows/{path.name}" for path in FLOWS.glob("*.py") if path.name != "__init__.py"}
    names |= {f"flows/{package}/{path.name}" for package in DETAILED_PACKAGES
              for path in (FLOWS / package).glob("*.py") if path.name != "__init__.py"}
    return sorted(names)


# --- what the docs say -----------------------------------------------------------------------

def _section(text: str, heading: str) -> str:
    """The text under the heading whose title is ``heading``, up to the next heading of the
    same or a higher level; "" when there is no such heading."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and match.group(2) == heading:
            level = len(match.group(1))
            body = []
            for following in lines[index + 1:]:
                other = _HEADING.match(following)
                if other and len(other.group(1)) <= level:
                    break
                body.append(following)
            return "\n".join(body)
    return ""


def _readme_table_commands() -> set[str]:
    rows = re.findall(r"^\| `senate-catalog ([a-z][a-z -]*)`", _read(README), re.M)
    return {row.strip() for row in rows}


def _operator_variables() -> set[str]:
    table = _section(_read(OPERATOR), "Environment variables")
    first_cells = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return {name for cell in first_cells for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cell)}


def _module_map_paths() -> list[str]:
    section = _section(_read(ARCHITECTURE), "Module map")
    return sorted(set(re.findall(r"`(flows/[\w/.]*)`", section)))


def _doc_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def _relative_links() -> list[tuple[str, str]]:
    links = []
    for doc in _doc_files():
        text = re.sub(r"```.*?```", "", _read(doc), flags=re.S)   # code blocks hold no links
        for match in _LINK.finditer(text):
            target = match.group(1) or match.group(2)
            if not re.match(r"[a-z][a-z0-9+.-]*:", target):   # http:, https:, mailto:
                links.append((str(doc.relative_to(PROJECT_ROOT)), target))
    return sorted(set(links))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, letters, marks, digits, '-', '_' and spaces
    kept (spaces become '-'), everything else dropped."""
    kept = "".join(c for c in heading.lower().replace("`", "")
                   if unicodedata.category(c)[0] in "LMN" or c in "-_ ")
    return kept.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", _read(path), flags=re.S)
    seen: dict[str, int] = {}
    anchors = set()
    for line in text.splitlines():
        match = _HEADING.match(line)
        if match:
            slug = _slug(match.group(2))
            anchors.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


# --- commands and options --------------------------------------------------------------------

def test_the_cli_imports() -> None:
    assert CLI_IMPORT_ERROR is None, f"flows.cli does not import: {CLI_IMPORT_ERROR}"
    assert len(COMMANDS) >= 16   # the walk found the real commands, groups included


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_in_the_readme_table(name: str) -> None:
    assert name in _readme_table_commands(), (
        f"`senate-catalog {name}` is not in the README's command table: add a row "
        f"| `senate-catalog {name}` | what it does |")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_a_section_in_the_command_reference(name: str) -> None:
    assert _section(_read(CLI_REFERENCE), f"`senate-catalog {name}`").strip(), (
        f"docs/cli.md has no heading `senate-catalog {name}` with text under it")


@pytest.mark.parametrize(("name", "option"), OPTIONS)
def test_option_is_documented_under_its_command(name: str, option: str) -> None:
    section = _section(_read(CLI_REFERENCE), f"`senate-catalog {name}`")
    assert option in _OPTION.findall(section), (
        f"`senate-catalog {name} {option}` is not explained under that command's heading "
        "in docs/cli.md")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_reference_names_only_options_the_command_has(name: str) -> None:
    section = _section(_read(CLI_REFERENCE), f"`senate-catalog {name}`")
    documented = {option for line in section.splitlines() if line.startswith("- `--")
                  for option in _OPTION.findall(line.split("`:")[0])}
    unknown = sorted(documented - set(_long_options(COMMANDS[name])) - {"--help"})
    assert not unknown, f"docs/cli.md documents {unknown} for `senate-catalog {name}`"


# --- variables -------------------------------------------------------------------------------

@pytest.mark.parametrize("variable", _variables_in_code())
def test_variable_is_in_the_operator_table(variable: str) -> None:
    assert variable in _operator_variables(), (
        f"{variable} is read by the code but not in docs/operator.md's table under "
        "'Environment variables' (name, default, what it does)")


# --- size and links --------------------------------------------------------------------------

def test_readme_is_small() -> None:
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, (
        f"README.md is {size:,} bytes (limit {README_MAX_BYTES:,}): move detail into docs/")


@pytest.mark.parametrize(("doc", "target"), _relative_links())
def test_relative_link_leads_somewhere(doc: str, target: str) -> None:
    source = PROJECT_ROOT / doc
    path, _, anchor = target.partition("#")
    destination = (source.parent / path).resolve() if path else source
    assert destination.exists(), f"{doc} links to {target}: {destination} does not exist"
    if anchor and destination.suffix == ".md":
        assert anchor in _anchors(destination), f"{doc} links to {target}: no such heading"


# --- no tracker numbers ----------------------------------------------------------------------

def _text_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return [path for path in sorted(root.rglob("*"))
            if path.is_file() and path.suffix in _TEXT_SUFFIXES
            and not _SKIP_DIRS.intersection(path.relative_to(root).parts)]


@pytest.mark.parametrize("where", ISSUE_SCAN)
def test_no_issue_numbers(where: str) -> None:
    hits = []
    for path in _text_files(PROJECT_ROOT / where):
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if ISSUE_NUMBER.search(line):
                hits.append(f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()[:80]}")
    assert not hits, ("say what the feature is, not its tracker number (an upstream bug: "
                      "its URL):\n" + "\n".join(hits))


# --- the module map --------------------------------------------------------------------------

@pytest.mark.parametrize("module", _flows_modules())
def test_module_map_names_the_module(module: str) -> None:
    assert module in _module_map_paths(), (
        f"{module} is missing from the module map of docs/architecture.md")


@pytest.mark.parametrize("named", _module_map_paths())
def test_module_map_names_only_what_exists(named: str) -> None:
    path = PROJECT_ROOT / named
    exists = path.is_dir() if named.endswith("/") else path.is_file()
    assert exists, f"docs/architecture.md's module map names {named}, which does not exist"
