"""Pieces both document versions lay out the same way."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .._spec import Message, Spec

__all__ = ["WS_BINDING", "head", "message_fields", "server_url", "server_v3"]

WS_BINDING: dict[str, Any] = {
    "method": "GET",
    "query": {
        "type": "object",
        "description": "Engine.IO handshake parameters, sent by every Socket.IO client.",
        "properties": {
            "EIO": {"type": "string", "const": "4", "description": "Engine.IO protocol version."},
            "transport": {"type": "string", "enum": ["websocket", "polling"]},
        },
    },
    "bindingVersion": "0.1.0",
}
"""The channel binding: Socket.IO runs over a WebSocket opened with a GET handshake."""


def head(spec: Spec, asyncapi: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The document's first fields and its ``info`` (title, version, description,
    contact, license), which both versions share."""
    doc: dict[str, Any] = {"asyncapi": asyncapi}
    if spec.id:
        doc["id"] = spec.id
    info: dict[str, Any] = {"title": spec.title, "version": spec.version}
    if spec.description:
        info["description"] = spec.description
    if spec.contact:
        info["contact"] = dict(spec.contact)
    if spec.license:
        info["license"] = dict(spec.license)
    doc["info"] = info
    return doc, info


def message_fields(message: Message) -> dict[str, Any]:
    """The fields of a Message Object that 2.6.0 and 3.x share."""
    name = message.event if message.kind in ("request", "emit", "error_event") else message.key
    out: dict[str, Any] = {"name": name, "title": message.title}
    if message.summary:
        out["summary"] = message.summary
    if message.description:
        out["description"] = message.description
    if message.payload is not None:
        out["payload"] = message.payload
    if message.examples:
        out["examples"] = [{"payload": example} for example in message.examples]
    out["x-socketio-args"] = message.arity
    return out


def server_v3(server: Mapping[str, Any]) -> dict[str, Any]:
    """A server in 3.x form (``host`` + ``pathname``), also from a 2.x ``url``."""
    out = dict(server)
    url = out.pop("url", None)
    if url is not None:
        parts = urlsplit(url if "://" in url else f"//{url}")
        out.setdefault("host", parts.netloc)
        if parts.path:
            out.setdefault("pathname", parts.path)
        if parts.scheme:
            out.setdefault("protocol", parts.scheme)
    return out


def server_url(server: Mapping[str, Any]) -> dict[str, Any]:
    """A server in 2.x form (``url``), also from 3.x ``host`` + ``pathname``.

    The url has no trailing slash (``/socket.io/`` is written ``/socket.io``, which
    Engine.IO serves alike): the official parser warns about one in 2.x documents.
    """
    out = dict(server)
    if "protocol" not in out and "://" in out.get("url", ""):
        out["protocol"] = urlsplit(out["url"]).scheme  # as server_v3 does
    if "url" not in out:
        out["url"] = f"{out.pop('host', '')}{out.pop('pathname', '')}"
    out.pop("host", None)
    out.pop("pathname", None)
    out["url"] = out["url"].rstrip("/")
    return out
