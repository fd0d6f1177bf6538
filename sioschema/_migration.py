"""sio-asyncapi's constructor arguments, refused with what replaces each.

sio-asyncapi's ``AsyncAPISocketIO`` took ``validate=``, ``generate_docs=`` and the
document's metadata as constructor arguments. Passed to a sioschema adapter, Flask-SocketIO
and Engine.IO would take them as server options and silently ignore them, so every
adapter (:mod:`sioschema.socketio`, :mod:`sioschema.flask`) refuses them instead
(docs/migration.md).
"""

from __future__ import annotations

from typing import Any

__all__ = ["SIO_ASYNCAPI", "refuse_sio_asyncapi"]

_REGISTRY_KEYWORD = "a keyword of the registry class: class Api(EventRegistry, {}=...)"

SIO_ASYNCAPI = {
    "validate": "sioschema validates every event a bound registry declares; pass registry=",
    "generate_docs": "docs_url='/asyncapi' serves the docs page, and "
    "`python -m sioschema asyncapi MODULE:REGISTRY` writes the document",
    "version": _REGISTRY_KEYWORD.format("version"),
    "title": _REGISTRY_KEYWORD.format("title"),
    "description": _REGISTRY_KEYWORD.format("description") + " (or its docstring)",
    "server_url": "servers={'name': {'host': ..., 'protocol': ...}} on the registry class",
    "server_name": "servers={'name': {'host': ..., 'protocol': ...}} on the registry class",
}
"""Each sio-asyncapi argument a sioschema adapter refuses, with what replaces it."""


def refuse_sio_asyncapi(adapter: str, kwargs: dict[str, Any]) -> None:
    """Refuse sio-asyncapi's constructor arguments among ``kwargs``, naming what
    replaces each.

    :param adapter: the class name in the message (``"Server"``, ``"SocketIO"``).
    :raises TypeError: when ``kwargs`` holds any key of :data:`SIO_ASYNCAPI`.
    """
    found = [name for name in SIO_ASYNCAPI if name in kwargs]
    if found:
        lines = "; ".join(f"{name}=: {SIO_ASYNCAPI[name]}" for name in found)
        msg = (
            f"{adapter}() got sio-asyncapi's argument{'s' if len(found) > 1 else ''} "
            f"{', '.join(found)}, which sioschema does not take: {lines} "
            "(docs/migration.md, from sio-asyncapi)"
        )
        raise TypeError(msg)
