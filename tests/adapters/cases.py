"""The request cases both client test files share (sync and async mirror each other)."""

from __future__ import annotations

from typing import Any


def error(code: str, message: str, path: str | None, event: str) -> dict[str, Any]:
    """The pinned error reply."""
    return {"error": {"code": code, "message": message, "path": path, "event": event}}


INVALID_PAYLOADS: list[tuple[str, Any, dict[str, Any]]] = [
    (
        "echo_point",
        {"x": "1", "y": 2},
        error("invalid_payload", "Expected `int`, got `str` - at `$.x`", "$.x", "echo_point"),
    ),
    (
        "echo_point",
        {"x": True, "y": 2},
        error("invalid_payload", "Expected `int`, got `bool` - at `$.x`", "$.x", "echo_point"),
    ),
    (
        "echo_point",
        {"x": 101, "y": 2},
        error("invalid_payload", "Expected `int` <= 100 - at `$.x`", "$.x", "echo_point"),
    ),
    (
        "echo_point",
        {"x": 1},
        error("invalid_payload", "Object missing required field `y`", "$", "echo_point"),
    ),
    (
        "echo_point",
        {"x": 1, "y": 2, "z": 3},
        error("invalid_payload", "Object contains unknown field `z`", "$", "echo_point"),
    ),
    (
        "echo_point",
        [1, 2],
        error("invalid_payload", "Expected `object`, got `array`", "$", "echo_point"),
    ),
    (
        "pair",
        ({"x": 1, "y": 1}, "ten"),
        error("invalid_payload", "Expected `int`, got `str` - at `$[1]`", "$[1]", "pair"),
    ),
    (
        "chat:say",
        {"room": "r", "text": ""},
        error(
            "invalid_payload",
            "Expected `str` of length >= 1 - at `$.text`",
            "$.text",
            "chat:say",
        ),
    ),
    (
        "area",
        {"type": "triangle"},
        error("invalid_payload", "Invalid value 'triangle' - at `$.type`", "$.type", "area"),
    ),
    ("color", "green", error("invalid_payload", "Invalid enum value 'green'", "$", "color")),
    ("mode", "medium", error("invalid_payload", "Invalid enum value 'medium'", "$", "mode")),
    (
        "later",
        "yesterday",
        error("invalid_payload", "Invalid RFC3339 encoded datetime", "$", "later"),
    ),
]

BAD_ARITY: list[tuple[str, Any, str]] = [
    ("echo_point", None, "Expected 1 argument, got 0"),
    ("echo_point", ({"x": 1, "y": 1}, 2), "Expected 1 argument, got 2"),
    ("pair", {"x": 1, "y": 1}, "Expected 2 arguments, got 1"),
    ("no_args", 1, "Expected no arguments, got 1"),
]
