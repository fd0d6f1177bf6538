"""AsyncAPI documents and the docs page, rendered from registries.

::

    from sioschema import asyncapi

    doc = asyncapi.render(TicTacToe)                          # AsyncAPI 3.0.0, a dict
    doc = asyncapi.render([Game, Chat], asyncapi_version="2.6.0")
    print(asyncapi.to_yaml(doc))

This package only lays out a version-neutral description of the registries (one module
per AsyncAPI version, and the docs page), the one :mod:`sioschema.typescript` writes
its contract from too. It reads registries through :mod:`sioschema.inspect` and never
imports a server adapter; the adapters import it lazily to serve the docs page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final, Literal

from .. import _spec
from . import v2_6, v3_0

if TYPE_CHECKING:
    from .._registry import EventRegistry

__all__ = ["VERSIONS", "AsyncAPIVersion", "render", "render_html", "to_json", "to_yaml"]

AsyncAPIVersion = Literal["3.0.0", "3.1.0", "2.6.0"]
VERSIONS: Final[tuple[AsyncAPIVersion, ...]] = ("3.0.0", "3.1.0", "2.6.0")
"""The AsyncAPI versions sioschema renders; the first is the default."""


def render(
    registries: type[EventRegistry] | Iterable[type[EventRegistry]],
    *,
    asyncapi_version: AsyncAPIVersion = "3.0.0",
    error_event: str = "error",
) -> dict[str, Any]:
    """Render one registry, or several (one per namespace), as an AsyncAPI document.

    :param asyncapi_version: ``"3.0.0"`` (default), ``"3.1.0"`` or ``"2.6.0"``.
    :param error_event: the event name the server uses for errors when the client asked
        for no ack (the server's ``error_event=``).
    :raises ValueError: for an unknown version or no registry.
    """
    spec = _spec.build(registries, error_event=error_event)
    if asyncapi_version == "2.6.0":
        return v2_6.render(spec)
    if asyncapi_version in ("3.0.0", "3.1.0"):
        return v3_0.render(spec, asyncapi_version)
    msg = f"unsupported AsyncAPI version {asyncapi_version!r}; choose one of {', '.join(VERSIONS)}"
    raise ValueError(msg)


def render_html(
    registries: type[EventRegistry] | Iterable[type[EventRegistry]],
    *,
    error_event: str = "error",
    document_url: str | None = None,
    viewer_url: str | None = None,
) -> str:
    """Render the offline docs page (one self-contained HTML document, no scripts).

    :param document_url: where the JSON and YAML documents are served, linked from the
        page (``/asyncapi`` links ``/asyncapi.json`` and ``/asyncapi.yaml``).
    :param viewer_url: a page showing the document in the AsyncAPI React viewer, linked
        from the page when given.
    """
    from . import html

    spec = _spec.build(registries, error_event=error_event)
    return html.render(spec, document_url, viewer_url)


def to_json(document: dict[str, Any], *, indent: int | None = 2) -> str:
    """The document as JSON text (keys in document order)."""
    return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"


def to_yaml(document: dict[str, Any]) -> str:
    """The document as YAML text; needs PyYAML (``pip install 'sioschema[yaml]'``)."""
    try:
        import yaml
    except ImportError:
        msg = "YAML output needs PyYAML: pip install 'sioschema[yaml]' (or use JSON)"
        raise ImportError(msg) from None

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True  # repeated parts are written out, never as &anchors

    def text_block(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
        style = "|" if "\n" in data else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)

    Dumper.add_representer(str, text_block)
    text: str = yaml.dump(document, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text
