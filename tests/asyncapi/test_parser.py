"""The official ``@asyncapi/parser`` (npm) reads every document the project produces."""

from __future__ import annotations

from pathlib import Path

import pytest

from sioschema import asyncapi
from tests.asyncapi.documents import UNDECLARED_METADATA, documents
from tests.node import run_node


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    folder = tmp_path_factory.mktemp("asyncapi")
    files: dict[str, Path] = {}
    for name, document in documents().items():
        files[f"{name}.json"] = folder / f"{name}.json"
        files[f"{name}.json"].write_text(asyncapi.to_json(document))
        files[f"{name}.yaml"] = folder / f"{name}.yaml"
        files[f"{name}.yaml"].write_text(asyncapi.to_yaml(document))
    out = run_node("parse_asyncapi.mjs", *map(str, files.values()), timeout=120)
    return {name: out[str(path)] for name, path in files.items()}


def test_every_document_was_checked(verdicts: dict[str, dict[str, object]]) -> None:
    assert len(verdicts) == 3 * 3 * 2
    assert all(verdict["parsed"] for verdict in verdicts.values())


@pytest.mark.parametrize("name", sorted(f"{d}.{f}" for d in documents() for f in ("json", "yaml")))
def test_no_errors_and_no_warnings(name: str, verdicts: dict[str, dict[str, object]]) -> None:
    diagnostics = verdicts[name]["diagnostics"]
    assert isinstance(diagnostics, list)
    errors = [d for d in diagnostics if d["severity"] == "error"]
    warnings = [d for d in diagnostics if d["severity"] == "warning"]
    assert errors == []
    if name.startswith("bare-"):
        # the registry declares no metadata, and the parser asks for it; nothing else
        assert {d["code"] for d in warnings} <= UNDECLARED_METADATA
        # the parser's 3.x rules do not ask for metadata; its 2.x rules do
        assert bool(warnings) == name.startswith("bare-2.6.0")
    else:
        assert warnings == []
    # "info": only the hint that a newer AsyncAPI version exists
    others = [d for d in diagnostics if d["severity"] in ("info", "hint")]
    assert {d["code"] for d in others} <= {"asyncapi-latest-version"}
