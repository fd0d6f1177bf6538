"""The TypeScript text, type by type: whole declarations for the demo, the error reply and
every JSON Schema shape msgspec writes (no golden file; ``test_tsc`` compiles them)."""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

import msgspec
import pytest

from examples.tictactoe.api import TicTacToe
from sioschema import Event, EventRegistry, RegistryError, asyncapi, typescript
from sioschema.errors import ErrorCode
from tests.asyncapi import tricky
from tests.typescript.corners import Shapes


def declarations(text: str) -> dict[str, str]:
    """Every ``export interface`` / ``export type`` of a module by name, each with its
    doc comment (declarations are separated by one blank line)."""
    found = {}
    for chunk in text.split("\n\n"):
        match = re.search(r"^export (?:interface|type) (\w+)", chunk, re.MULTILINE)
        if match:
            found[match[1]] = chunk.strip("\n")
    return found


@pytest.fixture(scope="module")
def demo() -> dict[str, str]:
    return declarations(typescript.render(TicTacToe))


@pytest.fixture(scope="module")
def shapes() -> dict[str, str]:
    return declarations(typescript.render(Shapes))


def test_header_names_the_registries_and_the_command() -> None:
    text = typescript.render([tricky.Game, tricky.Chat])
    assert text.split("\n")[:6] == [
        "// The socket.io-client contract of the sioschema registries:",
        '//   tests.asyncapi.tricky:Game (namespace "/")',
        '//   tests.asyncapi.tricky:Chat (namespace "/chat/v1")',
        "// Generated from the JSON Schema of the AsyncAPI document; regenerate, do not edit:",
        "//   python -m sioschema typescript tests.asyncapi.tricky:Game tests.asyncapi.tricky:Chat",
        'import type { Socket } from "socket.io-client";',
    ]


def test_one_type_per_schema_component(demo: dict[str, str]) -> None:
    """The payload types are the AsyncAPI document's components, the error code union, and
    four names per namespace."""
    components = asyncapi.render(TicTacToe)["components"]["schemas"]
    assert sorted(components) == [
        "ErrorBody",
        "ErrorReply",
        "GameCreated",
        "GameDrawn",
        "GameWon",
        "MakeMove",
        "MakeMoveAck",
        "MoveMade",
    ]
    assert list(demo) == [
        "ErrorAck",
        "ErrorBody",
        "ErrorCode",
        "GameCreated",
        "GameDrawn",
        "GameWon",
        "MakeMove",
        "MakeMoveAck",
        "MoveMade",
        "TicTacToeServerToClientEvents",
        "TicTacToeClientToServerEvents",
        "TicTacToeAuth",
        "TicTacToeSocket",
    ]


def test_the_error_reply(demo: dict[str, str]) -> None:
    assert demo["ErrorAck"] == (
        "/** The error ack (or error event) sioschema sends for a rejected message. */\n"
        "export interface ErrorAck {\n"
        "  error: ErrorBody;\n"
        "}"
    )
    assert demo["ErrorBody"] == (
        "/**\n"
        " * What went wrong: a stable `code`, a readable `message`, the JSON `path` of the\n"
        " * offending value (`null` when the whole message is at fault) and the `event`; an\n"
        " * error the event declares (its `code` is the error type's tag) carries its typed\n"
        " * `data` too, and its `path` is `null`.\n"
        " */\n"
        "export interface ErrorBody {\n"
        "  code: ErrorCode;\n"
        "  data?: unknown;\n"
        "  event: string;\n"
        "  message: string;\n"
        "  path: string | null;\n"
        "}"
    )
    codes = "\n".join(f'  | "{code}"' for code in sorted(get_args(ErrorCode)))
    assert demo["ErrorCode"] == (
        "/** The `code` of an error reply (sioschema/errors.py). */\n"
        f"export type ErrorCode =\n{codes};"
    )


def test_demo_payloads(demo: dict[str, str]) -> None:
    assert demo["MakeMove"] == (
        "/**\n"
        " * A move by the player whose turn it is.\n"
        " *\n"
        " * @additionalProperties false\n"
        " */\n"
        "export interface MakeMove {\n"
        "  /**\n"
        "   * @examples [1]\n"
        "   * @minimum 1\n"
        "   */\n"
        "  game_id: number;\n"
        "  /**\n"
        "   * Column, 0-2\n"
        "   *\n"
        "   * @maximum 2\n"
        "   * @minimum 0\n"
        "   */\n"
        "  x: number;\n"
        "  /**\n"
        "   * Row, 0-2\n"
        "   *\n"
        "   * @maximum 2\n"
        "   * @minimum 0\n"
        "   */\n"
        "  y: number;\n"
        "}"
    )
    assert demo["MakeMoveAck"] == (
        "/** Whether the move was played; `error` says why not. */\n"
        "export interface MakeMoveAck {\n"
        "  ok: boolean;\n"
        "  /** @default null */\n"
        "  error?: string | null;\n"
        "}"
    )
    assert demo["GameWon"] == (
        "/** The game ended with three in a row. */\n"
        "export interface GameWon {\n"
        "  /**\n"
        "   * @examples [1]\n"
        "   * @minimum 1\n"
        "   */\n"
        "  game_id: number;\n"
        '  winner: "O" | "X";\n'
        "  /**\n"
        "   * @maxItems 3\n"
        "   * @minItems 3\n"
        "   */\n"
        '  board: ("" | "O" | "X")[][];\n'
        "}"
    )


def test_demo_event_maps(demo: dict[str, str]) -> None:
    assert demo["TicTacToeServerToClientEvents"] == (
        "/** Tic-Tac-Toe API (namespace `/`): the events the server sends (`socket.on`). */\n"
        "export interface TicTacToeServerToClientEvents {\n"
        "  /**\n"
        "   * Sent when a request that asked for no ack is rejected or its handler fails; "
        "the same object as\n"
        "   * the error ack.\n"
        "   */\n"
        "  error: (err: ErrorAck) => void;\n"
        "  /** Sent to everyone when a game is created. */\n"
        "  game_created: (payload: GameCreated) => void;\n"
        "  /** Sent to everyone when a game is drawn. */\n"
        "  game_drawn: (payload: GameDrawn) => void;\n"
        "  /** Sent to everyone when a game is won. */\n"
        "  game_won: (payload: GameWon) => void;\n"
        "  /** Sent to everyone after each move. */\n"
        "  move_made: (payload: MoveMade) => void;\n"
        "}"
    )
    assert demo["TicTacToeClientToServerEvents"] == (
        "/**\n"
        " * Tic-Tac-Toe API (namespace `/`): the events a client sends (`socket.emit`, "
        "`socket.emitWithAck`);\n"
        " * the last parameter is the ack callback.\n"
        " */\n"
        "export interface TicTacToeClientToServerEvents {\n"
        "  /**\n"
        "   * Create a game; you play X.\n"
        "   *\n"
        "   * The server may emit while handling it: `game_created`.\n"
        "   */\n"
        "  create_game: (ack: (res: GameCreated | ErrorAck) => void) => void;\n"
        "  /**\n"
        "   * Play a move in a game.\n"
        "   *\n"
        "   * The server may emit while handling it: `move_made`, `game_won`, `game_drawn`.\n"
        "   *\n"
        '   * @examples [{"game_id": 1, "x": 1, "y": 1}]\n'
        "   */\n"
        "  make_move: (req: MakeMove, ack: (res: MakeMoveAck | ErrorAck) => void) => void;\n"
        "}"
    )


def test_auth_and_socket(demo: dict[str, str], shapes: dict[str, str]) -> None:
    assert demo["TicTacToeAuth"] == (
        "/** The `auth` payload of a connection: not declared, the server does not check it. */\n"
        "export type TicTacToeAuth = { [key: string]: unknown };"
    )
    assert demo["TicTacToeSocket"] == (
        "/**\n"
        " * A socket.io-client socket on namespace `/`:\n"
        " *\n"
        " * `const socket: TicTacToeSocket = io(origin);`\n"
        " */\n"
        "export type TicTacToeSocket = "
        "Socket<TicTacToeServerToClientEvents, TicTacToeClientToServerEvents>;"
    )
    assert shapes["ShapesAuth"] == (
        "/** The `auth` payload the server checks on connect: `io(url, { auth })`. */\n"
        "export type ShapesAuth = Token;"
    )
    assert shapes["ShapesSocket"].split("\n")[3] == (
        ' * `const socket: ShapesSocket = io(origin + "/shapes");`'
    )


def _literal_keys() -> str:
    """msgspec describes the keys of ``dict[Literal[...], ...]`` from 0.23 on only."""
    schema = msgspec.json.schema(dict[Literal["x", "y"], bool])
    if "propertyNames" in schema:
        return '{ [key in "x" | "y"]?: boolean }'
    return "{ [key: string]: boolean }"


def test_every_shape(shapes: dict[str, str]) -> None:
    assert shapes["Everything"] == "\n".join(
        [
            "/**",
            " * Every shape at once.",
            " *",
            " * Second paragraph.",
            " *",
            " * @additionalProperties false",
            " */",
            "export interface Everything {",
            "  /**",
            "   * @maxLength 8",
            "   * @minLength 1",
            "   * @pattern ^[a-z]+$",
            "   */",
            "  name: string;",
            "  maybe: number | null;",
            "  /** @default 0 */",
            '  "kebab-case"?: number;',
            "  /** @default null */",
            "  optional?: string | null;",
            '  /** @default "red" */',
            "  color?: Color;",
            "  /** @default 1 */",
            "  level?: Level;",
            '  /** @default "a" */',
            '  mode?: "a" | "b" | null;',
            "  /** @default 1 */",
            "  odd?: 1 | 3;",
            '  /** @default [0, ""] */',
            "  fixed?: [number, string];",
            "  /** @default [] */",
            "  many?: number[];",
            "  /**",
            "   * @default []",
            "   * @uniqueItems true",
            "   */",
            "  tags?: string[];",
            "  /** @default null */",
            "  pair?: Pair | null;",
            "  /** @default {} */",
            "  by_name?: { [key: string]: number };",
            "  /** @default {} */",
            "  by_number?: { [key: string]: string };",
            "  /** @default {} */",
            f"  by_letter?: {_literal_keys()};",
            "  /** @default null */",
            "  shape?: (/* @discriminator type */ Circle | Square) | null;",
            "  /**",
            "   * @contentEncoding base64",
            '   * @default ""',
            "   */",
            "  blob?: string;",
            "  /** @default null */",
            "  when?: string | null;",
            "  /** @default null */",
            "  day?: (/* @format date */ string) | null;",
            "  /** @default null */",
            "  key?: (/* @format uuid */ string) | null;",
            "  /** @default null */",
            "  amount?: (/* @format decimal */ string) | null;",
            "  /** @default null */",
            "  anything?: unknown;",
            "  /** @default [] */",
            "  grid?: (/* @minimum 0 */ number)[][];",
            "  /** @default null */",
            "  options?: Options | null;",
            "  /**",
            '   * @additionalProperties {"type": "integer"}',
            "   * @default {}",
            '   * @not {"required": ["b"]}',
            "   */",
            "  rest?: { a: /* @minimum 1 */ number; };",
            "}",
        ]
    )


def test_enums_tuples_typed_dicts_and_tagged_unions(shapes: dict[str, str]) -> None:
    assert shapes["Color"] == (
        "/** A color; the comment ends *\\/ early if not escaped. */\n"
        'export type Color = "green" | "red";'
    )
    assert shapes["Level"] == "export type Level = 1 | 2;"
    assert shapes["Pair"] == (
        "/** Sent as a JSON array. */\n"
        'export type Pair = [number, /* @default "" */ string?, ...unknown[]];'
    )
    assert shapes["Options"] == (
        "/** A TypedDict with a key that is no identifier. */\n"
        "export interface Options {\n"
        "  level?: Level;\n"
        '  "max-depth"?: number;\n'
        "  verbose: boolean;\n"
        "}"
    )
    assert shapes["Circle"] == (
        "export interface Circle {\n"
        '  type: "circle";\n'
        "  /** @exclusiveMinimum 0 */\n"
        "  radius: number;\n"
        "}"
    )


def test_names_that_are_taken_give_way(shapes: dict[str, str]) -> None:
    """A payload type named like a TypeScript keyword, the imported ``Socket``, the error
    ack or a namespace's event map is renamed; the names the contract defines are not."""
    assert shapes["string_2"].endswith("export interface string_2 {\n  value: string;\n}")
    assert shapes["Socket_2"].endswith("export interface Socket_2 {\n  id: string;\n}")
    assert shapes["ErrorAck_2"].endswith("export interface ErrorAck_2 {\n  reason: string;\n}")
    assert (
        "export interface ShapesServerToClientEvents_2 {" in shapes["ShapesServerToClientEvents_2"]
    )
    assert "export interface ShapesServerToClientEvents {" in shapes["ShapesServerToClientEvents"]
    assert shapes["ErrorAck"].endswith("export interface ErrorAck {\n  error: ErrorBody;\n}")


def test_two_classes_with_one_name() -> None:
    found = declarations(typescript.render([tricky.Game, tricky.Chat]))
    assert "tests_asyncapi_tricky_Point" in found
    assert "tests_asyncapi_other_types_Point" in found
    assert (
        "  locate: (\n    req: tests_asyncapi_other_types_Point,\n"
        in (found["GameClientToServerEvents"])
    )


def test_event_shapes(shapes: dict[str, str]) -> None:
    """No argument, several arguments (named by their titles where a title can name a
    parameter), an empty ack, several ack values, emits that expect a client ack, names
    that are not identifiers, a tagged union argument."""
    assert shapes["ShapesClientToServerEvents"].split("\n")[4:] == [
        "export interface ShapesClientToServerEvents {",
        "  /** The server may emit while handling it: `drawn`. */",
        "  draw: (req: Everything, ack: (res: Everything | ErrorAck) => void) => void;",
        '  "pair:up": (req1: Pair, req2: Color, ack: (...res: [number, Level] | [ErrorAck]) '
        "=> void) => void;",
        "  /** Acknowledged with no value, or with an `ErrorAck`. */",
        "  ping: (ack: (res?: ErrorAck) => void) => void;",
        '  "seat:take": (',
        "    room: /* The room's id. */ string,",
        "    seat: /* @minimum 0 */ number,",
        "    req3: /* @title ack */ string,",
        "    req4: string,",
        "    ack: (...res: [/* @title class */ string, /* @title class */ string] | [ErrorAck]) "
        "=> void,",
        "  ) => void;",
        "  shape: (",
        "    req: /* @discriminator type */ Circle | Square,",
        '    ack: (res: "ok" | ErrorAck) => void,',
        "  ) => void;",
        "}",
    ]
    assert shapes["ShapesServerToClientEvents"].split("\n")[1:] == [
        "export interface ShapesServerToClientEvents {",
        "  /**",
        "   * The client answers with a number.",
        "   *",
        "   * Answer with the `ack` callback; the server checks the value.",
        "   */",
        "  ask: (payload: string, ack: (res: number) => void) => void;",
        "  /** Answer with the `ack` callback; the server checks the value. */",
        "  ask_empty: (payload: string, ack: () => void) => void;",
        "  /** An emit of every shape. */",
        "  drawn: (payload: Everything) => void;",
        "  /**",
        "   * Sent when a request that asked for no ack is rejected or its handler fails; "
        "the same object as",
        "   * the error ack.",
        "   */",
        "  error: (err: ErrorAck) => void;",
        "  nothing: () => void;",
        '  "two:args": (payload1: number, payload2: string) => void;',
        "  weird: (",
        "    payload1: string_2,",
        "    payload2: Socket_2,",
        "    payload3: ErrorAck_2,",
        "    payload4: ShapesServerToClientEvents_2,",
        "  ) => void;",
        "}",
    ]


def test_constraints_of_arguments_are_inline_comments() -> None:
    found = declarations(typescript.render([tricky.Game, tricky.Chat]))
    assert (
        '  "chat:message": (\n'
        '    req1: /* @examples ["lobby"] @minLength 1 */ string,\n'
        "    req2: /* @maxLength 500 */ string,\n"
        "    ack: (res?: ErrorAck) => void,\n"
        "  ) => void;"
    ) in found["GameClientToServerEvents"]


def test_a_renamed_error_event() -> None:
    text = typescript.render(TicTacToe, error_event="game:error")
    found = declarations(text)
    assert '  "game:error": (err: ErrorAck) => void;' in found["TicTacToeServerToClientEvents"]
    assert "  error: " not in found["TicTacToeServerToClientEvents"]
    assert (
        "//   python -m sioschema typescript examples.tictactoe.api:TicTacToe "
        '--error-event "game:error"\n'
    ) in text


def test_the_same_text_whatever_the_order() -> None:
    text = typescript.render([tricky.Game, tricky.Chat])
    assert typescript.render([tricky.Chat, tricky.Game]) == text
    assert typescript.render(iter([tricky.Game, tricky.Chat])) == text
    assert text.endswith(";\n")
    assert "\t" not in text
    assert all(line == line.rstrip() for line in text.split("\n"))


class Other(EventRegistry):
    hello = Event(request=str)


@pytest.mark.parametrize(
    ("registries", "options", "error", "message"),
    [
        ([], {}, ValueError, "no registry to document"),
        (
            msgspec.Struct,
            {},
            RegistryError,
            "<class 'msgspec.Struct'> is not an EventRegistry subclass",
        ),
        (
            [TicTacToe, Other],
            {},
            RegistryError,
            "Other and TicTacToe both declare namespace `/`; one registry per namespace",
        ),
        (
            TicTacToe,
            {"error_event": "move_made"},
            RegistryError,
            "error_event='move_made' is also the name of <Emit TicTacToe.move_made 'move_made'> "
            "on namespace `/`: clients could not tell an error from that emit; pass another "
            "error_event= or rename the emit",
        ),
    ],
)
def test_what_cannot_be_rendered(
    registries: Any, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        typescript.render(registries, **options)
    assert str(caught.value) == message


def test_public_surface_is_pinned() -> None:
    assert typescript.__all__ == ["render"]
