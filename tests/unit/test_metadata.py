"""The metadata rules on their own: no registry class is needed to check the values a
registry would declare, and where a value breaks several rules the first rule in the
documented order (fields, variables, the address parts that use them, tags) is the one
reported. tests/unit/test_refused.py checks the messages through ``EventRegistry``."""

from __future__ import annotations

from typing import Any

import pytest

from sioschema import RegistryError
from sioschema._metadata import check_metadata


def problem(**given: Any) -> str | None:
    """The message ``check_metadata`` refuses ``given`` with; ``None`` if it passes."""
    options: dict[str, Any] = {
        "servers": None,
        "contact": None,
        "license": None,
        "tags": (),
        "external_docs": None,
        "id": None,
        **given,
    }
    try:
        check_metadata("Api", **options)
    except RegistryError as exc:
        return str(exc)
    return None


def test_valid_metadata_passes() -> None:
    assert (
        problem(
            servers={
                "prod": {
                    "host": "{stage}.x.test",
                    "pathname": "/socket.io",
                    "protocol": "wss",
                    "variables": {"stage": {"default": "api", "enum": ["api", "beta"]}},
                    "tags": [{"name": "public"}],
                },
                "local": {"url": "ws://localhost:5000"},
            },
            contact={"name": "Ops", "email": "ops@x.test", "url": "https://x.test"},
            license={"name": "MIT"},
            tags=[{"name": "game", "externalDocs": {"url": "https://x.test/game"}}],
            external_docs={"url": "https://x.test/docs"},
            id="urn:x:api",
        )
        is None
    )


@pytest.mark.parametrize(
    ("server", "message"),
    [
        (  # an unknown key before a missing host or a protocol that is no string
            {"hots": "x.test", "protocol": 1},
            "Api: servers['p'] has an unknown key 'hots'; AsyncAPI allows 'description', "
            "'host', 'pathname', 'protocol', 'protocolVersion', 'tags', 'url', 'variables' "
            "and 'x-' keys (the fields AsyncAPI 2.6.0 and 3.x both allow)",
        ),
        (  # a field that is no string before a missing protocol
            {"host": 3},
            "Api: servers['p']['host'] must be a string (got 3)",
        ),
        (  # the variables before the address parts that use them
            {"host": "x.test", "protocol": "ws", "variables": {"s": 1}, "pathname": "/{nope}"},
            "Api: servers['p']['variables']['s'] must be a dict (got 1)",
        ),
        (  # the address parts in the order url, host, pathname, each before the tags
            {"url": "ws://h/{}", "host": "{nope}", "protocol": "ws", "tags": "t"},
            "Api: servers['p']['url'] has an empty variable `{}`, 'ws://h/{}'",
        ),
        (  # within one part: its variables before its characters
            {"host": "a b{nope}", "protocol": "ws"},
            "Api: servers['p']['host'] uses the variable `{nope}`, which the server does not "
            "declare: add it to the server's 'variables', e.g. {'nope': {'default': ...}}",
        ),
        (  # within one variable: its lists before its values, its values before the enum
            {
                "host": "{stage}",
                "protocol": "ws",
                "variables": {"stage": {"default": "a b", "enum": "x"}},
            },
            "Api: servers['p']['variables']['stage']['enum'] must be a non-empty list of "
            "distinct strings, not 'x'",
        ),
        (
            {
                "host": "{stage}",
                "protocol": "ws",
                "variables": {"stage": {"default": "c", "enum": ["a b"]}},
            },
            "Api: servers['p']['variables']['stage'] has the value 'a b', which cannot be "
            "part of a URI: ' ' must be percent-encoded",
        ),
        (
            {"host": "x.test", "protocol": "ws", "tags": [{"name": "a"}, {"name": "a"}]},
            "Api: servers['p']['tags'][1]: the tag name 'a' is already used; tag names are unique",
        ),
    ],
)
def test_the_first_broken_rule_of_a_server_is_reported(
    server: dict[str, Any], message: str
) -> None:
    assert problem(servers={"p": server}) == message


def test_the_id_is_checked_before_the_contact() -> None:
    assert problem(id="nope", contact={"email": "x"}) == (
        "Api: id must be an absolute URI (like 'urn:example:api'), 'nope' is not: it has no "
        "scheme (like `https:`)"
    )
