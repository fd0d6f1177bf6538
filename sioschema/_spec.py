"""A version-neutral description of an API, built from registries.

Everything a document, the docs page or the TypeScript contract shows is decided here,
once: which messages exist, their keys, their payload schemas and examples, which
operation replies with which messages. :mod:`sioschema.asyncapi` (``v3_0``, ``v2_6``,
``html``) and :mod:`sioschema.typescript` only lay it out. The payload schemas come from
:mod:`sioschema._jsonschema`; registries are read through :mod:`sioschema.inspect`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ._jsonschema import Schemas, unique_key
from .errors import ErrorReply
from .inspect import RegistryInfo, by_namespace, check_error_event

if TYPE_CHECKING:
    from ._registry import DeclaredError, EventRegistry

__all__ = ["Channel", "Message", "Operation", "Spec", "build"]

MessageKind = Literal[
    "request", "ack", "emit", "client_ack", "declared_error", "error_ack", "error_event"
]


@dataclass(frozen=True)
class Message:
    """One message: its key in its channel, the event it belongs to, its payload."""

    key: str
    event: str
    kind: MessageKind
    title: str
    description: str | None
    arity: int
    payload: dict[str, Any] | None
    examples: tuple[Any, ...] = ()
    summary: str | None = None
    code: str | None = None
    """A ``declared_error``: the ``code`` of the error it carries."""
    data: dict[str, Any] | None = None
    """A ``declared_error``: the schema of its ``data`` (the error type's)."""


@dataclass(frozen=True)
class Operation:
    """``receive``: a client event the server handles; ``send``: a server emit."""

    key: str
    action: Literal["receive", "send"]
    event: str
    description: str | None
    message: Message
    replies: tuple[Message, ...] = ()
    """The messages that can answer it (one of them, matched by ack id): the ack, then
    one ``declared_error`` per error the event declares, then the error ack."""
    emits: tuple[str, ...] = ()
    """For a client event: the server emits handling it may send."""


@dataclass(frozen=True)
class Channel:
    """One namespace."""

    key: str
    namespace: str
    title: str
    description: str | None
    operations: tuple[Operation, ...]
    auth: dict[str, Any] | None = None
    """The schema of the ``auth`` payload a client connects with, when declared."""

    @property
    def messages(self) -> tuple[Message, ...]:
        """Every message of the channel, each once, in document order."""
        found: dict[str, Message] = {}
        for op in self.operations:
            for message in (op.message, *op.replies):
                found.setdefault(message.key, message)
        return tuple(found.values())


@dataclass(frozen=True)
class Spec:
    """Everything the documents and the docs page show."""

    title: str
    version: str
    description: str | None
    id: str | None
    contact: Mapping[str, str] | None
    license: Mapping[str, str] | None
    tags: tuple[Mapping[str, Any], ...]
    external_docs: Mapping[str, str] | None
    servers: Mapping[str, Mapping[str, Any]]
    channels: tuple[Channel, ...]
    schemas: Mapping[str, Any]
    error_event: str


_ERROR_ACK = (
    "Sent instead of the declared ack when the request is rejected (invalid payload, "
    "wrong number of arguments) or the handler fails. `error.code` says why."
)
_ERROR_EVENT = (
    "Sent when a request that asked for no ack is rejected or its handler fails; the "
    "same object as the error ack."
)


def _channel_key(namespace: str, taken: set[str]) -> str:
    return unique_key(namespace.strip("/").replace("/", "_") or "root", taken)


def build(
    registries: type[EventRegistry] | Iterable[type[EventRegistry]],
    *,
    error_event: str = "error",
) -> Spec:
    """Describe one registry or several (one per namespace) as a :class:`Spec`."""
    infos = sorted(by_namespace(registries).values(), key=lambda i: i.namespace)
    if not infos:
        msg = "no registry to document"
        raise ValueError(msg)
    check_error_event(infos, error_event)
    types: list[Any] = [ErrorReply]
    for found in infos:
        if found.auth is not None:
            types.append(found.auth)
        for event in found.events.values():
            types += [*event.request, *event.ack, *(error.type for error in event.errors)]
        for emit in found.emits.values():
            types += [*emit.payload, *(emit.ack or ()), *(error.type for error in emit.errors)]
    schemas = Schemas(types)
    error_schema = schemas.of(ErrorReply)

    channel_keys: set[str] = set()
    op_keys: set[str] = set()
    channels = tuple(
        _channel(
            found,
            _channel_key(found.namespace, channel_keys),
            op_keys,
            schemas,
            error_schema,
            error_event,
        )
        for found in infos
    )
    first = infos[0]
    tags: dict[str, Mapping[str, Any]] = {}
    servers: dict[str, Mapping[str, Any]] = {}
    for found in infos:
        tags.update((tag["name"], tag) for tag in found.tags)
        servers.update(found.servers)
    return Spec(
        title=first.title,
        version=first.version,
        description=first.description,
        id=first.id,
        contact=first.contact,
        license=first.license,
        tags=tuple(tags.values()),
        external_docs=first.external_docs,
        servers=servers,
        channels=channels,
        schemas=schemas.components,
        error_event=error_event,
    )


def _channel(
    found: RegistryInfo,
    key: str,
    op_keys: set[str],
    schemas: Schemas,
    error_schema: dict[str, Any],
    error_event: str,
) -> Channel:
    taken: set[str] = set()
    # Requests and emits take their event names first, so a name keeps its plain key
    # whenever it can; acks and the error messages take what is left.
    requests = {
        name: Message(
            key=unique_key(name, taken),
            event=name,
            kind="request",
            title=name,
            description=event.description,
            arity=len(event.request),
            payload=schemas.args(event.request),
            examples=event.examples,
        )
        for name, event in found.events.items()
    }
    emits = {
        name: Message(
            key=unique_key(name if name not in requests else f"{name}.emit", taken),
            event=name,
            kind="emit",
            title=name,
            description=emit.description,
            arity=len(emit.payload),
            payload=schemas.args(emit.payload),
            examples=emit.examples,
        )
        for name, emit in found.emits.items()
    }
    error_ack = Message(
        key=unique_key("error_ack", taken),
        event="",
        kind="error_ack",
        title="Error ack",
        description=_ERROR_ACK,
        arity=1,
        payload=error_schema,
    )
    operations: list[Operation] = []

    def ack(of: Message, kind: MessageKind, who: str, types: tuple[Any, ...]) -> Message:
        return Message(
            key=unique_key(f"{of.key}.ack", taken),
            event=of.event,
            kind=kind,
            title=f"Ack of {of.event}",
            description=f"{who} answer to `{of.event}`.",
            arity=len(types),
            payload=schemas.args(types),
        )

    def declared(of: Message, errors: tuple[DeclaredError, ...]) -> tuple[Message, ...]:
        return tuple(
            _declared_error(of, error, unique_key(f"{of.key}.error.{error.code}", taken), schemas)
            for error in errors
        )

    for name, event in found.events.items():
        handler_ack = ack(requests[name], "ack", "The handler's", event.ack)
        operations.append(
            Operation(
                key=unique_key(f"{key}.on_{name}", op_keys),
                action="receive",
                event=name,
                description=event.description,
                message=requests[name],
                replies=(handler_ack, *declared(requests[name], event.errors), error_ack),
                emits=tuple(emit.name for emit in event.emits),
            )
        )
    for name, emit in found.emits.items():
        replies: tuple[Message, ...] = ()
        if emit.ack is not None:
            client_ack = ack(emits[name], "client_ack", "The client's", emit.ack)
            replies = (client_ack, *declared(emits[name], emit.errors))
        operations.append(
            Operation(
                key=unique_key(f"{key}.send_{name}", op_keys),
                action="send",
                event=name,
                description=emit.description,
                message=emits[name],
                replies=replies,
            )
        )
    # check_error_event (in build) refused an error event that shares a declared emit's name
    error_message = Message(
        key=unique_key(error_event, taken),
        event=error_event,
        kind="error_event",
        title=error_event,
        description=_ERROR_EVENT,
        arity=1,
        payload=error_schema,
    )
    operations.append(
        Operation(
            key=unique_key(f"{key}.send_{error_event}", op_keys),
            action="send",
            event=error_event,
            description=_ERROR_EVENT,
            message=error_message,
        )
    )
    return Channel(
        key=key,
        namespace=found.namespace,
        title=found.title,
        description=found.description,
        operations=tuple(operations),
        auth=schemas.of(found.auth) if found.auth is not None else None,
    )


def _declared_error(of: Message, error: DeclaredError, key: str, schemas: Schemas) -> Message:
    """The error ack that carries one declared error of ``of``'s event: the error
    envelope, its ``code`` the error's, its ``data`` the error type's schema."""
    data = schemas.of(error.type)
    body = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "const": error.code},
            "message": {"type": "string"},
            "path": {"type": "null"},
            "event": {"type": "string"},
            "data": data,
        },
        "required": ["code", "message", "path", "event", "data"],
    }
    payload = {
        "type": "object",
        "title": f"{error.code} error",
        "properties": {"error": body},
        "required": ["error"],
    }
    return Message(
        key=key,
        event=of.event,
        kind="declared_error",
        title=f"Error {error.code} of {of.event}",
        summary=error.message,
        description=error.description,
        arity=1,
        payload=payload,
        code=error.code,
        data=data,
    )
