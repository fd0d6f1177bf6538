"""The docs page: one self-contained HTML document, rendered from the neutral spec.

No script, no font, no stylesheet from elsewhere: the page works offline, on a phone
and on a desktop. Every namespace, every event in both directions with its payload as a
table (type, constraints, required, description), its ack, the application errors it
declares and its error ack, its examples;
an anchor per event (``#root.on_make_move``) and per schema (``#schema-MakeMove``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from markdown_it import MarkdownIt

from .._jsonschema import REF
from .._spec import Channel, Message, Operation, Spec

__all__ = ["render"]

_CSS = """
:root{--fg:#1d2330;--muted:#5b6474;--line:#dde2ea;--bg:#fff;--soft:#f5f7fa;--accent:#2357c6;
--in:#0f7b4a;--out:#8a4b00;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
*{box-sizing:border-box}body{margin:0;color:var(--fg);background:var(--bg);line-height:1.5}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;
overflow-x:auto;margin:.4rem 0}
.layout{display:block;max-width:80rem;margin:0 auto}
nav{padding:1rem 1.2rem;border-bottom:1px solid var(--line);background:var(--soft)}
nav ul{list-style:none;margin:.2rem 0 .6rem;padding:0}nav li{margin:.1rem 0;word-break:break-all}
nav h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);
margin:.8rem 0 .2rem}
main{padding:1rem 1.2rem 4rem;min-width:0}
header h1{margin:.2rem 0;font-size:1.7rem}.meta{color:var(--muted);font-size:.95rem}
.meta span{margin-right:1rem;display:inline-block}
section.channel>h2{border-bottom:2px solid var(--line);padding-bottom:.3rem;margin-top:2.5rem}
article{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
article h4{margin:0 0 .3rem;font-size:1.15rem;word-break:break-all}
article h5{margin:.9rem 0 .2rem;font-size:.85rem;text-transform:uppercase;letter-spacing:.05em;
color:var(--muted)}
.dir{font-size:.75rem;font-weight:600;border-radius:999px;padding:.05rem .55rem;margin-right:.4rem;
vertical-align:middle;white-space:nowrap}
.receive{background:#e3f5ec;color:var(--in)}.send{background:#fbeedd;color:var(--out)}
table{border-collapse:collapse;width:100%;font-size:.92rem}.table{overflow-x:auto}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line);
overflow-wrap:break-word}
th{font-size:.8rem;color:var(--muted);font-weight:600}td.req{white-space:nowrap}
pre{white-space:pre-wrap;overflow-wrap:anywhere}p,li,h1,h2,h3{overflow-wrap:anywhere}
@media (max-width:40rem){table,tbody,tr,td{display:block;width:100%}thead{display:none}
tr{border-bottom:1px solid var(--line);padding:.3rem 0}td{border:0;padding:.1rem 0}
td{overflow-wrap:anywhere}
td::before{content:attr(data-label) ": ";color:var(--muted);font-size:.8rem}
td:empty{display:none}}
.none{color:var(--muted);font-style:italic}.desc{margin:.2rem 0 .4rem}
.desc p,.desc ul,.desc ol,.desc blockquote{margin:.2rem 0 .4rem}
@media (max-width:60rem){nav li{display:inline-block;margin-right:.9rem}}
@media (min-width:60rem){.layout{display:grid;grid-template-columns:17rem minmax(0,1fr)}
nav{position:sticky;top:0;height:100vh;overflow-y:auto;border-bottom:0;
border-right:1px solid var(--line)}}
"""


def render(spec: Spec, document_url: str | None = None, viewer_url: str | None = None) -> str:
    """The docs page of ``spec``; ``document_url`` links its JSON and YAML documents,
    ``viewer_url`` the page with the AsyncAPI React viewer."""
    page = _Page(spec)
    return page.render(document_url, viewer_url)


class _Page:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.schemas: Mapping[str, Any] = spec.schemas
        titles = [schema.get("title", key) for key, schema in spec.schemas.items()]
        # a title two schemas share (two classes named Point) is shown as the key
        self.names = {
            key: title if titles.count(title) == 1 else key
            for (key, title) in zip(spec.schemas, titles, strict=True)
        }

    # -- layout ----------------------------------------------------------------------

    def render(self, document_url: str | None, viewer_url: str | None) -> str:
        spec = self.spec
        title = escape(spec.title)
        parts = [
            "<!doctype html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title} {escape(spec.version)}</title>",
            f"<style>{_CSS}</style></head><body><div class=layout>",
            self.nav(),
            "<main>",
            self.header(document_url, viewer_url),
            *(self.channel(channel) for channel in spec.channels),
            self.schema_section(),
            "</main></div></body></html>",
        ]
        return "\n".join(parts) + "\n"

    def nav(self) -> str:
        out = ['<nav aria-label="Contents">', f"<strong>{escape(self.spec.title)}</strong>"]
        for channel in self.spec.channels:
            out.append(f'<h2><a href="#{_id(channel.key)}">{escape(channel.namespace)}</a></h2>')
            out.append("<ul>")
            for op in channel.operations:
                arrow = "&rarr;" if op.action == "receive" else "&larr;"
                out.append(
                    f'<li><a href="#{_id(op.key)}">{arrow} <code>{escape(op.event)}</code></a></li>'
                )
            out.append("</ul>")
        if self.schemas:
            out.append('<h2><a href="#schemas">Schemas</a></h2><ul>')
            out += [
                f'<li><a href="#{_id("schema-" + key)}"><code>{escape(name)}</code></a></li>'
                for key, name in self.names.items()
            ]
            out.append("</ul>")
        out.append("</nav>")
        return "\n".join(out)

    def header(self, document_url: str | None, viewer_url: str | None) -> str:
        spec = self.spec
        meta = [f"<span>Version <strong>{escape(spec.version)}</strong></span>"]
        if document_url:
            url = escape(document_url, quote=True)
            meta.append(
                f'<span>AsyncAPI: <a href="{url}.json">JSON</a> · <a href="{url}.yaml">YAML</a>'
                "</span>"
            )
        if viewer_url:
            meta.append(
                f'<span><a href="{escape(viewer_url, quote=True)}">AsyncAPI viewer</a></span>'
            )
        if spec.license:
            meta.append(f"<span>License: {_link(spec.license)}</span>")
        if spec.contact:
            meta.append(f"<span>Contact: {_link(spec.contact)}</span>")
        out = ["<header>", f"<h1>{escape(spec.title)}</h1>", f"<p class=meta>{''.join(meta)}</p>"]
        out.append(_text(spec.description))
        if spec.servers:
            out.append("<h3>Servers</h3><ul>")
            for name, server in spec.servers.items():
                where = server.get("url") or f"{server.get('host', '')}{server.get('pathname', '')}"
                line = (
                    f"<code>{escape(str(server.get('protocol', '')))}://{escape(str(where))}</code>"
                )
                desc = server.get("description")
                extra = f" — {escape(str(desc))}" if desc else ""
                out.append(f"<li><strong>{escape(name)}</strong>: {line}{extra}</li>")
            out.append("</ul>")
        out.append("</header>")
        return "\n".join(out)

    def channel(self, channel: Channel) -> str:
        received = [op for op in channel.operations if op.action == "receive"]
        sent = [op for op in channel.operations if op.action == "send"]
        out = [
            f'<section class=channel id="{_id(channel.key)}">',
            f"<h2>Namespace <code>{escape(channel.namespace)}</code></h2>",
        ]
        if channel.description and channel.description != self.spec.description:
            out.append(_text(channel.description))
        if channel.auth is not None:
            out.append(f'<h3 id="{_id(channel.key + ".auth")}">Connecting</h3>')
            out.append(
                "<p class=desc>The client sends this <code>auth</code> payload when it "
                "connects; a connection whose <code>auth</code> breaks it is refused "
                "(<code>connect_error</code> with code <code>invalid_auth</code>).</p>"
            )
            out.append(self.describe(channel.auth))
        out.append("<h3>Client &rarr; server</h3>")
        out += [self.operation(channel, op) for op in received] or ["<p class=none>None.</p>"]
        out.append("<h3>Server &rarr; client</h3>")
        out += [self.operation(channel, op) for op in sent]
        out.append("</section>")
        return "\n".join(out)

    def operation(self, channel: Channel, op: Operation) -> str:
        label = "client &rarr; server" if op.action == "receive" else "server &rarr; client"
        out = [
            f'<article id="{_id(op.key)}">',
            f'<h4><span class="dir {op.action}">{label}</span><code>{escape(op.event)}</code></h4>',
            _text(op.description),
            "<h5>Payload</h5>" if op.action == "send" else "<h5>Request</h5>",
            self.payload(op.message),
        ]
        if op.message.examples:
            out.append("<h5>Examples</h5>")
            out += [_json(example) for example in op.message.examples]
        errors = [reply for reply in op.replies if reply.kind == "declared_error"]
        for reply in op.replies:
            if reply.kind == "declared_error":
                continue
            if reply.kind == "error_ack":
                out.append("<h5>Error ack</h5>")
                out.append(
                    "<p class=desc>When the request is rejected or the handler fails, the ack is "
                    f"{self.type_of(reply.payload or {})} instead; see "
                    f'<a href="#{_id("schema-" + _ref_key(reply.payload))}">the error object</a>.'
                    "</p>"
                )
            else:
                heading = "Ack" if reply.kind == "ack" else "Client ack"
                out.append(f"<h5>{heading}</h5>")
                out.append(self.payload(reply))
                if errors:
                    out.append(self.errors(op, errors))
        if op.action == "receive" and not op.replies:
            out.append("<h5>Ack</h5><p class=none>No ack.</p>")
        if op.emits:
            links = ", ".join(
                f'<a href="#{_id(_emit_key(channel, name))}"><code>{escape(name)}</code></a>'
                for name in op.emits
            )
            out.append(f"<h5>May emit</h5><p class=desc>{links}</p>")
        out.append("</article>")
        return "\n".join(out)

    def errors(self, op: Operation, errors: list[Message]) -> str:
        """The application errors that may answer instead of the ack: code, description
        and the type of the error's ``data``."""
        who = "handler" if op.action == "receive" else "client's handler"
        rows = [
            f'<tr id="{_id(f"error-{op.key}.{error.code}")}">'
            f"<td data-label=Code><code>{escape(error.code or '')}</code></td>"
            f"<td data-label=Data>{self.type_of(error.data or {})}</td>"
            f"<td data-label=Description>{_cell(error.description)}</td>"
            "</tr>"
            for error in errors
        ]
        return (
            "<h5>Errors</h5>"
            f"<p class=desc>The {who} may answer with one of these errors instead: the "
            "error object, its <code>code</code> one of these, its <code>data</code> the "
            "error's type.</p>"
            "<div class=table><table class=errors><thead><tr><th>Code</th><th>Data</th>"
            "<th>Description</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
        )

    # -- schemas ---------------------------------------------------------------------

    def payload(self, message: Message) -> str:
        if message.payload is None:
            if message.kind in ("ack", "client_ack"):
                return "<p class=none>Acknowledged with no value.</p>"
            return "<p class=none>No payload.</p>"
        schema = message.payload
        if message.arity > 1:
            items = schema.get("items", [])
            rows = [
                f"<li>Argument {i + 1}{_arg_name(item)}: {self.describe(item)}</li>"
                for i, item in enumerate(items)
            ]
            return f"<p class=desc>{message.arity} arguments:</p><ol>{''.join(rows)}</ol>"
        return self.describe(schema)

    def describe(self, schema: Mapping[str, Any]) -> str:
        """A schema as a table when it is an object, else one line."""
        target = self.resolve(schema)
        if target.get("type") == "object" and "properties" in target:
            head = ""
            if "$ref" in schema:
                head = _described(self.type_of(schema), ": ", target.get("description"))
            return head + self.table(target)
        line = self.type_of(schema)
        notes = _constraints(target)
        if notes:
            line += f" <span class=meta>({escape(', '.join(notes))})</span>"
        return _described(line, " — ", target.get("description"))

    def table(self, schema: Mapping[str, Any]) -> str:
        required = set(schema.get("required", ()))
        rows = []
        for name, prop in schema.get("properties", {}).items():
            target = self.resolve(prop)
            desc = prop.get("description") or ("" if target is prop else target.get("description"))
            notes = ", ".join(_constraints(prop))
            # on a phone each row stacks, its cells labelled (data-label, see _CSS)
            rows.append(
                "<tr>"
                f"<td data-label=Field><code>{escape(name)}</code></td>"
                f"<td data-label=Type>{self.type_of(prop)}</td>"
                f"<td class=req data-label=Required>"
                f"{'required' if name in required else 'optional'}</td>"
                f"<td data-label=Constraints>{escape(notes)}</td>"
                f"<td data-label=Description>{_inline(desc or '')}</td>"
                "</tr>"
            )
        extra = ""
        if schema.get("additionalProperties") is False:
            extra = "<p class=meta>No other fields are accepted.</p>"
        return (
            "<div class=table><table><thead><tr><th>Field</th><th>Type</th><th>Required</th>"
            "<th>Constraints</th><th>Description</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table></div>"
            + extra
        )

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            found: Mapping[str, Any] = self.schemas[ref[len(REF) :]]
            return found
        return schema

    def type_of(self, schema: Mapping[str, Any]) -> str:
        """A short, linked type expression: ``array of <Point>``, ``string or null``."""
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            key = ref[len(REF) :]
            name = self.names[key]
            return f'<a href="#{_id("schema-" + key)}"><code>{escape(name)}</code></a>'
        for union in ("anyOf", "oneOf"):
            if union in schema:
                return " or ".join(self.type_of(sub) for sub in schema[union])
        if "enum" in schema:
            return "one of " + ", ".join(
                f"<code>{escape(json.dumps(v))}</code>" for v in schema["enum"]
            )
        if "const" in schema:
            return f"<code>{escape(json.dumps(schema['const']))}</code>"
        kind = schema.get("type")
        if kind == "array":
            items = schema.get("items")
            if isinstance(items, list):
                return "[" + ", ".join(self.type_of(sub) for sub in items) + "]"
            if isinstance(items, Mapping):
                return f"array of {self.type_of(items)}"
            return "array"
        if kind == "object":
            values = schema.get("additionalProperties")
            if isinstance(values, Mapping) and "properties" not in schema:
                return f"object of {self.type_of(values)}"
            return "object"
        if isinstance(kind, str):
            return kind
        return "any value"

    def schema_section(self) -> str:
        if not self.schemas:
            return ""
        out = ['<section class=channel id="schemas"><h2>Schemas</h2>']
        for key, schema in self.schemas.items():
            name = escape(self.names[key])
            out.append(f'<article id="{_id("schema-" + key)}"><h4><code>{name}</code></h4>')
            out.append(self.describe(schema))
            out.append("</article>")
        out.append("</section>")
        return "\n".join(out)


def _ref_key(schema: Mapping[str, Any] | None) -> str:
    ref = (schema or {}).get("$ref", "")
    return ref[len(REF) :] if isinstance(ref, str) else ""


def _emit_key(channel: Channel, name: str) -> str:
    for op in channel.operations:
        if op.action == "send" and op.event == name:
            return op.key
    return channel.key


def _id(key: str) -> str:
    return escape(key, quote=True)


def _text(text: str | None) -> str:
    """A description's paragraphs (and lists, quotes, code blocks) as HTML."""
    if not text or not text.strip():
        return ""
    return f"<div class=desc>{str(_MARKDOWN.render(text))}</div>"


def _arg_name(item: Mapping[str, Any]) -> str:
    """An argument's name, when the declaration gives one
    (``Annotated[str, msgspec.Meta(title="room")]``)."""
    title = item.get("title")
    return f", <code>{escape(title)}</code>" if isinstance(title, str) and title else ""


def _described(line: str, sep: str, description: str | None) -> str:
    """``line`` (HTML) with a description: on the same line when it is one paragraph,
    else below it."""
    if not description or not description.strip():
        return f"<p class=desc>{line}</p>"
    if "\n\n" in description.strip():
        return f"<p class=desc>{line}</p>{_text(description)}"
    return f"<p class=desc>{line}{sep}{_inline(description.strip())}</p>"


def _cell(text: str | None) -> str:
    """A description in a table cell: inline when it is one paragraph, else blocks."""
    if not text or not text.strip():
        return ""
    return _text(text) if "\n\n" in text.strip() else _inline(text.strip())


def _inline(text: str) -> str:
    """A description as one run of inline HTML, for a table cell or after a type."""
    return str(_MARKDOWN.renderInline(text))


def _markdown() -> MarkdownIt:
    """Descriptions are CommonMark in AsyncAPI, rendered here by markdown-it-py: code
    spans, emphasis, links, lists, quotes and code blocks. Nothing a description holds
    can put markup of its own into the page: raw HTML is shown as text, images (which
    would load from elsewhere) are not rendered, and markdown-it refuses ``javascript:``,
    ``vbscript:``, ``file:`` and ``data:`` links. Headings are not rendered as headings,
    to keep the page's outline."""
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(["image", "heading", "lheading", "html_block", "html_inline"])
    return md


_MARKDOWN = _markdown()


def _json(value: Any) -> str:
    return f"<pre>{escape(json.dumps(value, indent=2, ensure_ascii=False))}</pre>"


def _link(obj: Mapping[str, str]) -> str:
    name = escape(obj.get("name", obj.get("url", "")))
    url = obj.get("url")
    if url and url.startswith(("https://", "http://")):
        return f'<a href="{escape(url, quote=True)}">{name}</a>'
    return name


_LABELS = (
    ("minimum", "≥ {}"),
    ("exclusiveMinimum", "> {}"),
    ("maximum", "≤ {}"),
    ("exclusiveMaximum", "< {}"),
    ("multipleOf", "multiple of {}"),
    ("minLength", "length ≥ {}"),
    ("maxLength", "length ≤ {}"),
    ("pattern", "matches {}"),
    ("format", "format {}"),
    ("contentEncoding", "{} encoded"),
    ("minItems", "items ≥ {}"),
    ("maxItems", "items ≤ {}"),
    ("minProperties", "fields ≥ {}"),
    ("maxProperties", "fields ≤ {}"),
)


# equal bounds read as one: "exactly 3 items", not "items ≥ 3, items ≤ 3"
_EXACTLY = (
    ("minimum", "maximum", "= {}"),
    ("minLength", "maxLength", "length {}"),
    ("minItems", "maxItems", "exactly {} items"),
    ("minProperties", "maxProperties", "exactly {} fields"),
)


def _constraints(schema: Mapping[str, Any]) -> list[str]:
    equal = {
        low: label.format(schema[low])
        for low, high, label in _EXACTLY
        if low in schema and schema.get(high) == schema[low]
    }
    skip = {high for low, high, _ in _EXACTLY if low in equal}
    notes = [
        equal.get(key) or label.format(schema[key])
        for key, label in _LABELS
        if key in schema and key not in skip
    ]
    if schema.get("uniqueItems"):
        notes.append("unique items")
    if "default" in schema:
        notes.append(f"default {json.dumps(schema['default'])}")
    if "examples" in schema:
        notes.append("e.g. " + ", ".join(json.dumps(e) for e in schema["examples"]))
    return notes
