"""The steward guide (docs/steward.md) stays true: every DGA field and choice of the catalog's
schema is in it, its generated field reference is current, and every command, option and file
path it names exists."""

from __future__ import annotations

import re

import click
import pytest

from flows import docs_fields
from flows.cli import cli
from flows.settings import PROJECT_ROOT

GUIDE = PROJECT_ROOT / "docs" / "steward.md"
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_COMMAND = re.compile(r"senate-catalog((?: [a-z][a-z-]*)+)")
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")


@pytest.fixture(scope="module")
def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def test_generated_field_reference_is_current(guide: str) -> None:
    assert docs_fields.replace_section(guide, docs_fields.render()) == guide, (
        "docs/steward.md is stale: run `python -m flows.docs_fields`")


def test_every_dga_field_and_choice_is_in_the_guide(guide: str) -> None:
    dataset_fields, resource_fields = docs_fields.load_fields()
    assert len(dataset_fields) > 40 and resource_fields   # the real schema, not an empty read
    missing = [f"field {field['field_name']}" for field in dataset_fields + resource_fields
               if f"`{field['field_name']}`" not in guide]
    missing += [f"{field['field_name']}: choice {choice['value']}"
                for field in dataset_fields + resource_fields
                for choice in field.get("choices") or []
                if f"`{choice['value']}`" not in guide]
    assert not missing, missing


def test_who_fills_follows_the_schema_and_the_derived_list() -> None:
    dataset_fields, _ = docs_fields.load_fields()
    by_name = {field["field_name"]: field for field in dataset_fields}
    assert docs_fields.who_fills(by_name["quality_grade"]) == "pipeline"
    assert docs_fields.who_fills(by_name["data_format"]) == "derived"
    assert docs_fields.who_fills(by_name["data_category"]) == "steward"


def test_replace_section_refuses_a_guide_without_markers() -> None:
    with pytest.raises(ValueError, match="BEGIN dga-fields"):
        docs_fields.replace_section("# a guide\n", "section")


def _resolve(words: list[str]) -> click.Command:
    """The deepest command the words name under `senate-catalog`; fails on an unknown one."""
    command: click.Command = cli
    for word in words:
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
    assert command is not cli, f"`senate-catalog {' '.join(words)}`: no such command"
    if isinstance(command, click.Group):
        pytest.fail(f"`senate-catalog {' '.join(words)}` names a group, not a command")
    return command


def test_every_command_and_option_the_guide_names_exists(guide: str) -> None:
    checked = 0
    for line in guide.splitlines():
        for match in _COMMAND.finditer(line):
            words = match.group(1).split()
            command = _resolve(words)
            known = {opt for param in command.params for opt in getattr(param, "opts", [])}
            # Options on the same line as the command are that command's.
            rest = line[match.end():].split("senate-catalog")[0]
            unknown = [opt for opt in _OPTION.findall(rest) if opt not in known]
            assert not unknown, f"`senate-catalog {' '.join(words)}` has no option {unknown}"
            checked += 1
    assert checked >= 10
    # The options of `new` the guide explains in its own list items.
    new_options = {opt for param in _resolve(["new"]).params for opt in getattr(param, "opts", [])}
    for option in ("--from", "--sheet", "--owner", "--steward", "--force"):
        assert f"`{option}" in guide and option in new_options, option


def _looks_like_path(text: str) -> bool:
    """A repository path: has a `/` and a file suffix or a trailing `/`, no placeholder, no
    space. Rule slugs (`schema/type-error`, `metadata/update-frequency`) have neither."""
    if any(c in text for c in " <>*{}~:") or "/" not in text or text.startswith("/"):
        return False
    return text.endswith("/") or re.search(r"\.[a-z]{2,4}$", text) is not None


def test_every_file_path_the_guide_names_exists(guide: str) -> None:
    paths = {code for code in _INLINE_CODE.findall(guide) if _looks_like_path(code)}
    assert len(paths) >= 10
    missing = sorted(path for path in paths if not (PROJECT_ROOT / path).exists())
    assert not missing, missing


def test_each_section_gives_thai_before_english(guide: str) -> None:
    sections = re.split(r"^## ", guide, flags=re.M)[1:]
    with_both = [s for s in sections if "### English" in s]
    assert len(with_both) >= 8
    for section in with_both:
        assert section.index("### ภาษาไทย") < section.index("### English"), section.splitlines()[0]


@pytest.mark.parametrize("readme", ["schemas/README.md", "metadata/README.md", "README.md"])
def test_readmes_point_to_the_guide(readme: str) -> None:
    assert "docs/steward.md" in (PROJECT_ROOT / readme).read_text(encoding="utf-8")
