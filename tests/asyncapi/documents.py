"""Every document the project produces, by name: the demo, the tricky registries and a
bare registry that declares no metadata, in every AsyncAPI version."""

from __future__ import annotations

from typing import Any

from examples.tictactoe.api import TicTacToe
from sioschema import Event, EventRegistry, asyncapi
from tests.asyncapi import tricky


class Bare(EventRegistry):
    """No servers, contact, license, tags or id."""

    hello = Event(request=str, ack=str)


REGISTRIES: dict[str, Any] = {
    "demo": TicTacToe,
    "tricky": [tricky.Game, tricky.Chat],
    "bare": Bare,
}
# The parser's style warnings about metadata a registry did not declare.
UNDECLARED_METADATA = {
    "asyncapi-id",
    "asyncapi-servers",
    "asyncapi2-tags",
    "asyncapi-info-contact",
    "asyncapi-info-license",
}


def documents() -> dict[str, dict[str, Any]]:
    """``{"demo-3.0.0": document, ...}``."""
    return {
        f"{name}-{version}": asyncapi.render(registries, asyncapi_version=version)
        for name, registries in REGISTRIES.items()
        for version in asyncapi.VERSIONS
    }
