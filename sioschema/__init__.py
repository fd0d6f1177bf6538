"""sioschema: a schema registry for Socket.IO servers, validated with msgspec.

Declare every event of a namespace in one :class:`EventRegistry`; bind it with
``sioschema.flask.SocketIO``, ``sioschema.socketio.Server`` or
``sioschema.socketio.AsyncServer``.
"""

from ._registry import DeclaredError, Emit, Event, EventRegistry, Several
from ._wire import Limits
from .errors import PayloadError, RegistryError, Reject, Rejected, RequestRejected, SioSchemaError

__all__ = [
    "DeclaredError",
    "Emit",
    "Event",
    "EventRegistry",
    "Limits",
    "PayloadError",
    "RegistryError",
    "Reject",
    "Rejected",
    "RequestRejected",
    "Several",
    "SioSchemaError",
]

__version__ = "0.1.0"
