"""Flask-SocketIO adapter: :class:`SocketIO`, a drop-in ``flask_socketio.SocketIO``.

The events are declared in a registry (see the docs); the server binds it::

    from sioschema.flask import SocketIO
    socketio = SocketIO(app, registry=TicTacToe)

    @socketio.on(TicTacToe.make_move)
    def make_move(move: MakeMove) -> MakeMoveAck: ...

Handlers receive the validated, typed request (no ``sid``: Flask-SocketIO keeps it in
``flask.request.sid``); the return value is checked as the ack. ``emit`` and ``call``
(also ``flask_socketio.emit`` / ``send`` inside handlers) validate declared events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar, overload

import flask
import flask_socketio

from . import _adapter, _seams
from ._core import ErrorHook
from ._docs import DocsPages
from ._handlers import check_handler
from ._migration import refuse_sio_asyncapi
from ._packet import codec_packet
from ._registry import A, Emit, Event, P, R, Several
from ._typing import Registries
from ._wire import Limits
from .emitter import DEFAULT_CHANNEL
from .socketio import adopt

__all__ = ["SocketIO"]

_seams.check("flask_socketio")  # the Flask-SocketIO names this adapter relies on

F = TypeVar("F", bound=Callable[..., Any])
logger = logging.getLogger("sioschema")


class SocketIO(flask_socketio.SocketIO):  # type: ignore[misc]
    """A ``flask_socketio.SocketIO`` that validates every declared event.

    :param app: the Flask app (or ``None`` and ``init_app`` later).
    :param registry: one :class:`~sioschema.EventRegistry` or several (one per
        namespace).
    :param error_event: the event that carries an error when the client asked for no
        ack (default ``"error"``).
    :param on_payload_error: ``hook(error, sid)`` called for every rejected message;
        return a replacement reply, or ``None`` to send the default one.
    :param limits: a :class:`~sioschema.Limits` (default ``Limits()``): what one client
        may send. Engine.IO's ``max_http_buffer_size`` stays the hard cap on a frame.
    :param docs_url: a route of the Flask app for the docs page (``"/asyncapi"``:
        also ``/asyncapi.json`` and ``/asyncapi.yaml``); ``None`` (the default) adds none.
    :param docs_viewer: the base URL of the ``@asyncapi/react-component`` npm package;
        when given, ``<docs_url>/viewer`` shows the official AsyncAPI React viewer.

    Every other argument is Flask-SocketIO's. sio-asyncapi's ``validate``,
    ``generate_docs``, ``version``, ``title``, ``description``, ``server_url`` and
    ``server_name`` raise ``TypeError`` naming what replaces each: Flask-SocketIO would
    otherwise accept and ignore them.
    """

    def __init__(
        self,
        app: Any = None,
        *,
        registry: Registries = None,
        error_event: str = "error",
        on_payload_error: ErrorHook | None = None,
        limits: Limits | None = None,
        docs_url: str | None = None,
        docs_viewer: str | None = None,
        **kwargs: Any,
    ) -> None:
        refuse_sio_asyncapi("SocketIO", kwargs)
        self._sioschema, self._sioschema_docs = _adapter.server_core(
            registry, error_event, on_payload_error, limits, docs_url, docs_viewer
        )
        super().__init__(app, **kwargs)

    def init_app(self, app: Any, **kwargs: Any) -> None:
        refuse_sio_asyncapi("SocketIO", kwargs)
        if "serializer" not in kwargs and "serializer" not in self.server_options:
            kwargs["serializer"] = codec_packet()
        given = kwargs.get("namespaces", self.server_options.get("namespaces"))
        kwargs["namespaces"] = self._sioschema.accepted_namespaces(given)
        _queue_channel(self.server_options, kwargs)  # scale-out: see docs/scaleout.md
        super().init_app(app, **kwargs)
        # Flask-SocketIO always builds a plain ``socketio.Server``, with no hook to pick
        # the class: it becomes sioschema's Server in place, bound to this core.
        adopt(self.server, self._sioschema)
        docs = self._sioschema_docs
        if docs is not None:
            for path in docs.paths:
                app.add_url_rule(
                    path,
                    endpoint=f"sioschema_docs{path}",
                    view_func=partial(_docs_view, docs, path),
                    methods=["GET"],
                )

    @property
    def limits(self) -> Limits:
        """The limits every client's frames are held to."""
        return self._sioschema.limits

    @overload
    def on(
        self, message: Event[Several, A], namespace: str | None = None
    ) -> Callable[[Callable[..., A]], Callable[..., A]]: ...

    @overload
    def on(
        self, message: Event[None, A], namespace: str | None = None
    ) -> Callable[[Callable[[], A]], Callable[[], A]]: ...

    @overload
    def on(
        self, message: Event[R, A], namespace: str | None = None
    ) -> Callable[[Callable[[R], A]], Callable[[R], A]]: ...

    @overload
    def on(self, message: str, namespace: str | None = None) -> Callable[[F], F]: ...

    def on(self, message: Event | str, namespace: str | None = None) -> Any:
        """Register a handler for a declared :class:`Event` (or any event name).

        The handler receives the request validated and converted to its declared
        types; its return value is the ack. A type checker checks the handler against
        an ``Event[Request, Ack]``; at run time a handler whose annotations contradict
        the declaration raises :class:`~sioschema.SioSchemaError`, naming both.
        """
        name, namespace = self._sioschema.handler_key(message, namespace)
        register = super().on(name, namespace)

        def checked(handler: Any) -> Any:
            check_handler(message, handler, skip=0)
            return register(handler)

        return checked

    @overload
    def emit(self, event: Emit[P, Any], data: P, **kwargs: Any) -> None: ...

    @overload
    def emit(self, event: str, *args: Any, **kwargs: Any) -> None: ...

    def emit(self, event: Emit[Any, Any] | str, *args: Any, **kwargs: Any) -> None:
        """Emit an event; a declared one is validated before anything is sent.

        Takes Flask-SocketIO's arguments (``to``, ``namespace``, ``include_self``,
        ``skip_sid``, ``callback``...); the namespace of an :class:`Emit` defaults to
        its registry's.
        """
        if isinstance(event, Emit) and "namespace" not in kwargs:
            kwargs["namespace"] = event.namespace
        super().emit(event, *args, **kwargs)

    @overload
    def call(self, event: Emit[Any, A], data: Any = None, **kwargs: Any) -> A: ...

    @overload
    def call(self, event: str, *args: Any, **kwargs: Any) -> Any: ...

    def call(self, event: Emit[Any, Any] | str, *args: Any, **kwargs: Any) -> Any:
        """Emit to one client and wait for its ack; a declared ack is validated."""
        if isinstance(event, Emit) and "namespace" not in kwargs:
            kwargs["namespace"] = event.namespace
        return super().call(event, *args, **kwargs)


def _queue_channel(options: dict[str, Any], kwargs: dict[str, Any]) -> None:
    """``message_queue=`` without ``channel=``: python-socketio's channel, not
    Flask-SocketIO's ``"flask-socketio"``, so Flask processes, python-socketio servers
    and :mod:`sioschema.emitter` meet on one queue by default; said once at start-up,
    for deployments that still run stock Flask-SocketIO processes."""
    given = {**options, **kwargs}
    if not given.get("message_queue") or "client_manager" in given or "channel" in given:
        return
    kwargs["channel"] = DEFAULT_CHANNEL
    logger.warning(
        "message_queue=%r uses channel %r, the default of python-socketio and sioschema "
        "(Flask-SocketIO's own is 'flask-socketio'); pass channel= to choose one and "
        "silence this warning",
        _redacted(given["message_queue"]),
        DEFAULT_CHANNEL,
    )


def _redacted(url: str) -> str:
    """A queue URL without its password, for a log line."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def _docs_view(docs: DocsPages, path: str) -> flask.Response:
    page = docs.get(path)
    assert page is not None  # the route exists only for docs paths
    return flask.Response(page.body, status=page.status, content_type=page.content_type)
