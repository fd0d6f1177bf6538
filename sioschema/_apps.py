"""The WSGI and ASGI apps that serve a server's docs pages beside Socket.IO.

python-socketio's ``WSGIApp`` / ``ASGIApp`` route every request to Engine.IO (or to
static files). A server bound with ``docs_url=`` also answers the docs paths of its
:class:`~sioschema._docs.DocsPages`: these subclasses ask the pages first and hand
every other request to python-socketio unchanged. :mod:`sioschema.socketio` exports
them; on aiohttp, :func:`add_aiohttp_routes` adds the pages to the app's router.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import socketio

from ._docs import NOT_ALLOWED, REASONS, DocsPages, Page

__all__ = ["ASGIApp", "WSGIApp", "add_aiohttp_routes", "docs_unserved"]

logger = logging.getLogger("sioschema")


def _docs_of(server: Any) -> DocsPages | None:
    """The docs pages a sioschema server was bound with (``None`` for none, and for a
    plain python-socketio server)."""
    docs: DocsPages | None = getattr(server, "_sioschema_docs", None)
    return docs


def _answer(server: Any, path: str, method: str) -> Page | None:
    """The docs page for a request, if the server serves one at ``path``."""
    docs = _docs_of(server)
    return docs.answer(path, method) if docs is not None else None


def docs_unserved(server: Any) -> None:
    """Say once, on a server's first Socket.IO request (or when it is attached to a
    framework other than aiohttp), that its docs pages are not served: it was bound with
    ``docs_url=`` but runs under an app that does not serve them (a stock
    ``socketio.ASGIApp`` / ``WSGIApp``), so every docs path answers 404."""
    docs = _docs_of(server)
    if docs is None or docs.served:
        return
    docs.served = True  # one warning
    kind = "ASGIApp" if isinstance(server, socketio.AsyncServer) else "WSGIApp"
    logger.warning(
        "docs_url=%r is set, but this server runs under an app that does not serve the "
        "docs pages (they answer 404): wrap the server in sioschema.socketio.%s instead "
        "of socketio.%s",
        docs.url,
        kind,
        kind,
    )


def add_aiohttp_routes(app: Any, docs: DocsPages) -> None:
    """Add a ``GET`` route to the aiohttp ``app`` for every docs path of ``docs``."""
    from aiohttp import web

    async def page(request: web.Request) -> web.Response:
        found = docs.get(request.path)
        assert found is not None  # routed only for docs paths
        return web.Response(
            body=found.body, status=found.status, headers={"Content-Type": found.content_type}
        )

    for path in docs.paths:
        app.router.add_get(path, page)
    docs.served = True


class WSGIApp(socketio.WSGIApp):  # type: ignore[misc]
    """``socketio.WSGIApp`` that also serves the docs of a
    :class:`~sioschema.socketio.Server` bound with ``docs_url=``. Takes python-socketio's
    arguments."""

    def __init__(self, socketio_app: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(socketio_app, *args, **kwargs)
        docs = _docs_of(socketio_app)
        if docs is not None:
            docs.served = True

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        method = environ.get("REQUEST_METHOD", "GET")
        page = _answer(self.engineio_app, environ.get("PATH_INFO") or "", method)
        if page is None:
            return super().__call__(environ, start_response)
        headers = [("Content-Type", page.content_type), ("Content-Length", str(len(page.body)))]
        if page is NOT_ALLOWED:
            headers.append(("Allow", "GET, HEAD"))
        start_response(f"{page.status} {REASONS[page.status]}", headers)
        return [b"" if method == "HEAD" else page.body]


class ASGIApp(socketio.ASGIApp):  # type: ignore[misc]
    """``socketio.ASGIApp`` that also serves the docs of an
    :class:`~sioschema.socketio.AsyncServer` bound with ``docs_url=``. Takes
    python-socketio's arguments."""

    def __init__(self, socketio_server: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(socketio_server, *args, **kwargs)
        docs = _docs_of(socketio_server)
        if docs is not None:
            docs.served = True

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        method = scope.get("method", "GET")
        page = None
        if scope["type"] == "http":
            page = _answer(self.engineio_server, scope.get("path", ""), method)
        if page is None:
            await super().__call__(scope, receive, send)
            return
        headers = [
            (b"content-type", page.content_type.encode()),
            (b"content-length", str(len(page.body)).encode()),
        ]
        if page is NOT_ALLOWED:
            headers.append((b"allow", b"GET, HEAD"))
        await send({"type": "http.response.start", "status": page.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else page.body})
