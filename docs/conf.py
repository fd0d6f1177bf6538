"""Sphinx configuration: the docs site (``nox -s docs``), Markdown pages read by MyST,
the API reference generated from the docstrings by autodoc."""

from __future__ import annotations

import zlib
from pathlib import Path

import sioschema

project = "sioschema"
author = "sioschema contributors"
copyright = "sioschema contributors"  # noqa: A001 (Sphinx's name)
release = sioschema.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
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

# Every cross-reference must resolve (nitpicky), to these pages or, through the inventories
# below, to the pages of Python, msgspec, python-socketio and Flask-SocketIO. What is left
# has no page anywhere:
nitpicky = True
nitpick_ignore_regex = [
    # type variables of the generic classes and the decorators (P, R, A, F): a signature
    # names them, nothing documents them
    (r"py:.*", r"sioschema\.(\w+\.)*[A-Z]"),
    # private modules and names (sioschema._core, _RegisterOne ...): internal, never in
    # the reference
    (r"py:.*", r"(sioschema\.(\w+\.)*)?_\w+(\..*)?"),
    # type aliases that signatures spell out (`registry: Registries`, `ErrorHook`): not in
    # any `__all__`, so not in the reference; each parameter's text says what it takes
    (r"py:class", r"Registries|ErrorHook"),
]

# intersphinx without a network: docs/_intersphinx/<project>.txt lists, by hand, the names
# of that project's docs these pages and the docstrings use, each with its page and anchor
# on the project's site; `_write_inventories` writes each list as a Sphinx inventory under
# the build directory before intersphinx reads it, so nothing is fetched and every build
# links the same. A reference to a name missing from its list (a type in a signature, a
# role) fails the build (nitpicky); inline code that spells a listed name links too
# (`_link_named_objects`).
INTERSPHINX_LISTS = Path(__file__).parent / "_intersphinx"
intersphinx_mapping: dict[str, tuple[str, str]] = {}  # filled by _write_inventories
# the lists' contents: an edited list rebuilds every page (its links change), not only
# the pages whose source changed
intersphinx_lists = "\n".join(
    path.read_text(encoding="utf-8") for path in sorted(INTERSPHINX_LISTS.glob("*.txt"))
)

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


def _resolve_imported(app, env, node, contnode):  # type: ignore[no-untyped-def]
    """Signatures autodoc could not evaluate name types as their module imports them
    (``Sequence[Any]`` in ``sioschema._registry``): resolve such a name, through the
    inventories, to where it is defined (``collections.abc.Sequence``, ``typing.Any``)."""
    import importlib

    from sphinx.ext.intersphinx import missing_reference

    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or "." in target or not node.get("py:module"):
        return None
    namespaces = [importlib.import_module(node["py:module"])]
    documented = getattr(namespaces[0], (node.get("py:class") or "").partition(".")[0], None)
    if documented is not None and hasattr(documented, "__module__"):
        namespaces.append(importlib.import_module(documented.__module__))
    for namespace in namespaces:
        obj = getattr(namespace, target, None)
        module = getattr(obj, "__module__", None)
        if obj is None or not module or module.startswith("sioschema"):
            continue
        home = node.deepcopy()
        home["reftarget"] = f"{module}.{getattr(obj, '__qualname__', target)}"
        home["reftype"] = "obj"  # typing.Any is data in Python's inventory, not a class
        return missing_reference(app, env, home, contnode)
    return None


def _public_bases(app, name, obj, options, bases):  # type: ignore[no-untyped-def]
    """``:show-inheritance:`` names the bases a reader can look up: no private mixins, and
    python-socketio's and Flask-SocketIO's classes by their public names
    (``socketio.Server``, not ``socketio.server.Server``), which their docs use."""
    import importlib

    public = []
    for base in bases:
        if base.__name__.startswith("_"):
            continue
        package = base.__module__.partition(".")[0]
        if package in ("socketio", "flask_socketio", "msgspec"):
            if getattr(importlib.import_module(package), base.__qualname__, None) is base:
                public.append(f":py:class:`{package}.{base.__qualname__}`")
                continue
        public.append(base)
    bases[:] = public


def _read_list(path: Path) -> tuple[str, str, list[tuple[str, str, str]]]:
    """One hand-kept list: its project, its site's URL, and (name, domain:role, page and
    anchor) per line; ``#`` starts a comment."""
    header: dict[str, str] = {}
    entries: list[tuple[str, str, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):  # anchors have a `#` too: only at the start
            continue
        key, colon, value = line.partition(": ")
        if colon and key in ("project", "url"):
            header[key] = value.strip()
            continue
        fields = line.split()
        if len(fields) != 3 or ":" not in fields[1]:
            msg = f"{path}:{number}: expected `name domain:role page#anchor`, got {line!r}"
            raise ValueError(msg)
        entries.append((fields[0], fields[1], fields[2]))
    if set(header) != {"project", "url"}:
        msg = f"{path}: needs `project: ...` and `url: ...` lines"
        raise ValueError(msg)
    return header["project"], header["url"], entries


def _write_inventories(app, config):  # type: ignore[no-untyped-def]
    """Write each list of docs/_intersphinx as an ``objects.inv`` (Sphinx's version 2
    format: four header lines, then ``name domain:role priority uri dispname`` lines
    compressed with zlib) under the build directory, and point intersphinx at it."""
    folder = Path(app.doctreedir) / "intersphinx"
    folder.mkdir(parents=True, exist_ok=True)
    mapping = {}
    for path in sorted(INTERSPHINX_LISTS.glob("*.txt")):
        project, url, entries = _read_list(path)
        lines = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in entries)
        data = (
            b"# Sphinx inventory version 2\n"
            + f"# Project: {project}\n# Version: \n".encode()
            + b"# The remainder of this file is compressed using zlib.\n"
            + zlib.compress(lines.encode(), 9)
        )
        inventory = folder / f"{path.stem}.inv"
        if not inventory.is_file() or inventory.read_bytes() != data:
            inventory.write_bytes(data)
        mapping[path.stem] = (url, str(inventory))
    config.intersphinx_mapping = mapping


def _link_named_objects(app, doctree):  # type: ignore[no-untyped-def]
    """Inline code that spells a name of the lists (`msgspec.Struct`, `ValueError`,
    `gc.freeze()`) links to its page, in the Markdown pages and the docstrings alike: both
    write such names as plain code spans, which read as well on GitHub and in ``help()``
    (and the docstrings are CommonMark descriptions in AsyncAPI documents too)."""
    from docutils import nodes
    from sphinx import addnodes

    skip = (nodes.title, nodes.reference, addnodes.pending_xref, addnodes.desc_signature)
    for literal in list(doctree.findall(nodes.literal)):
        text = literal.astext()
        name = text.removesuffix("()")
        if name not in _LISTED:
            continue
        parent = literal.parent
        while parent is not None and not isinstance(parent, skip):
            parent = parent.parent
        if parent is not None:
            continue
        xref = addnodes.pending_xref(
            "",
            refdomain="py",
            reftype="obj",
            reftarget=name,
            refexplicit=True,
            refwarn=True,
            refdoc=app.env.docname,
        )
        xref += nodes.literal(text, text, classes=["xref", "py", "py-obj"])
        literal.replace_self(xref)


# the names `_link_named_objects` links: dotted ones and exceptions; `None`, `str`, `dict`
# ... are listed for the types in signatures, and stay plain code in prose
_LISTED = {
    name
    for path in INTERSPHINX_LISTS.glob("*.txt")
    for name, role, _ in _read_list(path)[2]
    if "." in name or role == "py:exception"
}


def setup(app):  # type: ignore[no-untyped-def]
    app.add_config_value("intersphinx_lists", "", "env")
    app.connect("config-inited", _write_inventories, priority=100)  # intersphinx reads at 800
    app.connect("missing-reference", _resolve_private)
    app.connect("missing-reference", _resolve_imported)
    app.connect("autodoc-process-bases", _public_bases)
    app.connect("doctree-read", _link_named_objects)
