"""The house rules that keep flows/ easy to change, checked on the source itself.

- No import cycle between modules of flows/ (imports inside functions count too: a lazy import
  that closes a circle is still a circle a reader has to untangle).
- Only flows/config.py reads or writes the process environment; everything else gets the
  configuration passed in.
- flows/pipelines/ holds only modules that import Prefect; the Prefect-free path is
  flows/orchestrate/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flows.settings import PROJECT_ROOT

FLOWS = PROJECT_ROOT / "flows"
#: The one module that may touch os.environ (flows.config: the configuration loader).
LOADER = FLOWS / "config.py"
_ENV_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(FLOWS.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``name`` imports, at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:   # `from a import b`: the module a.b, else a itself
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return (found & known) - {name}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def environment_access(source: str) -> list[int]:
    """The lines of ``source`` that use the process environment (os.environ, os.getenv, ...,
    or such a name imported from os)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and node.attr in _ENV_NAMES
                and isinstance(node.value, ast.Name) and node.value.id in ("os", "posix")):
            lines.append(node.lineno)
        elif (isinstance(node, ast.ImportFrom) and node.module in ("os", "posix")
              and any(alias.name in _ENV_NAMES for alias in node.names)):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_checks_themselves_find_what_they_look_for() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    source = ("import os\nfrom os import getenv as g\nx = os.environ.get('A')\n"
              "def f():\n    os.putenv('A', '1')\n")
    assert environment_access(source) == [2, 3, 5]
    assert environment_access("import os\nos.path.join('a')\n") == []


def test_no_import_cycle_inside_flows() -> None:
    graph = import_graph()
    assert "flows.cli.main" in graph and graph["flows.cli.main"]   # the walk found imports
    assert cycles(graph) == []


@pytest.mark.parametrize("path", sorted(FLOWS.rglob("*.py")),
                         ids=lambda path: str(path.relative_to(PROJECT_ROOT)))
def test_only_the_configuration_loader_touches_the_environment(path: Path) -> None:
    used = environment_access(path.read_text("utf-8"))
    if path == LOADER:
        assert used, "flows/config.py is the loader: it reads the environment"
    else:
        assert used == [], (f"{path.relative_to(PROJECT_ROOT)} lines {used} use the process "
                            "environment: take the value from flows.config's Config instead")


@pytest.mark.parametrize("path", sorted(set((FLOWS / "pipelines").glob("*.py"))
                                         - {FLOWS / "pipelines" / "__init__.py"}),
                         ids=lambda path: path.name)
def test_pipelines_holds_only_what_imports_prefect(path: Path) -> None:
    name = module_name(path)
    imported = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            imported.add(node.module.split(".")[0])
    assert "prefect" in imported or "prefect_dask" in imported, (
        f"{name} does not import Prefect: move it beside the stages (flows/orchestrate/)")


def test_the_prefect_free_path_does_not_import_prefect() -> None:
    graph = import_graph()
    for name, path in modules().items():
        if name.startswith("flows.orchestrate"):
            source = path.read_text("utf-8")
            assert "import prefect" not in source and "from prefect" not in source, name
            assert not {other for other in graph[name] if other.startswith("flows.pipelines")}
