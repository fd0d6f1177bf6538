"""The docs site: the API reference lists every public name, and the pages link only
to pages that exist."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"
PUBLIC = [
    "sioschema",
    "sioschema.errors",
    "sioschema.socketio",
    "sioschema.flask",
    "sioschema.client",
    "sioschema.emitter",
    "sioschema.asyncapi",
    "sioschema.typescript",
    "sioschema.inspect",
]
DIRECTIVE = re.compile(r"^\.\. auto(?:class|exception|function|data):: ([\w.]+)$", re.M)


def documented() -> set[str]:
    return set(DIRECTIVE.findall((DOCS / "api.md").read_text(encoding="utf-8")))


@pytest.mark.parametrize("module", PUBLIC)
def test_every_public_name_in_the_api_reference(module: str) -> None:
    """Each name in ``__all__`` has its entry, under this module or (for a name two
    modules export) under the first module of PUBLIC that exports it."""
    names = importlib.import_module(module).__all__
    homes = {}
    for other in PUBLIC:
        for name in importlib.import_module(other).__all__:
            homes.setdefault(name, f"{other}.{name}")
    assert {homes[name] for name in names} <= documented()


def test_the_api_reference_lists_nothing_else() -> None:
    for entry in documented():
        module, _, name = entry.rpartition(".")
        assert name in importlib.import_module(module).__all__, entry


def test_page_links_resolve() -> None:
    for page in [*DOCS.glob("*.md"), DOCS.parent / "README.md"]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", text):
            assert (page.parent / target).is_file(), f"{page.name}: {target}"
