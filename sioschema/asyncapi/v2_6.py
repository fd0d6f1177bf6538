"""AsyncAPI 2.6.0, the layout of asynction and sio-asyncapi.

- one channel per namespace, keyed by the namespace, with a ``ws`` binding;
- ``publish`` lists what clients send (``message.oneOf``), ``subscribe`` what the
  server emits; each has an ``operationId``, each message a ``messageId``;
- an ack is ``x-ack: {args: <schema>}`` on the message it answers; for a client event
  the schema is ``oneOf`` the declared ack, one error object per application error the
  event declares (its ``code`` a ``const``, its ``data`` the error type) and the error
  object; an emit's client ack is ``oneOf`` the ack and its declared errors.
"""

from __future__ import annotations

from typing import Any

from .._spec import Channel, Message, Operation, Spec
from ._common import WS_BINDING, head, message_fields, server_url

__all__ = ["render"]

_NO_VALUE: dict[str, Any] = {"type": "null", "description": "Acknowledged with no value."}


def render(spec: Spec) -> dict[str, Any]:
    """Lay ``spec`` out as an AsyncAPI 2.6.0 document."""
    doc, _ = head(spec, "2.6.0")
    if spec.servers:
        doc["servers"] = {name: server_url(server) for name, server in spec.servers.items()}
    doc["defaultContentType"] = "application/json"
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    for channel in spec.channels:
        item: dict[str, Any] = {}
        if channel.description:
            item["description"] = channel.description
        received = [op for op in channel.operations if op.action == "receive"]
        sent = [op for op in channel.operations if op.action == "send"]
        if received:
            item["publish"] = _operation(channel, "receive", received, messages)
        if sent:
            item["subscribe"] = _operation(channel, "send", sent, messages)
        item["bindings"] = {"ws": WS_BINDING}
        if channel.auth is not None:
            item["x-socketio-auth"] = channel.auth
        channels[channel.namespace] = item
    doc["channels"] = channels
    doc["components"] = {"schemas": dict(spec.schemas), "messages": messages}
    if spec.tags:
        doc["tags"] = [dict(tag) for tag in spec.tags]
    if spec.external_docs:
        doc["externalDocs"] = dict(spec.external_docs)
    return doc


def _operation(
    channel: Channel, action: str, ops: list[Operation], messages: dict[str, Any]
) -> dict[str, Any]:
    refs = []
    for op in ops:
        message_id = f"{channel.key}.{op.message.key}"
        message = {"messageId": message_id, **message_fields(op.message)}
        if op.replies:
            message["x-ack"] = {"args": _ack_schema(op.replies)}
        if op.emits:
            message["x-socketio-emits"] = list(op.emits)
        messages[message_id] = message
        refs.append({"$ref": f"#/components/messages/{message_id}"})
    verb = "Events clients send" if action == "receive" else "Events the server emits"
    return {
        "operationId": f"{channel.key}.{action}",
        "summary": f"{verb} on `{channel.namespace}`.",
        "message": {"oneOf": refs} if len(refs) > 1 else refs[0],
    }


def _ack_schema(replies: tuple[Message, ...]) -> dict[str, Any]:
    schemas = [_reply_schema(reply) for reply in replies]
    return schemas[0] if len(schemas) == 1 else {"oneOf": schemas}


def _reply_schema(reply: Message) -> dict[str, Any]:
    """One entry of ``x-ack``; a declared error carries its message's description (2.6.0
    has no reply messages to hold it)."""
    if reply.payload is None:
        return _NO_VALUE
    if reply.kind == "declared_error" and reply.description:
        return {**reply.payload, "description": reply.description}
    return reply.payload
