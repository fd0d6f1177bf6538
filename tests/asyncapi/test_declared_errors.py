"""The application errors events declare, in every document and on the docs page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sioschema import asyncapi
from tests.asyncapi.declared_errors import Game, Plain
from tests.node import run_node

pytestmark = pytest.mark.timeout(180)
REF = "#/components/schemas/"


def _envelope_code(schema: dict[str, Any]) -> str:
    body = schema["properties"]["error"]
    assert schema["required"] == ["error"]
    assert body["required"] == ["code", "message", "path", "event", "data"]
    assert body["properties"]["path"] == {"type": "null"}
    assert body["properties"]["message"] == {"type": "string"}
    code: str = body["properties"]["code"]["const"]
    assert body["properties"]["data"] == {
        "$ref": REF
        + {
            "not_your_turn": "NotYourTurn",
            "game_over": "GameOver",
            "maintenance": "Maintenance",
            "busy": "Busy",
        }[code]
    }
    return code


@pytest.mark.parametrize("version", ["3.0.0", "3.1.0"])
def test_v3_reply_lists_ack_declared_errors_then_error_ack(version: str) -> None:
    doc = asyncapi.render([Game, Plain], asyncapi_version=version)  # type: ignore[arg-type]
    messages = doc["channels"]["game"]["messages"]
    replies = [
        ref["$ref"].rsplit("/", 1)[1]
        for ref in doc["operations"]["game.on_make_move"]["reply"]["messages"]
    ]
    assert replies == [
        "make_move.ack",
        "make_move.error.not_your_turn",
        "make_move.error.game_over_2",  # the event `make_move.error.game_over` took the key
        "make_move.error.maintenance",  # the registry's, after the event's own
        "error_ack",
    ]
    codes = [_envelope_code(messages[key]["payload"]) for key in replies[1:-1]]
    assert codes == ["not_your_turn", "game_over", "maintenance"]
    first = messages["make_move.error.not_your_turn"]
    assert first["name"] == "make_move.error.not_your_turn"
    assert first["summary"] == "It is the other player's turn."
    assert first["description"] == "It is the other player's turn.\n\nWait for the `turn` emit."
    emit = doc["operations"]["game.send_confirm"]["reply"]["messages"]
    assert [ref["$ref"].rsplit("/", 1)[1] for ref in emit] == ["confirm.ack", "confirm.error.busy"]
    # the emit gets only its own errors, not the registry's
    assert _envelope_code(messages["confirm.error.busy"]["payload"]) == "busy"
    ping = doc["operations"]["game.on_ping"]["reply"]["messages"]
    assert len(ping) == 3
    assert {"NotYourTurn", "GameOver", "Maintenance", "Busy"} <= set(doc["components"]["schemas"])
    # the tag field is part of the data's schema, as msgspec encodes it
    assert doc["components"]["schemas"]["Maintenance"]["properties"]["kind"] == {
        "enum": ["maintenance"]
    }


def test_v3_a_registry_without_errors_renders_as_before() -> None:
    doc = asyncapi.render([Game, Plain])
    plain = asyncapi.render(Plain)
    assert doc["channels"]["plain"]["messages"] == plain["channels"]["plain"]["messages"]
    assert doc["operations"]["plain.on_hello"] == plain["operations"]["plain.on_hello"]


def test_v2_6_x_ack_is_one_of_ack_declared_errors_and_error_object() -> None:
    doc = asyncapi.render([Game, Plain], asyncapi_version="2.6.0")
    messages = doc["components"]["messages"]
    one_of = messages["game.make_move"]["x-ack"]["args"]["oneOf"]
    assert one_of[0] == {"$ref": REF + "Board"}
    assert [_envelope_code(schema) for schema in one_of[1:-1]] == [
        "not_your_turn",
        "game_over",
        "maintenance",
    ]
    assert one_of[1]["description"].startswith("It is the other player's turn.")
    assert one_of[-1] == {"$ref": REF + "ErrorReply"}
    confirm = messages["game.confirm"]["x-ack"]["args"]["oneOf"]
    assert confirm[0] == {"type": "boolean"}
    assert [_envelope_code(schema) for schema in confirm[1:]] == ["busy"]
    assert messages["plain.hello"]["x-ack"]["args"] == {
        "oneOf": [{"type": "string"}, {"$ref": REF + "ErrorReply"}]
    }


def test_the_parser_reads_documents_with_errors(tmp_path: Path) -> None:
    files = []
    for version in asyncapi.VERSIONS:
        document = asyncapi.render([Game, Plain], asyncapi_version=version)
        files.append(tmp_path / f"{version}.json")
        files[-1].write_text(asyncapi.to_json(document))
        files.append(tmp_path / f"{version}.yaml")
        files[-1].write_text(asyncapi.to_yaml(document))
    out = run_node("parse_asyncapi.mjs", *map(str, files), timeout=120)
    assert len(out) == 6
    for file in files:
        verdict = out[str(file)]
        assert verdict["parsed"], file.name
        found = [d for d in verdict["diagnostics"] if d["severity"] in ("error", "warning")]
        assert (file.name, found) == (file.name, [])


def test_docs_page_lists_the_errors_of_each_event() -> None:
    page = asyncapi.render_html([Game, Plain])
    assert page.count("<h5>Errors</h5>") == 5  # make_move, resign, ping, odd, confirm
    row = page.split('<tr id="error-game.on_make_move.not_your_turn">', 1)[1].split("</tr>")[0]
    assert "<code>not_your_turn</code>" in row
    assert '<a href="#schema-NotYourTurn"><code>NotYourTurn</code></a>' in row
    assert "Wait for the <code>turn</code> emit." in row
    assert 'id="error-game.send_confirm.busy"' in page
    assert 'id="schema-NotYourTurn"' in page
    hello = page.split('<article id="plain.on_hello">', 1)[1].split("</article>")[0]
    assert "Errors" not in hello
