"""What msgspec cannot check, or what would make an invalid AsyncAPI document, is refused
when the registry class is created, with a hint; never accepted and silently weakened."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import annotated_types
import msgspec
import pydantic
import pydantic.dataclasses
import pytest

from sioschema import Emit, Event, EventRegistry, RegistryError

INSTEAD = (
    "declare it as a msgspec.Struct (or a stdlib dataclass) with msgspec constraints, "
    "e.g. `Annotated[int, msgspec.Meta(le=2)]`"
)


def refused(message: str, body: dict[str, Any] | None = None, **options: Any) -> None:
    with pytest.raises(RegistryError) as exc_info:
        type("Bad", (EventRegistry,), body or {}, **options)
    assert str(exc_info.value) == message


@pydantic.dataclasses.dataclass
class FieldDefault:
    x: int = pydantic.Field(le=2)


@pydantic.dataclasses.dataclass
class FieldAnnotated:
    x: Annotated[int, pydantic.Field(le=2)]


class Model(pydantic.BaseModel):
    x: int


class Holder(msgspec.Struct):
    inner: list[FieldAnnotated]


@dataclasses.dataclass
class ByKey:
    d: dict[str, FieldAnnotated | None]


def pydantic_dataclass(label: str, name: str, where: str = "") -> str:
    return (
        f"{label}: `{name}`{where} is a pydantic dataclass, which msgspec would read as a "
        f"plain dataclass without its pydantic constraints and validators; {INSTEAD}"
    )


def test_a_pydantic_dataclass_would_lose_its_constraints() -> None:
    """msgspec reads it as a plain dataclass: ``x=7`` would pass ``Field(le=2)``."""
    refused(
        pydantic_dataclass("Bad.e request", "FieldAnnotated"),
        {"e": Event(request=FieldAnnotated)},
    )
    refused(pydantic_dataclass("Bad.e ack", "FieldDefault"), {"e": Event(ack=FieldDefault)})
    refused(pydantic_dataclass("Bad.e payload", "FieldDefault"), {"e": Emit(FieldDefault)})
    refused(pydantic_dataclass("Bad.e ack", "FieldAnnotated"), {"e": Emit(int, ack=FieldAnnotated)})
    refused(pydantic_dataclass("Bad auth", "FieldAnnotated"), auth=FieldAnnotated)


def test_a_nested_pydantic_dataclass_is_found() -> None:
    refused(
        pydantic_dataclass("Bad.e request", "FieldAnnotated", " (in `Holder`)"),
        {"e": Event(request=(str, Holder))},
    )
    refused(
        pydantic_dataclass("Bad.e request", "FieldAnnotated", " (in `ByKey`)"),
        {"e": Event(request=ByKey)},
    )
    refused(
        pydantic_dataclass("Bad.e ack", "FieldDefault", " (in `dict[str, FieldDefault]`)"),
        {"e": Event(ack=dict[str, FieldDefault])},
    )


def test_a_pydantic_model_gets_a_hint() -> None:
    model = (
        "`Model`{} is a pydantic model, which msgspec cannot validate; "
        f"{INSTEAD} (docs/migration.md, from sio-asyncapi)"
    )
    refused(f"Bad.e request: {model.format('')}", {"e": Event(request=Model)})
    refused(
        f"Bad.e payload: {model.format(' (in `list[Model]`)')}",
        {"e": Emit(list[Model])},
    )
    # msgspec cannot even read this union; the types are walked as written
    refused(f"Bad.e ack: {model.format(' (in `int | Model`)')}", {"e": Event(ack=int | Model)})


def test_a_pydantic_v1_model_gets_a_hint() -> None:
    from pydantic import v1

    class Old(v1.BaseModel):
        x: int

    refused(
        "Bad.e request: `test_a_pydantic_v1_model_gets_a_hint.<locals>.Old` is a pydantic "
        f"model, which msgspec cannot validate; {INSTEAD} (docs/migration.md, from "
        "sio-asyncapi)",
        {"e": Event(request=Old)},
    )


def test_constraints_msgspec_does_not_check_are_refused() -> None:
    class Loose(msgspec.Struct):
        x: Annotated[int, annotated_types.Le(2)]

    refused(
        "Bad.e request: `Le` from annotated_types in `Loose` is a constraint msgspec does "
        "not check; use msgspec constraints, e.g. `Annotated[int, msgspec.Meta(le=2)]`",
        {"e": Event(request=Loose)},
    )

    @dataclasses.dataclass
    class Plain:
        x: list[Annotated[int, pydantic.Field(le=2)]]

    refused(
        "Bad.e payload: `FieldInfo` from pydantic in `Plain` is a constraint msgspec does "
        "not check; use msgspec constraints, e.g. `Annotated[int, msgspec.Meta(le=2)]`",
        {"e": Emit(Plain)},
    )


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        (
            Event(request=[str, int]),
            "Bad.e: request=[str, int] is a list, not a type; use a tuple for several "
            "arguments, `request=(str, int)`, or `request=list[...]` for one array argument",
        ),
        (
            Event(ack=[str, int]),
            "Bad.e: ack=[str, int] is a list, not a type; use a tuple for several "
            "arguments, `ack=(str, int)`, or `ack=list[...]` for one array argument",
        ),
        (
            Emit([str, int]),
            "Bad.e: payload=[str, int] is a list, not a type; use a tuple for several "
            "arguments, `payload=(str, int)`, or `payload=list[...]` for one array argument",
        ),
        (
            Emit(int, ack=[dict[str, int]]),
            "Bad.e: ack=[dict[str, int]] is a list, not a type; use `ack=dict[str, int]` for "
            "one argument, or `ack=list[...]` for one array argument",
        ),
        (
            Event(request=[]),
            "Bad.e: request=[] is a list, not a type; use `request=None` for no argument, "
            "or `request=list[...]` for one array argument",
        ),
        (
            Event(request=(int, [str])),
            "Bad.e: request argument 2 is a list, [str], not a type; use `list[...]` for an "
            "array argument",
        ),
    ],
)
def test_a_list_of_types_is_refused(declaration: Any, message: str) -> None:
    refused(message, {"e": declaration})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"license": {"name": "MIT", "url": "https://x.test/<b>"}},
            "Bad: license['url'] must be an absolute URI, 'https://x.test/<b>' is not: "
            "'<' must be percent-encoded",
        ),
        (
            {"license": {"name": "MIT", "url": "/LICENSE"}},
            "Bad: license['url'] must be an absolute URI, '/LICENSE' is not: it has no "
            "scheme (like `https:`)",
        ),
        (
            {"license": {"url": "https://x.test/"}},
            "Bad: license needs a non-empty 'name'",
        ),
        (
            {"contact": {"url": "https://x.test/a b"}},
            "Bad: contact['url'] must be an absolute URI, 'https://x.test/a b' is not: "
            "' ' must be percent-encoded",
        ),
        (
            {"contact": {"url": "https://x.test/%zz"}},
            "Bad: contact['url'] must be an absolute URI, 'https://x.test/%zz' is not: "
            "`%zz` is not a percent-encoding",
        ),
        (
            {"contact": {"email": "team at x.test"}},
            "Bad: contact['email'] is not an email address (got 'team at x.test')",
        ),
        (
            {"contact": {"phone": "123"}},
            "Bad: contact has an unknown key 'phone'; AsyncAPI allows 'email', 'name', "
            "'url' and 'x-' keys",
        ),
        (
            {"contact": "team@x.test"},
            "Bad: contact must be a dict (got 'team@x.test')",
        ),
        (
            {"external_docs": {"url": "docs/index.html"}},
            "Bad: external_docs['url'] must be an absolute URI, 'docs/index.html' is not: "
            "it has no scheme (like `https:`)",
        ),
        (
            {"tags": [{"description": "no name"}]},
            "Bad: tags[0] needs a non-empty 'name'",
        ),
        (
            {"tags": [{"name": "a"}, {"name": "a"}]},
            "Bad: tags[1]: the tag name 'a' is already used; tag names are unique",
        ),
        (
            {"tags": ["a"]},
            "Bad: tags[0] must be a dict (got 'a')",
        ),
        (
            {"tags": [{"name": "a", "externalDocs": {"url": "https://x.test/{id}"}}]},
            "Bad: tags[0]['externalDocs']['url'] must be an absolute URI, "
            "'https://x.test/{id}' is not: '{' must be percent-encoded",
        ),
        (
            {"id": "my api"},
            "Bad: id must be an absolute URI (like 'urn:example:api'), 'my api' is not: it "
            "has no scheme (like `https:`)",
        ),
        (
            {"servers": {"prod": {"host": "x.test"}}},
            "Bad: servers['prod'] needs a 'protocol' (like 'ws' or 'wss')",
        ),
        (
            {"servers": {"prod": {"protocol": "wss"}}},
            "Bad: servers['prod'] needs a 'host' (or a 'url')",
        ),
        (
            {"servers": {"prod": {"host": "x.test", "pathname": "/a|b", "protocol": "ws"}}},
            "Bad: servers['prod']['pathname'] is not part of a valid URI, '/a|b': '|' must "
            "be percent-encoded",
        ),
        (
            {"servers": {"prod": {"url": "wss://x.test/^"}}},
            "Bad: servers['prod']['url'] is not part of a valid URI, 'wss://x.test/^': '^' "
            "must be percent-encoded",
        ),
    ],
)
def test_metadata_that_breaks_the_document_is_refused(
    options: dict[str, Any], message: str
) -> None:
    refused(message, **options)


STAGE = {"stage": {"default": "api", "enum": ["api", "beta"]}}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"id": "urn:"},
            "Bad: id must be an absolute URI (like 'urn:example:api'), 'urn:' is not: it "
            "has nothing after its scheme",
        ),
        (
            {"servers": {"prod": {"host": "x.test", "protocol": "wss", "port": 443}}},
            "Bad: servers['prod'] has an unknown key 'port'; AsyncAPI allows 'description', "
            "'host', 'pathname', 'protocol', 'protocolVersion', 'tags', 'url', 'variables' "
            "and 'x-' keys (the fields AsyncAPI 2.6.0 and 3.x both allow)",
        ),
        (
            {"servers": {"prod": {"host": "x.test", "protocol": "wss", "title": "Prod"}}},
            "Bad: servers['prod'] has an unknown key 'title'; AsyncAPI allows 'description', "
            "'host', 'pathname', 'protocol', 'protocolVersion', 'tags', 'url', 'variables' "
            "and 'x-' keys (the fields AsyncAPI 2.6.0 and 3.x both allow)",
        ),
        (
            {"servers": {"prod": {"host": "x.test", "protocol": "wss", "x-my key": 1}}},
            "Bad: servers['prod'] has the extension key 'x-my key', which AsyncAPI does not "
            "allow: 'x-' and then letters, digits, '_', '.' or '-' (the fields AsyncAPI "
            "2.6.0 and 3.x both allow)",
        ),
        (
            {"contact": {"name": "Team", "x-on call": "yes"}},
            "Bad: contact has the extension key 'x-on call', which AsyncAPI does not allow: "
            "'x-' and then letters, digits, '_', '.' or '-'",
        ),
        (
            {"license": {"name": "MIT", "x-": "?"}},
            "Bad: license has the extension key 'x-', which AsyncAPI does not allow: 'x-' "
            "and then letters, digits, '_', '.' or '-'",
        ),
        (
            {"tags": [{"name": "a", "x-a.b": 1}, {"name": "b", "x-a/b": 1}]},
            "Bad: tags[1] has the extension key 'x-a/b', which AsyncAPI does not allow: 'x-' "
            "and then letters, digits, '_', '.' or '-'",
        ),
        (
            {"servers": {"prod": {"host": "{stage}.x.test", "protocol": "wss"}}},
            "Bad: servers['prod']['host'] uses the variable `{stage}`, which the server does "
            "not declare: add it to the server's 'variables', e.g. {'stage': {'default': ...}}",
        ),
        (
            {"servers": {"prod": {"url": "wss://x.test/{}", "variables": STAGE}}},
            "Bad: servers['prod']['url'] has an empty variable `{}`, 'wss://x.test/{}'",
        ),
        (
            {
                "servers": {
                    "prod": {
                        "host": "{stage}.x.test",
                        "protocol": "wss",
                        "variables": {"stage": {"default": "prod", "enum": ["api", "beta"]}},
                    }
                }
            },
            "Bad: servers['prod']['variables']['stage']['default'] 'prod' is not one of its "
            "'enum' ['api', 'beta']",
        ),
        (
            {
                "servers": {
                    "prod": {
                        "host": "{stage}.x.test",
                        "protocol": "wss",
                        "variables": {"stage": {"default": "a b"}},
                    }
                }
            },
            "Bad: servers['prod']['variables']['stage'] has the value 'a b', which cannot be "
            "part of a URI: ' ' must be percent-encoded",
        ),
        (
            {
                "servers": {
                    "prod": {
                        "host": "{stage}.x.test",
                        "protocol": "wss",
                        "variables": {"stage": {"values": ["a"]}},
                    }
                }
            },
            "Bad: servers['prod']['variables']['stage'] has an unknown key 'values'; AsyncAPI "
            "allows 'default', 'description', 'enum', 'examples' and 'x-' keys",
        ),
        (
            {
                "servers": {
                    "prod": {
                        "host": "{stage}.x.test",
                        "protocol": "wss",
                        "variables": {"stage": {"enum": "api"}},
                    }
                }
            },
            "Bad: servers['prod']['variables']['stage']['enum'] must be a non-empty list of "
            "distinct strings, not 'api'",
        ),
        (
            {"servers": {"prod": {"host": "x.test", "protocol": "wss", "tags": ["a"]}}},
            "Bad: servers['prod']['tags'][0] must be a dict (got 'a')",
        ),
    ],
)
def test_metadata_the_official_parser_rejects_is_refused(
    options: dict[str, Any], message: str
) -> None:
    """Each of these made a document the official AsyncAPI parser rejects (or warns
    about) while the registry was accepted."""
    refused(message, **options)


def test_a_server_may_use_the_variables_it_declares() -> None:
    class Staged(
        EventRegistry,
        servers={
            "prod": {
                "url": "wss://{stage}.x.test:{port}/socket.io",
                "variables": {**STAGE, "port": {"default": "443", "examples": ["443", "8443"]}},
            },
            "local": {"host": "localhost:{port}", "protocol": "ws", "variables": {"port": {}}},
        },
    ):
        hello = Event(request=str)

    assert Staged.__sioschema_info__.servers["prod"]["variables"]["stage"] == STAGE["stage"]
