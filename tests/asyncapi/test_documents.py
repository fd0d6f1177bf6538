"""The documents and docs pages, pinned whole (golden files), and the mapping rules the
documents follow."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

from sioschema import Emit, Event, EventRegistry, asyncapi
from tests.asyncapi import tricky
from tests.asyncapi.documents import REGISTRIES, documents

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SIOSCHEMA_UPDATE_GOLDEN") == "1"
DOCUMENTS = documents()


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_golden_document(name: str) -> None:
    """The whole document; regenerate with SIOSCHEMA_UPDATE_GOLDEN=1 and review the diff."""
    path = GOLDEN / f"{name}.json"
    text = asyncapi.to_json(DOCUMENTS[name])
    if UPDATE:
        path.write_text(text)
    assert json.loads(text) == json.loads(path.read_text())


@pytest.mark.parametrize("name", sorted(REGISTRIES))
def test_golden_docs_page(name: str) -> None:
    """The whole docs page, byte for byte: what the page shows does not move with a
    release of msgspec or markdown-it-py (the suite runs at both ends of their ranges)."""
    path = GOLDEN / f"{name}.html"
    text = asyncapi.render_html(REGISTRIES[name])
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def walk(node: Any) -> Any:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_draft07_dialect_and_safe_keys(name: str) -> None:
    document = DOCUMENTS[name]
    keys = set()
    for node in walk(document):
        if isinstance(node, dict):
            keys |= set(node)
    assert not keys & {"prefixItems", "$defs", "$schema"}
    components = document["components"]
    for group in components.values():
        assert all(re.fullmatch(r"[\w.\-]+", key) for key in group)
    refs = [node["$ref"] for node in walk(document) if isinstance(node, dict) and "$ref" in node]
    for ref in refs:  # every reference resolves
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]


def test_v3_one_channel_per_namespace_with_ack_and_error_replies() -> None:
    document = DOCUMENTS["tricky-3.0.0"]
    assert {key: ch["address"] for key, ch in document["channels"].items()} == {
        "root": "/",
        "chat_v1": "/chat/v1",
    }
    assert document["channels"]["root"]["bindings"]["ws"]["method"] == "GET"
    on_ping = document["operations"]["root.on_ping"]
    assert on_ping["action"] == "receive"
    assert on_ping["messages"] == [{"$ref": "#/channels/root/messages/ping"}]
    assert on_ping["reply"] == {
        "channel": {"$ref": "#/channels/root"},
        "messages": [
            {"$ref": "#/channels/root/messages/ping.ack"},
            {"$ref": "#/channels/root/messages/error_ack"},
        ],
    }
    assert "address" not in on_ping["reply"]
    send_ping = document["operations"]["root.send_ping"]
    assert send_ping["action"] == "send"
    assert send_ping["reply"]["messages"] == [{"$ref": "#/channels/root/messages/ping.emit.ack"}]
    assert "reply" not in document["operations"]["root.send_poke"]
    messages = document["channels"]["root"]["messages"]
    assert messages["ping.emit.ack"]["payload"] == {"type": "number"}
    assert messages["error_ack"]["payload"] == {"$ref": "#/components/schemas/ErrorReply"}
    assert messages["error"]["payload"] == {"$ref": "#/components/schemas/ErrorReply"}


def test_names_never_overwrite_each_other() -> None:
    messages = DOCUMENTS["tricky-3.0.0"]["channels"]["root"]["messages"]
    by_name: dict[tuple[str, str], str] = {}
    for key, message in messages.items():
        by_name.setdefault((message["name"], message["title"]), key)
    # `chat:message` and `chat_message` sanitise to one key; each keeps its own message
    assert messages["chat_message"]["name"] == "chat:message"
    assert messages["chat_message_2"]["name"] == "chat_message"
    assert messages["chat_message.emit"]["name"] == "chat:message"
    assert messages["chat_message.emit_2"]["name"] == "chat_message"
    # a client event and an emit with one name
    assert messages["ping"]["payload"] == {"type": "integer"}
    assert messages["ping.emit"]["payload"] == {"type": "integer"}
    assert messages["ping"]["description"] == "Client ping."
    # two classes named Point
    schemas = DOCUMENTS["tricky-3.0.0"]["components"]["schemas"]
    assert schemas["tests.asyncapi.tricky.Point"]["properties"].keys() == {"x", "y"}
    assert schemas["tests.asyncapi.other_types.Point"]["properties"].keys() == {"lat", "lon"}
    assert messages["locate"]["payload"] == {
        "$ref": "#/components/schemas/tests.asyncapi.other_types.Point"
    }
    assert messages["locate.ack"]["payload"] == {
        "$ref": "#/components/schemas/tests.asyncapi.tricky.Point"
    }


def test_several_arguments_are_a_tuple() -> None:
    messages = DOCUMENTS["tricky-3.0.0"]["channels"]["root"]["messages"]
    assert messages["chat_message"]["payload"] == {
        "type": "array",
        "items": [
            {"type": "string", "minLength": 1, "examples": ["lobby"]},
            {"type": "string", "maxLength": 500},
        ],
        "additionalItems": False,
        "minItems": 2,
        "maxItems": 2,
    }
    assert messages["chat_message"]["x-socketio-args"] == 2
    assert messages["chat_message"]["examples"] == [{"payload": ["lobby", "hello"]}]
    # no request, an empty ack
    assert "payload" not in messages["whoami"]
    assert messages["whoami"]["x-socketio-args"] == 0
    assert "payload" not in messages["chat_message.ack"]


def test_tagged_union_discriminator_is_a_property_name() -> None:
    messages = DOCUMENTS["tricky-3.0.0"]["channels"]["root"]["messages"]
    assert messages["act"]["payload"] == {
        "anyOf": [
            {"$ref": "#/components/schemas/Walk"},
            {"$ref": "#/components/schemas/Teleport"},
        ],
        "discriminator": "type",
    }


def test_v2_publish_subscribe_and_x_ack() -> None:
    document = DOCUMENTS["tricky-2.6.0"]
    channel = document["channels"]["/"]
    assert channel["publish"]["operationId"] == "root.receive"
    assert channel["subscribe"]["operationId"] == "root.send"
    refs = [ref["$ref"] for ref in channel["publish"]["message"]["oneOf"]]
    assert "#/components/messages/root.ping" in refs
    ping = document["components"]["messages"]["root.ping"]
    assert ping["messageId"] == "root.ping"
    assert ping["x-ack"] == {
        "args": {
            "oneOf": [
                {
                    "type": "array",
                    "items": [{"type": "integer"}, {"type": "number"}],
                    "additionalItems": False,
                    "minItems": 2,
                    "maxItems": 2,
                },
                {"$ref": "#/components/schemas/ErrorReply"},
            ]
        }
    }
    emitted = document["components"]["messages"]["root.ping.emit"]
    assert emitted["x-ack"] == {"args": {"type": "number"}}
    assert document["servers"]["local"] == {
        "url": "localhost:8000/socket.io",
        "protocol": "ws",
    }
    assert document["tags"][1] == {"name": "chat", "description": "Talking"}


def test_registry_metadata() -> None:
    document = DOCUMENTS["tricky-3.0.0"]
    assert document["id"] == "urn:example:tricky"
    assert (
        document["info"]["description"] == "Everything a Socket.IO API can declare, in one place."
    )
    assert document["info"]["externalDocs"] == {
        "url": "https://example.org/docs",
        "description": "Guide",
    }
    assert document["servers"]["prod"] == {
        "host": "game.example.org",
        "pathname": "/socket.io",
        "protocol": "wss",
    }


def test_several_registries_in_any_order_give_one_document() -> None:
    one = asyncapi.render([tricky.Chat, tricky.Game])
    assert one == DOCUMENTS["tricky-3.0.0"]


def test_error_event_name_follows_the_server() -> None:
    document = asyncapi.render(tricky.Chat, error_event="oops")
    messages = document["channels"]["chat_v1"]["messages"]
    assert messages["oops"]["name"] == "oops"
    assert "chat_v1.send_oops" in document["operations"]


def test_unknown_version() -> None:
    with pytest.raises(ValueError, match="unsupported AsyncAPI version '4.0.0'"):
        asyncapi.render(tricky.Chat, asyncapi_version="4.0.0")  # type: ignore[arg-type]


def test_yaml_and_json_say_the_same() -> None:
    document = DOCUMENTS["demo-3.0.0"]
    assert yaml.safe_load(asyncapi.to_yaml(document)) == document
    assert json.loads(asyncapi.to_json(document)) == document
    assert "description: |-\n    Tic-Tac-Toe game API.\n\n" in asyncapi.to_yaml(document)


def test_yaml_without_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "yaml", None)
    with pytest.raises(ImportError, match=r"pip install 'sioschema\[yaml\]'"):
        asyncapi.to_yaml({})


class Sample(msgspec.Struct):
    n: int


def test_examples_reach_the_document() -> None:
    class Examples(EventRegistry):
        ask = Event(request=Sample, examples=[Sample(n=1), {"n": 2}])
        told = Emit((int, str), examples=[(1, "a")])

    messages = asyncapi.render(Examples)["channels"]["root"]["messages"]
    assert messages["ask"]["examples"] == [{"payload": {"n": 1}}, {"payload": {"n": 2}}]
    assert messages["told"]["examples"] == [{"payload": [1, "a"]}]


def test_declared_auth_is_documented() -> None:
    for version in ("3.0.0", "2.6.0"):
        document = DOCUMENTS[f"tricky-{version}"]
        channels = document["channels"]
        chat = channels["chat_v1"] if version != "2.6.0" else channels["/chat/v1"]
        root = channels["root"] if version != "2.6.0" else channels["/"]
        assert chat["x-socketio-auth"] == {"$ref": "#/components/schemas/Session"}
        assert "x-socketio-auth" not in root
    assert DOCUMENTS["tricky-3.0.0"]["components"]["schemas"]["Session"]["properties"] == {
        "token": {"type": "string", "minLength": 8}
    }


class _First(EventRegistry, namespace="/b", title="B API", version="2.0.0"):
    """The registry of /b."""

    ping = Event(ack=int)


class _Second(EventRegistry, namespace="/a", title="A API", version="1.0.0"):
    """The registry of /a."""

    pong = Event(ack=int)


def test_a_multi_registry_document_takes_its_info_from_the_first_namespace() -> None:
    """Not the first registry given: the one whose namespace sorts first, so any order
    of the same registries gives the same document (docs/concepts.md, docs/asyncapi.md)."""
    given = asyncapi.render([_First, _Second])
    assert given == asyncapi.render([_Second, _First])
    assert given["info"] == {
        "title": "A API",
        "version": "1.0.0",
        "description": "The registry of /a.",
    }
    assert list(given["channels"]) == ["a", "b"]
