"""AsyncAPI 3.0.0 and 3.1.0 (the same mapping; 3.1.0 only relaxes the spec).

- one channel per namespace, ``address`` = the namespace, with a ``ws`` binding;
- a ``receive`` operation per client event; its ``reply`` lists the declared ack, one
  message per application error the event declares (``<event>.error.<code>``: the error
  object, its ``code`` a ``const``, its ``data`` the error type) and the error ack (one
  of them answers). A reply has no ``address``: Socket.IO matches an
  ack to its event by packet id, on the same connection;
- a ``send`` operation per emit, with a ``reply`` when the emit expects a client ack
  (and the errors the emit declares);
- ``x-socketio-args`` on each message: how many arguments carry the payload (several
  arguments are documented as a fixed-length array).
"""

from __future__ import annotations

from typing import Any

from .._spec import Channel, Message, Spec
from ._common import WS_BINDING, head, message_fields, server_v3

__all__ = ["render"]


def render(spec: Spec, asyncapi: str = "3.0.0") -> dict[str, Any]:
    """Lay ``spec`` out as an AsyncAPI 3.x document."""
    doc, info = head(spec, asyncapi)
    if spec.tags:
        info["tags"] = [dict(tag) for tag in spec.tags]
    if spec.external_docs:
        info["externalDocs"] = dict(spec.external_docs)
    if spec.servers:
        doc["servers"] = {name: server_v3(server) for name, server in spec.servers.items()}
    doc["defaultContentType"] = "application/json"
    doc["channels"] = {channel.key: _channel(channel) for channel in spec.channels}
    operations: dict[str, Any] = {}
    for channel in spec.channels:
        ref = {"$ref": f"#/channels/{channel.key}"}
        for op in channel.operations:
            operation: dict[str, Any] = {"action": op.action, "channel": ref, "title": op.event}
            if op.description:
                operation["description"] = op.description
            operation["messages"] = [_ref(channel, op.message)]
            if op.replies:
                operation["reply"] = {
                    "channel": ref,
                    "messages": [_ref(channel, message) for message in op.replies],
                }
            if op.emits:
                operation["x-socketio-emits"] = list(op.emits)
            operations[op.key] = operation
    doc["operations"] = operations
    doc["components"] = {"schemas": dict(spec.schemas)}
    return doc


def _ref(channel: Channel, message: Message) -> dict[str, str]:
    return {"$ref": f"#/channels/{channel.key}/messages/{message.key}"}


def _channel(channel: Channel) -> dict[str, Any]:
    out: dict[str, Any] = {"address": channel.namespace, "title": channel.title}
    if channel.description:
        out["description"] = channel.description
    out["messages"] = {message.key: message_fields(message) for message in channel.messages}
    out["bindings"] = {"ws": WS_BINDING}
    if channel.auth is not None:
        out["x-socketio-auth"] = channel.auth
    return out
