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
    "sphinx_copybutton",
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

REPOSITORY = "https://github.com/sioschema/sioschema"
# GitHub's mark (Octicons, MIT), the footer icon furo's documentation shows
GITHUB_MARK = (
    "M8 0C3.58 0 0 3.58 0 8c0 3.54 2.29 6.53 5.47 7.59.4.07.55-.17.55-.38 0-.19-.01-.82-."
    "01-1.49-2.01.37-2.53-.49-2.69-.94-.09-.23-.48-.94-.82-1.13-.28-.15-.68-.52-.01-.53.6"
    "3-.01 1.08.58 1.23.82.72 1.21 1.87.87 2.33.66.07-.52.28-.87.51-1.07-1.78-.2-3.64-.89"
    "-3.64-3.95 0-.87.31-1.59.82-2.15-.08-.2-.36-1.02.08-2.12 0 0 .67-.21 2.2.82.64-.18 1"
    ".32-.27 2-.27.68 0 1.36.09 2 .27 1.53-1.04 2.2-.82 2.2-.82.44 1.1.16 1.92.08 2.12.51"
    ".56.82 1.27.82 2.15 0 3.07-1.87 3.75-3.65 3.95.29.25.54.73.54 1.48 0 1.07-.01 1.93-."
    "01 2.2 0 .21.15.46.55.38A8.013 8.013 0 0 0 16 8c0-4.42-3.58-8-8-8z"
)
html_theme_options = {
    # "view" and "edit" buttons on every page, to its Markdown source in the repository
    "source_repository": f"{REPOSITORY}/",
    "source_branch": "main",
    "source_directory": "docs/",
    "footer_icons": [
        {
            "name": "GitHub",
            "url": REPOSITORY,
            "class": "",
            "html": (
                '<svg stroke="currentColor" fill="currentColor" stroke-width="0" '
                f'viewBox="0 0 16 16"><path fill-rule="evenodd" d="{GITHUB_MARK}"></path></svg>'
            ),
        },
    ],
}

# copy buttons on code blocks: the text copied leaves out the prompts (`>>> `, `... `,
# `$ `), and, in a block that has prompts, the output lines, so that it runs as pasted
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True
copybutton_remove_prompts = True


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
