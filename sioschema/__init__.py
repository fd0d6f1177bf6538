"""sioschema: a schema registry for Socket.IO servers, validated with msgspec.

Declare every event of a namespace in one :class:`EventRegistry`; bind it with
``sioschema.flask.SocketIO``, ``sioschema.socketio.Server`` or
``sioschema.socketio.AsyncServer``.
"""

from ._registry import Emit, Event, EventRegistry, Several
from ._wire import Limits
from .errors import PayloadError, RegistryError, RequestRejected, SioSchemaError

__all__ = [
    "Emit",
    "Event",
    "EventRegistry",
    "Limits",
    "PayloadError",
    "RegistryError",
    "RequestRejected",
    "Several",
    "SioSchemaError",
]

__version__ = "0.1.0"
