"""A handler checked against the declaration it is registered for, when it is registered.

Type checkers check handlers statically (``Event`` is generic in its request and ack);
this catches at start-up, for code that is not type-checked, the contradictions that
would otherwise show up per message: a handler that cannot take the declared number of
arguments, one annotated to return ``None`` for a declared ack (the move is played, then
the client gets ``internal_error``), one that returns a value for an event with no ack,
or one whose request parameter is annotated with a class the request never is.
Annotations that cannot be resolved are not judged.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

import msgspec

from ._compile import declared_repr
from ._registry import Event
from .errors import SioSchemaError

__all__ = ["check_handler"]

# what a type checker lets stand for a declared type (PEP 484's numeric tower)
_WIDER: dict[type, tuple[type, ...]] = {int: (float, complex), float: (complex,)}


def _name(handler: Any) -> str:
    return getattr(handler, "__qualname__", None) or repr(handler)


def _accepts_none(types: tuple[Any, ...]) -> bool:
    if len(types) != 1:
        return False
    try:
        msgspec.convert(None, types[0])
    except (msgspec.ValidationError, TypeError):
        return False
    return True


def _contradicts(declared: Any, annotation: Any) -> bool:
    """Whether a parameter annotated ``annotation`` can never hold a ``declared``."""
    if not isinstance(declared, type) or not isinstance(annotation, type):
        return False  # generics, unions, Annotated, Literal: not judged
    if typing.get_origin(declared) is not None or typing.get_origin(annotation) is not None:
        return False  # `list[int]` is an instance of `type` on Python 3.10: not judged
    if annotation is object or annotation is Any or issubclass(declared, annotation):
        return False
    return annotation not in _WIDER.get(declared, ())


def check_handler(event: Event | str, handler: Any, *, skip: int) -> None:
    """Refuse ``handler`` for ``event`` if its signature or annotations contradict it.

    ``skip`` is the number of leading arguments the server passes before the request
    (``sid``: 1 on python-socketio, 0 on Flask-SocketIO). Raises
    :class:`~sioschema.SioSchemaError` naming the handler and the declaration.
    """
    if not isinstance(event, Event) or not callable(handler):
        return
    what = f"handler `{_name(handler)}` of {event!r}"
    arity = len(event.request)
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(*([None] * (skip + arity)))
    except TypeError:
        takes = "sid and " if skip else ""
        msg = (
            f"{what} cannot take {takes}{arity} request argument(s) "
            f"(declared request: {_types(event.request)})"
        )
        raise SioSchemaError(msg) from None
    try:
        hints = typing.get_type_hints(handler)
    except Exception:  # unresolvable annotations: not judged
        return
    params = [
        p
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ][skip : skip + arity]
    for param, declared in zip(params, event.request, strict=False):
        annotation = hints.get(param.name)
        if annotation is not None and _contradicts(declared, annotation):
            msg = (
                f"{what}: parameter `{param.name}` is annotated `{declared_repr(annotation)}`, "
                f"but the request is declared `{declared_repr(declared)}`"
            )
            raise SioSchemaError(msg)
    if "return" not in hints:
        return
    returns = hints["return"]
    if returns is type(None) and event.ack and not _accepts_none(event.ack):
        msg = (
            f"{what} is annotated to return `None`, but the ack is declared "
            f"{_types(event.ack)}: the client would get an `internal_error` after the "
            "handler ran"
        )
        raise SioSchemaError(msg)
    if not event.ack and isinstance(returns, type) and returns is not type(None):
        msg = (
            f"{what} is annotated to return `{declared_repr(returns)}`, but the event "
            "declares no ack (`ack=None`): declare the ack, or return nothing"
        )
        raise SioSchemaError(msg)


def _types(types: tuple[Any, ...]) -> str:
    return ", ".join(f"`{declared_repr(t)}`" for t in types) or "none"
