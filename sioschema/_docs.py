"""The docs pages a bound server serves: ``/asyncapi``, ``.json`` and ``.yaml``.

I/O-free: the adapters (Flask route, WSGI and ASGI apps) ask :meth:`DocsPages.get`
for a path and write the answer themselves. The documents are rendered on the first
request and kept; :mod:`sioschema.asyncapi` is imported only then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ._registry import EventRegistry

__all__ = ["DocsPages", "Page"]


class Page(NamedTuple):
    status: int
    content_type: str
    body: bytes


class DocsPages:
    """The docs of some registries under one URL (``/asyncapi`` -> three pages)."""

    def __init__(
        self,
        registries: list[type[EventRegistry]],
        url: str,
        *,
        error_event: str = "error",
    ) -> None:
        if not url.startswith("/") or url.endswith("/"):
            msg = f"docs_url must start with '/' and not end with one (got {url!r})"
            raise ValueError(msg)
        self.url = url
        self._registries = registries
        self._error_event = error_event
        self._kinds = {url: "html", f"{url}.json": "json", f"{url}.yaml": "yaml"}
        self._cache: dict[str, Page] = {}

    @property
    def paths(self) -> tuple[str, ...]:
        """The URL paths served."""
        return tuple(self._kinds)

    def get(self, path: str) -> Page | None:
        """The page for ``path``, or ``None`` when the path is not a docs page."""
        kind = self._kinds.get(path)
        if kind is None:
            return None
        page = self._cache.get(kind)
        if page is None:
            page = self._cache[kind] = self._render(kind)
        return page

    def _render(self, kind: str) -> Page:
        from . import asyncapi

        if kind == "html":
            text = asyncapi.render_html(
                self._registries, error_event=self._error_event, document_url=self.url
            )
            return Page(200, "text/html; charset=utf-8", text.encode())
        document = asyncapi.render(self._registries, error_event=self._error_event)
        if kind == "json":
            return Page(200, "application/json", asyncapi.to_json(document).encode())
        try:
            text = asyncapi.to_yaml(document)
        except ImportError as exc:
            return Page(501, "text/plain; charset=utf-8", str(exc).encode())
        return Page(200, "application/yaml; charset=utf-8", text.encode())
