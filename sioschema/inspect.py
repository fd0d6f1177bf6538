"""A read-only view of a registry, shared by the adapters and the AsyncAPI renderer.

:class:`RegistryInfo` is built by the declaration (``sioschema._registry``) when a registry
class is created; this module only reads it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._registry import EventRegistry, RegistryInfo
from .errors import RegistryError

__all__ = ["RegistryInfo", "by_namespace", "info"]


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
