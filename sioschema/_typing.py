"""The types the adapters' signatures share: what ``registry=`` takes, and what
``AsyncServer.on(event)`` / ``AsyncClient.on(emit)`` return for each kind of declared
payload.

Type-level only: nothing here runs on the hot path.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Protocol, TypeVar, overload

from ._registry import A, EventRegistry, P, R

__all__ = [
    "F",
    "RegisterMany",
    "RegisterNone",
    "RegisterOne",
    "RegisterPayload",
    "Registries",
]

F = TypeVar("F", bound=Callable[..., Any])
"""A handler, returned unchanged by a registering decorator."""

Registries = type[EventRegistry] | Iterable[type[EventRegistry]] | None
"""What ``registry=`` takes: one registry class, several (one per namespace), or none."""


class RegisterOne(Protocol[R, A]):
    """``AsyncServer.on(Event[R, A])``: takes ``(sid, R) -> A``, as a coroutine
    function or a plain one, and returns it."""

    @overload
    def __call__(
        self, handler: Callable[[str, R], Coroutine[Any, Any, A]]
    ) -> Callable[[str, R], Coroutine[Any, Any, A]]: ...

    @overload
    def __call__(self, handler: Callable[[str, R], A]) -> Callable[[str, R], A]: ...


class RegisterNone(Protocol[A]):
    """``AsyncServer.on(Event[None, A])``: takes ``(sid) -> A``."""

    @overload
    def __call__(
        self, handler: Callable[[str], Coroutine[Any, Any, A]]
    ) -> Callable[[str], Coroutine[Any, Any, A]]: ...

    @overload
    def __call__(self, handler: Callable[[str], A]) -> Callable[[str], A]: ...


class RegisterMany(Protocol[A]):
    """``AsyncServer.on(Event[Several, A])``: takes ``(sid, *args) -> A``."""

    @overload
    def __call__(
        self, handler: Callable[..., Coroutine[Any, Any, A]]
    ) -> Callable[..., Coroutine[Any, Any, A]]: ...

    @overload
    def __call__(self, handler: Callable[..., A]) -> Callable[..., A]: ...


class RegisterPayload(Protocol[P, A]):
    """``AsyncClient.on(Emit[P, A])``: takes ``(P) -> A``, coroutine function or not."""

    @overload
    def __call__(
        self, handler: Callable[[P], Coroutine[Any, Any, A]]
    ) -> Callable[[P], Coroutine[Any, Any, A]]: ...

    @overload
    def __call__(self, handler: Callable[[P], A]) -> Callable[[P], A]: ...
