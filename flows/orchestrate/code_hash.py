"""The code a dataset's result depends on, as one hash (part of every cache key).

What validate and describe run is ``flows.orchestrate.stages`` and every module it imports,
transitively — also imports inside functions, read from the source (``ast``), so a module loaded
only when a function runs still counts — with the data files (templates, styles) of the
packages they belong to, and the extension's rules and scheming schema that describe imports.
Not the CLI, the stack or the flow. The versions of the libraries that read and judge the data
are part of it too: a new frictionless or Great Expectations may find something else.
"""

from __future__ import annotations

import ast
import hashlib
import sys
from functools import lru_cache
from importlib import metadata as package_metadata
from pathlib import Path

#: The checkout: flows/ and the extension's source folder hold the code hashed here.
CHECKOUT = Path(__file__).resolve().parent.parent.parent
_EXTENSION_DIR = CHECKOUT / "catalog_config" / "ckanext-senate_dga"
_BASES = {"flows": CHECKOUT, "ckanext": _EXTENSION_DIR}
#: Where validating and describing a dataset starts (prepare, ingest).
RESULT_ENTRY = "flows.orchestrate.stages"
#: Libraries whose behaviour is part of a result.
RESULT_LIBRARIES = ("frictionless", "great_expectations", "pandas", "numpy", "PyYAML",
                    "openpyxl")   # openpyxl: the excel reader (ingest)
_DATA_SUFFIXES = (".html", ".css", ".json", ".yaml", ".txt")


@lru_cache(maxsize=1)
def code_sha256() -> str:
    """The code that makes the results: a new version of it invalidates every cache."""
    files = [f"{path.relative_to(CHECKOUT).as_posix()}:{_sha256(path.read_bytes())}"
             for path in result_code_files()]
    versions = [f"{name}=={_version(name)}" for name in RESULT_LIBRARIES]
    python = f"python {sys.version_info[0]}.{sys.version_info[1]}"
    return _sha256("\n".join([*files, *versions, python]).encode("utf-8"))


def result_code_files() -> list[Path]:
    """The modules ``RESULT_ENTRY`` imports, transitively, and the data files of their
    packages, sorted."""
    modules = _import_closure(RESULT_ENTRY)
    packages = {path.parent for path in modules if path.name == "__init__.py"}
    return sorted({*modules, *(path for package in packages for path in _data_files(package))})


def _import_closure(entry: str) -> set[Path]:
    found: set[Path] = set()
    pending = [entry]
    while pending:
        for path in _module_files(pending.pop()):
            if path not in found:
                found.add(path)
                pending += _imports_of(path)
    return found


def _module_files(name: str) -> list[Path]:
    """The files importing ``name`` runs: each package ``__init__`` on the way and the module
    itself; none for a module outside this checkout (the standard library, a dependency)."""
    parts = name.split(".")
    base = _BASES.get(parts[0])
    if base is None:
        return []
    files = []
    for depth in range(1, len(parts) + 1):
        folder = base.joinpath(*parts[:depth])
        files += [candidate for candidate in (folder / "__init__.py", folder.with_suffix(".py"))
                  if candidate.is_file()]
    return files


def _imports_of(path: Path) -> list[str]:
    """Every module ``path`` imports, anywhere in it (``from a import b`` may name a.b)."""
    package = _package_of(path).split(".")
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            anchor = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*anchor, *([node.module] if node.module else [])])
            names += [module, *(f"{module}.{alias.name}" for alias in node.names)]
    return names


def _package_of(path: Path) -> str:
    """The package a file's relative imports start from (its folder, as a dotted name)."""
    base = _EXTENSION_DIR if path.is_relative_to(_EXTENSION_DIR) else CHECKOUT
    return ".".join(path.parent.relative_to(base).parts)


def _data_files(package: Path) -> list[Path]:
    """A package's data files: in its folder, and in sub-folders that are not packages
    (``templates/``); a sub-package's files are its own, hashed when it is imported."""
    found = []
    for path in package.rglob("*"):
        folders = path.relative_to(package).parts[:-1]
        inside_package = any((package.joinpath(*folders[:depth + 1]) / "__init__.py").is_file()
                             for depth in range(len(folders)))
        if (path.is_file() and path.suffix in _DATA_SUFFIXES and "__pycache__" not in folders
                and not inside_package):
            found.append(path)
    return found


def _version(name: str) -> str:
    try:
        return package_metadata.version(name)
    except package_metadata.PackageNotFoundError:
        return "absent"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
