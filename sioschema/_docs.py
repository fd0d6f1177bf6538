"""The docs pages a bound server serves: ``/asyncapi``, ``.json`` and ``.yaml``.

I/O-free: the adapters (Flask route, WSGI and ASGI apps) ask :meth:`DocsPages.get`
for a path and write the answer themselves. The documents are rendered on the first
request and kept; :mod:`sioschema.asyncapi` is imported only then.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ._registry import EventRegistry

__all__ = ["NOT_ALLOWED", "REASONS", "DocsPages", "Page"]


class Page(NamedTuple):
    """One HTTP answer: its status code, ``Content-Type`` and body."""

    status: int
    content_type: str
    body: bytes


NOT_ALLOWED = Page(405, "text/plain; charset=utf-8", b"Method Not Allowed")
"""The answer to a docs path asked with a method other than ``GET`` or ``HEAD`` (its
``Allow`` header is the app's to add)."""
REASONS = {200: "OK", 405: "Method Not Allowed", 501: "Not Implemented"}
"""The reason phrase of each status a docs page answers with (a WSGI status line)."""


class DocsPages:
    """The docs of some registries under one URL (``/asyncapi`` -> three pages)."""

    def __init__(
        self,
        registries: list[type[EventRegistry]],
        url: str,
        *,
        error_event: str = "error",
        viewer: str | None = None,
    ) -> None:
        if not url.startswith("/") or url.endswith("/"):
            msg = f"docs_url must start with '/' and not end with one (got {url!r})"
            raise ValueError(msg)
        self.url = url
        self.served = False
        """Whether an app that serves these pages wraps the server (set by that app)."""
        self._registries = registries
        self._error_event = error_event
        self._viewer = viewer.rstrip("/") if viewer else None
        self._kinds = {url: "html", f"{url}.json": "json", f"{url}.yaml": "yaml"}
        if self._viewer:
            self._kinds[f"{url}/viewer"] = "viewer"
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

    def answer(self, path: str, method: str) -> Page | None:
        """The answer to an HTTP request for ``path`` with ``method`` (``"GET"``,
        ``"HEAD"``, ...): the page, :data:`NOT_ALLOWED` for another method on a docs
        path, ``None`` when ``path`` is no docs page (the request is not ours)."""
        page = self.get(path)
        if page is not None and method not in ("GET", "HEAD"):
            return NOT_ALLOWED
        return page

    def _render(self, kind: str) -> Page:
        from . import asyncapi

        if kind == "html":
            text = asyncapi.render_html(
                self._registries,
                error_event=self._error_event,
                document_url=self.url,
                viewer_url=f"{self.url}/viewer" if self._viewer else None,
            )
            return Page(200, "text/html; charset=utf-8", text.encode())
        if kind == "viewer":
            assert self._viewer is not None
            title = asyncapi.render(self._registries)["info"]["title"]
            text = _VIEWER.format(
                title=escape(title), package=escape(self._viewer), document=escape(self.url)
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


# The official AsyncAPI React component's standalone bundle, from where the user chose
# (``docs_viewer=``: the base URL of the ``@asyncapi/react-component`` package).
_VIEWER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{package}/styles/default.min.css">
</head><body><div id="asyncapi"></div>
<script src="{package}/browser/standalone/index.js"></script>
<script>
AsyncApiStandalone.render(
  {{schema: {{url: "{document}.json", options: {{method: "GET"}}}},
    config: {{show: {{sidebar: true}}}}}},
  document.getElementById("asyncapi"));
</script></body></html>
"""
