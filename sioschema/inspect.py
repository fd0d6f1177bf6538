"""A read-only view of a registry, shared by the adapters and the AsyncAPI renderer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import RegistryError

if TYPE_CHECKING:
    from ._compile import ArgsCodec
    from ._registry import Emit, Event, EventRegistry

__all__ = ["RegistryInfo", "info", "by_namespace"]


@dataclass(frozen=True)
class RegistryInfo:
    """Everything a registry declares, after its checks passed."""

    registry: type[EventRegistry]
    namespace: str
    title: str
    version: str
    description: str | None
    strict: bool
    events: Mapping[str, Event] = field(repr=False)
    """Client -> server events by Socket.IO name."""
    emits: Mapping[str, Emit[Any, Any]] = field(repr=False)
    """Server -> client events by Socket.IO name."""
    servers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    contact: Mapping[str, str] | None = None
    license: Mapping[str, str] | None = None
    tags: tuple[Mapping[str, Any], ...] = ()
    external_docs: Mapping[str, str] | None = None
    id: str | None = None
    auth: Any = None
    """The declared type of the connection's ``auth`` payload (``None``: not checked)."""
    auth_codec: ArgsCodec | None = field(default=None, repr=False)


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
