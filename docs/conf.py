"""Sphinx configuration: the docs site (``nox -s docs``), Markdown pages read by MyST,
the API reference generated from the docstrings by autodoc."""

from __future__ import annotations

import sioschema

project = "sioschema"
author = "sioschema contributors"
copyright = "sioschema contributors"  # noqa: A001 (Sphinx's name)
release = sioschema.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]

# MyST: `#heading-anchors` links between pages, fenced directives, definition lists
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence", "deflist"]

# reST docstrings: `single backticks` read as inline code, as in Markdown (the same
# docstrings are descriptions in AsyncAPI documents, which are CommonMark)
default_role = "literal"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True

autodoc_typehints_description_target = "documented"

# Every cross-reference must resolve (nitpicky), except to what the reference does not
# document: the standard library and the libraries sioschema builds on (the build is
# offline, so no intersphinx), type variables and private helpers.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(collections\.abc|typing|typing_extensions|types|enum|asyncio)\..*"),
    (r"py:.*", r"(socketio|engineio|flask_socketio|flask|msgspec)(\..*)?"),
    (r"py:.*", r"sioschema\.(\w+\.)*[A-Z]"),  # type variables: P, R, A, F
    (r"py:.*", r"(sioschema\.(\w+\.)*)?_\w+(\..*)?"),  # private modules and names
    (r"py:.*", r"Registries|ErrorHook|EventRegistry|Any|NoneType"),  # aliases in signatures
]

html_theme = "furo"
html_title = f"sioschema {release}"
html_static_path: list[str] = []


def _public_names() -> dict[int, str]:
    """``id(object) -> "sioschema.Name"`` for every public name, first home first."""
    import importlib

    found: dict[int, str] = {}
    for module in PUBLIC_MODULES:
        imported = importlib.import_module(module)
        for name in imported.__all__:
            found.setdefault(id(getattr(imported, name)), f"{module}.{name}")
    return found


PUBLIC_MODULES = [
    "sioschema",
    "sioschema.errors",
    "sioschema.socketio",
    "sioschema.flask",
    "sioschema.client",
    "sioschema.emitter",
    "sioschema.asyncapi",
    "sioschema.typescript",
    "sioschema.inspect",
]


def _resolve_private(app, env, node, contnode):  # type: ignore[no-untyped-def]
    """Annotations name classes by where they are defined (``sioschema._registry.Event``),
    docstrings by the names their module imports (``Event``): resolve such a reference to
    the public name it is documented under."""
    import importlib

    target = node.get("reftarget", "")
    if node.get("refdomain") != "py":
        return None
    if not target.startswith("sioschema.") and node.get("py:module"):
        target = f"{node['py:module']}.{target}"  # `Event` in a docstring of that module
    if not target.startswith("sioschema."):
        return None
    module, _, name = target.rpartition(".")
    try:
        obj = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    public = _PUBLIC.get(id(obj))
    if public is None or public == target:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], public, node, contnode
    )


_PUBLIC = _public_names()


def setup(app):  # type: ignore[no-untyped-def]
    app.connect("missing-reference", _resolve_private)
