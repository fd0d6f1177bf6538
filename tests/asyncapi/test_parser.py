"""The official ``@asyncapi/parser`` (npm) reads every document the project produces."""

from __future__ import annotations

from pathlib import Path

import pytest

from sioschema import Event, EventRegistry, asyncapi
from tests.asyncapi.documents import UNDECLARED_METADATA, documents
from tests.node import run_node

# A hang guard above the parser run's own 120 s limit (a loaded machine takes a while
# to start node and parse every document), not a speed check.
pytestmark = pytest.mark.timeout(180)


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


class Permissive(
    EventRegistry,
    id="urn:x",
    servers={
        # a 2.x-style url with a scheme and no protocol; an IPv6 host with a port
        "url": {"url": "wss://x.test:8443/socket.io?EIO=4#top"},
        "v6": {"host": "[::1]:5000", "protocol": "ws"},
    },
    contact={"email": "a.b+c@x.test", "x-team": "core"},
    license={"name": "Custom", "url": "https://[2001:db8::1]/l%C3%A9gal?v=1#s"},
    tags=[{"name": "a", "externalDocs": {"url": "mailto:a@x.test"}}, {"name": "b", "x-k": "v"}],
    external_docs={"url": "urn:isbn:0451450523"},
):
    hello = Event(request=str)


def test_the_most_permissive_metadata_makes_a_valid_document(tmp_path: Path) -> None:
    """Metadata the registry accepts at its limits still renders a document the parser
    accepts (what it would not accept is refused: tests/unit/test_refused.py)."""
    files = []
    for version in asyncapi.VERSIONS:
        files.append(tmp_path / f"{version}.json")
        files[-1].write_text(
            asyncapi.to_json(asyncapi.render(Permissive, asyncapi_version=version))
        )
    out = run_node("parse_asyncapi.mjs", *map(str, files), timeout=120)
    for file in files:
        errors = [d for d in out[str(file)]["diagnostics"] if d["severity"] == "error"]
        assert (file.name, errors) == (file.name, [])


class Staged(
    EventRegistry,
    title="Staged API",
    description="Servers whose urls are templates.",
    id="urn:example:staged",
    servers={
        "prod": {
            "url": "wss://{stage}.x.test:{port}/socket.io/",
            "description": "One per stage.",
            "variables": {
                "stage": {"default": "api", "enum": ["api", "beta"], "x-owner": "ops"},
                "port": {"default": "443", "examples": ["443", "8443"]},
            },
            "tags": [{"name": "public"}],
            "x-region": "eu",
        },
        "local": {
            "host": "localhost:{port}",
            "pathname": "/socket.io/",
            "protocol": "ws",
            "protocolVersion": "13",
            "variables": {"port": {"default": "5000"}},
        },
    },
    contact={"name": "Team", "url": "https://x.test", "email": "team@x.test"},
    license={"name": "MIT", "x-spdx": "MIT"},
    tags=[{"name": "game", "x-order": 1}],
    external_docs={"url": "https://x.test/docs"},
):
    hello = Event(request=str)


def test_server_variables_make_a_valid_document(tmp_path: Path) -> None:
    """A url, host or pathname may use the variables its server declares (``{stage}``);
    every version renders them so that the parser reports nothing at all."""
    files = []
    for version in asyncapi.VERSIONS:
        files.append(tmp_path / f"{version}.json")
        files[-1].write_text(asyncapi.to_json(asyncapi.render(Staged, asyncapi_version=version)))
    out = run_node("parse_asyncapi.mjs", *map(str, files), timeout=120)
    for file in files:
        found = [d for d in out[str(file)]["diagnostics"] if d["severity"] in ("error", "warning")]
        assert (file.name, found) == (file.name, [])
    document = asyncapi.render(Staged, asyncapi_version="2.6.0")
    assert document["servers"]["prod"]["url"] == "wss://{stage}.x.test:{port}/socket.io"
    assert document["servers"]["local"]["url"] == "localhost:{port}/socket.io"
    document = asyncapi.render(Staged, asyncapi_version="3.0.0")
    assert document["servers"]["prod"]["host"] == "{stage}.x.test:{port}"
    assert document["servers"]["prod"]["variables"]["stage"]["enum"] == ["api", "beta"]
