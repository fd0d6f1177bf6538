"""A read-only view of a registry, shared by the adapters and the AsyncAPI renderer.

:class:`RegistryInfo` is built by the declaration (``sioschema._registry``) when a registry
class is created; this module only reads it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._registry import EventRegistry, RegistryInfo
from ._wire import RESERVED_EVENTS
from .errors import RegistryError

__all__ = ["RegistryInfo", "by_namespace", "check_error_event", "info"]


def info(registry: type[EventRegistry]) -> RegistryInfo:
    """Return what ``registry`` declares; raise ``RegistryError`` if it is not one."""
    found = getattr(registry, "__sioschema_info__", None)
    if not isinstance(found, RegistryInfo) or found.registry is not registry:
        msg = f"{registry!r} is not an EventRegistry subclass"
        raise RegistryError(msg)
    return found


def by_namespace(
    registries: type[EventRegistry] | Iterable[type[EventRegistry]] | None,
) -> dict[str, RegistryInfo]:
    """Index one registry or several by namespace; two for one namespace is an error."""
    if registries is None:
        return {}
    items = [registries] if isinstance(registries, type) else list(registries)
    table: dict[str, RegistryInfo] = {}
    for registry in items:
        found = info(registry)
        if found.namespace in table:
            other = table[found.namespace].registry.__qualname__
            msg = (
                f"{registry.__qualname__} and {other} both declare namespace "
                f"`{found.namespace}`; one registry per namespace"
            )
            raise RegistryError(msg)
        table[found.namespace] = found
    return table


def check_error_event(infos: Iterable[RegistryInfo], error_event: str) -> None:
    """Check the name of the error event for these registries (servers and documents).

    Raises ``RegistryError`` if it is not a non-empty string, is reserved by Socket.IO,
    or is the name of an ``Emit`` a registry declares: clients could not tell an error
    from that emit.
    """
    if not isinstance(error_event, str) or not error_event or error_event in RESERVED_EVENTS:
        msg = (
            "error_event must be a non-empty event name that Socket.IO does not reserve "
            f"(got {error_event!r})"
        )
        raise RegistryError(msg)
    for found in infos:
        clash = found.emits.get(error_event)
        if clash is not None:
            msg = (
                f"error_event={error_event!r} is also the name of {clash!r} on "
                f"namespace `{found.namespace}`: clients could not tell an error from "
                "that emit; pass another error_event= or rename the emit"
            )
            raise RegistryError(msg)
