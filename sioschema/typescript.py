"""The TypeScript contract of registries, for clients on socket.io-client.

::

    from sioschema import typescript

    text = typescript.render(TicTacToe)              # one module of TypeScript source
    text = typescript.render([Game, Chat], error_event="oops")

The types are written from the JSON Schema the AsyncAPI document carries (the same
:class:`~sioschema._spec.Spec`, built from ``msgspec.json.schema_components``),
never from Python annotations, so the contract and the document cannot disagree. The
output, for each registry ``Api`` (one namespace):

- one type per schema component (``export interface`` for objects with properties,
  ``export type`` for the rest), named after its component key;
- ``ErrorAck``, ``ErrorBody`` and ``ErrorCode``: the pinned error reply;
- ``ApiServerToClientEvents`` and ``ApiClientToServerEvents``: socket.io-client event
  maps. A client event's last parameter is its ack callback, whose value is the declared
  ack or ``ErrorAck``; an emit that expects a client ack takes a callback too; the error
  event (``error_event``) carries an ``ErrorAck``;
- for each declared error (``errors=``), ``<Data>Error``: its envelope, with the literal
  ``code`` and typed ``data``, in the ack callbacks of the events (and emits) that
  declare it; with any, the module also exports ``isError``, a guard that narrows an ack
  to its error replies (checking the envelope's shape at run time);
- ``ApiAuth``: the ``auth`` payload the namespace checks on connect;
- ``ApiSocket``: ``Socket<ApiServerToClientEvents, ApiClientToServerEvents>``.

What TypeScript cannot say is kept as doc comments, one ``@keyword value`` per JSON
Schema keyword: bounds, lengths, patterns, formats, ``uniqueItems``, defaults, examples,
``additionalProperties: false``. docs/clients.md lists what the output covers and what
it cannot express.

This module reads registries (through :mod:`sioschema.inspect` and the neutral
description the AsyncAPI documents are laid out from too) and never imports a server
library.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import _spec
from ._jsonschema import REF
from .inspect import RegistryInfo, by_namespace

if TYPE_CHECKING:
    from ._registry import EventRegistry

__all__ = ["render"]

_ERROR_ACK = "ErrorAck"
_ERROR_BODY = "ErrorBody"
_ERROR_CODE = "ErrorCode"
_SOCKET = "Socket"
_CODE_KEY = "#ErrorCode"
"""The key of the error-code union among the components (``#`` is never in a real key)."""

# Names a type cannot take (tsc refuses each as an interface name): JavaScript's reserved
# words, TypeScript's predefined types and type operators; and the name the module imports.
_RESERVED = frozenset(
    """
    break case catch class const continue debugger default delete do else enum export
    extends false finally for function if import in instanceof new null return super
    switch this throw true try typeof var void while with implements interface let
    package private protected public static yield await any unknown never number bigint
    boolean string symbol object undefined infer keyof readonly unique intrinsic
    """.split()
) | {_SOCKET}
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
# ... and what an argument's parameter may not be called (``ack`` is the callback's)
_RESERVED_PARAMS = _RESERVED | {"ack"}

# JSON Schema keywords that make the TypeScript type; every other keyword becomes a
# doc comment (``@keyword value``).
_SHAPE = frozenset(
    {
        "$ref",
        "type",
        "enum",
        "const",
        "anyOf",
        "oneOf",
        "allOf",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "additionalItems",
        "description",
        "title",
    }
)

_WIDTH = 100
"""Doc comments are wrapped to this many columns (type expressions are not)."""

# precedence of a type expression: where it may stand without parentheses
_UNION, _INTERSECTION, _ATOM = 0, 1, 2


def render(
    registries: type[EventRegistry] | Iterable[type[EventRegistry]],
    *,
    error_event: str = "error",
) -> str:
    """Render one registry, or several (one per namespace), as a TypeScript module.

    The module holds only types (``export interface`` / ``export type`` and one
    ``import type { Socket } from "socket.io-client"``), so it can be saved as ``.ts`` or
    ``.d.ts`` and compiles under ``--strict``, ``--isolatedModules`` and
    ``--verbatimModuleSyntax``; when an event or emit declares errors, it also exports
    the ``isError`` function, and is then a ``.ts`` module. The same registries give the
    same text, byte for byte.

    :param error_event: the event name the server uses for errors when the client asked
        for no ack (the server's ``error_event=``).
    :raises ValueError: for no registry.
    :raises RegistryError: for something that is not a registry, two registries for one
        namespace, or an ``error_event`` the servers would refuse.
    """
    items = [registries] if isinstance(registries, type) else list(registries)
    spec = _spec.build(items, error_event=error_event)
    infos = by_namespace(items)
    return _Contract(spec, [infos[channel.namespace] for channel in spec.channels]).text()


class _Contract:
    """One rendering: the names of every type, then the text."""

    def __init__(self, spec: _spec.Spec, infos: list[RegistryInfo]) -> None:
        self.spec = spec
        self.infos = infos
        self.components, error_ack, error_body = _error_components(spec)
        # the error reply's three types and the entry points of each namespace keep
        # their plain names; a payload type named like one of them gives way
        self.names: dict[str, str] = {
            error_ack: _ERROR_ACK,
            error_body: _ERROR_BODY,
            _CODE_KEY: _ERROR_CODE,
        }
        self.error_keys = list(self.names)
        taken = set(_RESERVED) | set(self.names.values())
        self.prefixes: list[str] = []
        for found in infos:
            base = _identifier(found.registry.__name__)
            prefix, n = base, 1
            while any(f"{prefix}{suffix}" in taken for suffix in _PER_NAMESPACE):
                n += 1
                prefix = f"{base}_{n}"
            taken.update(f"{prefix}{suffix}" for suffix in _PER_NAMESPACE)
            self.prefixes.append(prefix)
        for key in sorted(self.components):
            if key not in self.names:
                self.names[key] = _unique(_identifier(key), taken)
        # one envelope type per declared error (code and data type), shared by the
        # events that declare it, named after its data type
        self.declared: dict[tuple[str, str], tuple[str, _spec.Message]] = {}
        for channel in spec.channels:
            for op in channel.operations:
                for message in op.replies:
                    which = _declared_key(message)
                    if which is not None and which not in self.declared:
                        base = self._expr(message.data, comment=False)[0]
                        base = base if _IDENTIFIER.fullmatch(base) else _identifier(which[0])
                        self.declared[which] = (_unique(f"{base}Error", taken), message)

    # -- the module

    def text(self) -> str:
        """The whole module: header, error types, payload types by name, namespaces."""
        out = _header(self.infos, self.spec.error_event)
        out.append('import type { Socket } from "socket.io-client";')
        payloads = sorted(
            (name, key) for key, name in self.names.items() if key not in self.error_keys
        )
        for key in [*self.error_keys, *(key for _, key in payloads)]:
            out += ["", *self._declaration(key, self.names[key])]
        for name, message in self.declared.values():
            out += ["", *self._envelope(name, message)]
        if self.declared:
            out += ["", *_GUARD.split("\n")]
        for channel, found, prefix in zip(
            self.spec.channels, self.infos, self.prefixes, strict=True
        ):
            out += ["", *self._namespace(channel, found, prefix)]
        return "\n".join(out) + "\n"

    def _declaration(self, key: str, name: str) -> list[str]:
        schema = self.components[key]
        doc = _doc_block(_annotations(schema, component=True), "")
        if _is_interface(schema):
            return [*doc, f"export interface {name} {{", *self._members(schema, "  "), "}"]
        if key == _CODE_KEY:
            doc = _doc_block([("", "The `code` of an error reply (sioschema/errors.py).")], "")
        text, prec = self._expr(schema, comment=False)
        line = f"export type {name} = {text};"
        if len(line) > _WIDTH and prec == _UNION and "enum" in schema:
            values = text.split(" | ")
            return [
                *doc,
                f"export type {name} =",
                *(f"  | {v}" for v in values[:-1]),
                f"  | {values[-1]};",
            ]
        return [*doc, line]

    def _envelope(self, name: str, message: _spec.Message) -> list[str]:
        """The error reply that carries one declared error: its literal ``code``, its
        ``data`` typed."""
        notes = [("", message.description or f"The application error `{message.code}`.")]
        data = self._expr(message.data)[0]
        return [
            *_doc_block(notes, ""),
            f"export interface {name} {{",
            "  error: {",
            f"    code: {_literal(message.code)};",
            "    message: string;",
            "    path: null;",
            "    event: string;",
            f"    data: {data};",
            "  };",
            "}",
        ]

    def _errors_of(self, op: _spec.Operation) -> list[tuple[str, int]]:
        """The envelope types of the errors ``op`` declares, in declaration order."""
        return [
            (self.declared[key][0], _ATOM)
            for key in map(_declared_key, op.replies)
            if key is not None
        ]

    def _members(self, schema: Mapping[str, Any], indent: str) -> list[str]:
        """The properties of an object, one per line, each after its doc comment.

        No index signature, even where the schema allows unknown fields: TypeScript's
        object types are open already, and ``[key: string]: unknown`` would make a
        misspelt property read as ``unknown`` instead of an error.
        """
        required = set(schema.get("required", ()))
        lines: list[str] = []
        for prop, sub in schema.get("properties", {}).items():
            lines += _doc_block(_annotations(sub), indent)
            optional = "" if prop in required else "?"
            lines.append(f"{indent}{_key(prop)}{optional}: {self._expr(sub, comment=False)[0]};")
        return lines

    def _namespace(self, channel: _spec.Channel, found: RegistryInfo, prefix: str) -> list[str]:
        where = f"{found.title} (namespace `{channel.namespace}`)"
        listen: list[tuple[str, list[str]]] = []
        send: list[tuple[str, list[str]]] = []
        for op in channel.operations:
            if op.action == "receive":
                send.append((op.event, self._client_event(op)))
            else:
                listen.append((op.event, self._server_event(op)))
        out = _doc_block([("", f"{where}: the events the server sends (`socket.on`).")], "")
        out.append(f"export interface {prefix}ServerToClientEvents {{")
        for _, lines in sorted(listen):
            out += lines
        out += ["}", ""]
        out += _doc_block(
            [
                (
                    "",
                    f"{where}: the events a client sends (`socket.emit`, "
                    "`socket.emitWithAck`); the last parameter is the ack callback.",
                )
            ],
            "",
        )
        out.append(f"export interface {prefix}ClientToServerEvents {{")
        for _, lines in sorted(send):
            out += lines
        out += ["}", ""]
        if channel.auth is None:
            auth_doc = (
                "The `auth` payload of a connection: not declared, the server does not check it."
            )
            auth = "{ [key: string]: unknown }"
        else:
            auth_doc = "The `auth` payload the server checks on connect: `io(url, { auth })`."
            auth = self._expr(channel.auth)[0]
        out += [*_doc_block([("", auth_doc)], ""), f"export type {prefix}Auth = {auth};", ""]
        url = "origin" if channel.namespace == "/" else f"origin + {json.dumps(channel.namespace)}"
        notes = [
            ("", f"A socket.io-client socket on namespace `{channel.namespace}`:"),
            ("", f"`const socket: {prefix}Socket = io({url});`"),
        ]
        out += _doc_block(notes, "")
        out.append(
            f"export type {prefix}Socket = Socket<{prefix}ServerToClientEvents, "
            f"{prefix}ClientToServerEvents>;"
        )
        return out

    def _client_event(self, op: _spec.Operation) -> list[str]:
        handler_ack = op.replies[0]
        params = self._params("req", op.message)
        acks = self._args(handler_ack)
        declared = self._errors_of(op)
        params.append(f"ack: {_callback(acks, [*declared, (_ERROR_ACK, _ATOM)])}")
        notes = [("", op.description)] if op.description else []
        if op.emits:
            notes.append(("", "The server may emit while handling it: " + _names(op.emits) + "."))
        if handler_ack.arity == 0:
            notes.append(("", "Acknowledged with no value, or with an `ErrorAck`."))
        if declared:
            notes.append(
                (
                    "",
                    "It may be answered with a declared error instead: "
                    + _names(self.declared[k][1].code or "" for k in _declared_keys(op))
                    + " (`isError(res)`, then `res.error.code`).",
                )
            )
        if op.message.examples:
            notes.append(("examples", _json(list(op.message.examples))))
        return [*_doc_block(notes, "  "), *_member(op.event, params)]

    def _server_event(self, op: _spec.Operation) -> list[str]:
        if op.message.kind == "error_event":
            params = [f"err: {_ERROR_ACK}"]
        else:
            params = self._params("payload", op.message)
        declared = self._errors_of(op)
        if op.replies and not declared:
            acks = self._params("res", op.replies[0])
            params.append(f"ack: ({', '.join(acks)}) => void")
        elif op.replies:
            params.append(f"ack: {_callback(self._args(op.replies[0]), declared)}")
        notes = [("", op.description)] if op.description else []
        if op.replies:
            notes.append(("", "Answer with the `ack` callback; the server checks the value."))
        if declared:
            notes.append(
                (
                    "",
                    "The `ack` may answer with a declared error instead: "
                    + _names(self.declared[k][1].code or "" for k in _declared_keys(op))
                    + ".",
                )
            )
        if op.message.examples:
            notes.append(("examples", _json(list(op.message.examples))))
        return [*_doc_block(notes, "  "), *_member(op.event, params)]

    def _args(self, message: _spec.Message) -> list[tuple[str, int]]:
        """The type of each argument of a message (a doc comment in front when the
        argument's schema has keywords TypeScript cannot say)."""
        if message.payload is None:
            return []
        schemas = [message.payload] if message.arity == 1 else message.payload["items"]
        return [self._expr(schema) for schema in schemas]

    def _params(self, name: str, message: _spec.Message) -> list[str]:
        """The parameters of a message's arguments: ``payload``, or ``payload1``,
        ``payload2``... for several, each named by its schema's ``title`` instead when
        the declaration gives one (``Annotated[str, msgspec.Meta(title="room")]``) that
        is a plain identifier, used once."""
        args = self._args(message)
        if len(args) <= 1:
            return [f"{name}: {text}" for text, _ in args]
        items = message.payload["items"]  # type: ignore[index]
        titles = [item.get("title") for item in items]
        params = []
        for i, (title, item, (text, _)) in enumerate(zip(titles, items, args, strict=True), 1):
            if (
                isinstance(title, str)
                and _IDENTIFIER.fullmatch(title)
                and titles.count(title) == 1
                and title not in _RESERVED_PARAMS
            ):  # the title names the parameter: no need to repeat it in a comment
                text = self._expr({k: v for k, v in item.items() if k != "title"})[0]
                params.append(f"{title}: {text}")
            else:
                params.append(f"{name}{i}: {text}")
        return params

    # -- type expressions

    def _expr(self, schema: Any, *, comment: bool = True) -> tuple[str, int]:
        """A TypeScript type for ``schema`` and its precedence; with ``comment``, the
        keywords TypeScript cannot say come first as ``/* ... */``."""
        text, prec = self._shape(schema)
        if comment and isinstance(schema, Mapping):
            note = _inline_comment(_annotations(schema))
            if note:
                return f"{note} {text}", _UNION
        return text, prec

    def _shape(self, schema: Any) -> tuple[str, int]:
        """The TypeScript type of ``schema`` (no comment) and its precedence: what it
        names or combines (:meth:`_combined`), else what its ``type`` says
        (:meth:`_typed`)."""
        if schema is True or schema == {}:
            return "unknown", _ATOM
        if schema is False:
            return "never", _ATOM
        if not isinstance(schema, Mapping):
            return "unknown", _ATOM
        combined = self._combined(schema)
        return combined if combined is not None else self._typed(schema)

    def _combined(self, schema: Mapping[str, Any]) -> tuple[str, int] | None:
        """The type ``schema`` names (``$ref``), fixes (``const``, ``enum``) or combines
        (``anyOf`` / ``oneOf``, ``allOf``), checked in that order; ``None`` for a schema
        with none of these keywords."""
        if "$ref" in schema:
            return self.names[_ref_key(schema)], _ATOM
        if "const" in schema:
            return _literal(schema["const"]), _ATOM
        if "enum" in schema:
            values = sorted(schema["enum"], key=lambda v: v is None)  # null last
            return _join([(_literal(v), _ATOM) for v in values], " | ")
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return _join([self._expr(sub) for sub in schema[key]], " | ")
        if "allOf" in schema:
            return _join([self._expr(sub) for sub in schema["allOf"]], " & ")
        return None

    def _typed(self, schema: Mapping[str, Any]) -> tuple[str, int]:
        """The type of ``schema``'s ``type`` (a union for a list of types); without one,
        an array where it has ``items``, an object where it has ``properties``."""
        kind = schema.get("type")
        if isinstance(kind, list):
            return _join([self._shape({**schema, "type": one}) for one in kind], " | ")
        if kind == "array" or (kind is None and "items" in schema):
            return self._array(schema)
        if kind == "object" or (kind is None and "properties" in schema):
            return self._object(schema)
        return _PRIMITIVES.get(str(kind), "unknown"), _ATOM

    def _array(self, schema: Mapping[str, Any]) -> tuple[str, int]:
        items = schema.get("items", True)
        if not isinstance(items, list):
            element, prec = self._expr(items)
            return (f"{element}[]" if prec == _ATOM else f"({element})[]"), _ATOM
        need = schema.get("minItems", len(items))
        parts = [self._expr(sub)[0] + ("" if i < need else "?") for i, sub in enumerate(items)]
        rest = schema.get("additionalItems", True)
        if rest is not False:
            element, prec = self._expr(rest)
            parts.append(f"...{element}[]" if prec == _ATOM else f"...({element})[]")
        return f"[{', '.join(parts)}]", _ATOM

    def _object(self, schema: Mapping[str, Any]) -> tuple[str, int]:
        if "properties" in schema:
            required = set(schema.get("required", ()))
            members = [
                f"{_key(prop)}{'' if prop in required else '?'}: {self._expr(sub)[0]};"
                for prop, sub in schema["properties"].items()
            ]
            return "{ " + " ".join(members) + " }", _ATOM
        extra = schema.get("additionalProperties", True)
        value = self._expr(extra)[0] if extra is not False else "never"
        names = schema.get("propertyNames")
        if isinstance(names, Mapping) and ("enum" in names or "const" in names):
            keys = self._shape(names)[0]
            return f"{{ [key in {keys}]?: {value} }}", _ATOM
        return f"{{ [key: string]: {value} }}", _ATOM


_PRIMITIVES = {
    "string": "string",
    "integer": "number",
    "number": "number",
    "boolean": "boolean",
    "null": "null",
}
"""JSON Schema's ``type`` in TypeScript: integers are ``number`` (see docs/clients.md)."""

_PER_NAMESPACE = ("ServerToClientEvents", "ClientToServerEvents", "Auth", "Socket")


def _declared_key(message: _spec.Message) -> tuple[str, str] | None:
    """What tells declared errors apart: their code and the schema of their data."""
    if message.kind != "declared_error" or message.code is None:
        return None
    return message.code, json.dumps(message.data, sort_keys=True)


def _declared_keys(op: _spec.Operation) -> list[tuple[str, str]]:
    return [key for key in map(_declared_key, op.replies) if key is not None]


def _callback(acks: list[tuple[str, int]], errors: list[tuple[str, int]]) -> str:
    """An ack callback: the ack's arguments, or one error reply of ``errors``."""
    error = _join(errors, " | ")[0]
    if not acks:
        return f"(res?: {error}) => void"
    if len(acks) == 1:
        return f"(res: {_join([acks[0], *errors], ' | ')[0]}) => void"
    values = ", ".join(text for text, _ in acks)
    return f"(...res: [{values}] | [{error}]) => void"


_GUARD = """\
/**
 * Whether an ack is an error reply (an `ErrorAck` or a declared error), narrowing it:
 * `if (isError(res)) { switch (res.error.code) { ... } }`. It checks the envelope's
 * shape, so an ack that has an `error` field of its own (a string, say) is never
 * taken for one: `error` must be an object with a string `code` and `message` and
 * an `event`.
 *
 * The one value the module exports: save it as `.ts` (not `.d.ts`) and import it
 * with the types, `import { isError, type ... } from "./contract.js"`.
 */
export function isError<T>(
  res: T,
): res is Extract<T, { error: { code: string; message: string; event: string } }> {
  if (typeof res !== "object" || res === null || !("error" in res)) {
    return false;
  }
  const error: unknown = res.error;
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    typeof error.code === "string" &&
    "message" in error &&
    typeof error.message === "string" &&
    "event" in error
  );
}"""


def _member(event: str, params: list[str]) -> list[str]:
    """An event map member: ``name: (params) => void;``, one parameter a line if long."""
    line = f"  {_key(event)}: ({', '.join(params)}) => void;"
    if len(line) <= _WIDTH:
        return [line]
    return [f"  {_key(event)}: (", *(f"    {param}," for param in params), "  ) => void;"]


def _error_message(spec: _spec.Spec) -> _spec.Message:
    """A message whose payload is the error reply: the error ack of a namespace with
    client events, or the error event every namespace has (a namespace of emits only
    has no error ack)."""
    for channel in spec.channels:
        for op in channel.operations:
            for message in (op.message, *op.replies):
                if message.kind in ("error_ack", "error_event"):
                    return message
    msg = "no error reply in the description"  # pragma: no cover - _spec always adds one
    raise AssertionError(msg)


def _ref_key(schema: Any) -> str:
    ref: str = schema["$ref"]
    return ref[len(REF) :]


def _error_components(spec: _spec.Spec) -> tuple[dict[str, Any], str, str]:
    """The components, with the error code union as a component of its own; the keys
    of the error reply and of its body."""
    components = dict(spec.schemas)
    error_ack = _ref_key(_error_message(spec).payload)
    error_body = _ref_key(components[error_ack]["properties"]["error"])
    body = dict(components[error_body])
    properties = dict(body["properties"])
    code = {k: v for k, v in properties["code"].items() if k != "description"}
    properties["code"] = {"$ref": REF + _CODE_KEY}
    components[error_body] = {**body, "properties": properties}
    components[_CODE_KEY] = code
    return components, error_ack, error_body


def _is_interface(schema: Mapping[str, Any]) -> bool:
    if "properties" not in schema or schema.get("type", "object") != "object":
        return False
    return not any(key in schema for key in ("$ref", "enum", "const", "anyOf", "oneOf", "allOf"))


def _identifier(name: str) -> str:
    """``name`` as a TypeScript identifier: other characters become ``_``."""
    text = "".join(ch if ("_" + ch).isidentifier() or ch == "$" else "_" for ch in name)
    if not text or not (text[0].isidentifier() or text[0] == "$"):
        text = "_" + text
    return text


def _unique(name: str, taken: set[str]) -> str:
    key, n = name, 1
    while key in taken:
        n += 1
        key = f"{name}_{n}"
    taken.add(key)
    return key


def _key(name: str) -> str:
    """A property or event name: bare when it is an identifier, else a string."""
    return name if _IDENTIFIER.match(name) else json.dumps(name, ensure_ascii=False)


def _names(events: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in events)


def _join(parts: list[tuple[str, int]], sep: str) -> tuple[str, int]:
    """Types joined by `` | `` or `` & ``, each once, parenthesised where needed."""
    union = sep == " | "
    need = _INTERSECTION if union else _ATOM
    pieces: list[tuple[str, int]] = []
    for text, prec in parts:
        if union and prec == _UNION and not text.startswith("/*"):
            piece = (text, prec)  # a union inside a union needs no parentheses
        elif prec >= need:
            piece = (text, prec)
        else:
            piece = (f"({text})", _ATOM)
        if piece[0] not in [seen for seen, _ in pieces]:
            pieces.append(piece)
    if union and any(text == "unknown" for text, _ in pieces):
        return "unknown", _ATOM
    if len(pieces) == 1:
        return pieces[0]
    return sep.join(text for text, _ in pieces), _UNION if union else _INTERSECTION


def _literal(value: Any) -> str:
    """A JSON value as a TypeScript literal type."""
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        members = [f"{_key(str(k))}: {_literal(v)}" for k, v in value.items()]
        return "{ " + "; ".join(members) + " }"
    return json.dumps(value, ensure_ascii=False)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _annotations(schema: Any, *, component: bool = False) -> list[tuple[str, str]]:
    """What a schema says that its TypeScript type does not: ``("", description)``, then
    ``(keyword, value)`` pairs sorted by keyword."""
    if not isinstance(schema, Mapping):
        return []
    out: list[tuple[str, str]] = []
    if isinstance(schema.get("description"), str):
        out.append(("", schema["description"]))
    tags: list[tuple[str, str]] = []
    if "title" in schema and not component:
        tags.append(("title", _value("title", schema["title"])))
    if "properties" in schema and schema.get("additionalProperties", True) is not True:
        # TypeScript's object types are open: an exact or typed rest is only said here
        tags.append(("additionalProperties", _json(schema["additionalProperties"])))
    names = schema.get("propertyNames")
    if isinstance(names, Mapping) and ("enum" in names or "const" in names):
        schema = {k: v for k, v in schema.items() if k != "propertyNames"}  # in the type
    is_tuple = isinstance(schema.get("items"), list)
    for key, value in schema.items():
        if key in _SHAPE or (is_tuple and key in ("minItems", "maxItems")):
            continue
        if key == "deprecated" and value is True:
            tags.append(("deprecated", ""))
        else:
            tags.append((key, _value(key, value)))
    return out + sorted(tags)


_TEXT_KEYWORDS = frozenset(
    {"pattern", "format", "contentEncoding", "contentMediaType", "title", "discriminator"}
)
"""Keywords whose value is text, written as it is (``@pattern ^[a-z]+$``); the values
of all others are data (``@default "red"``) and written as JSON."""


def _value(key: str, value: Any) -> str:
    if key in _TEXT_KEYWORDS and isinstance(value, str) and "\n" not in value and value:
        return value
    return _json(value)


def _safe(text: str) -> str:
    return text.replace("*/", "*\\/")


def _doc_block(notes: list[tuple[str, str]], indent: str) -> list[str]:
    """A ``/** ... */`` block: text first, then one ``@keyword value`` per line."""
    if not notes:
        return []
    body: list[str] = []
    texts = [text for key, text in notes if not key]
    tags = [f"@{key} {value}".rstrip() for key, value in notes if key]
    width = max(_WIDTH - len(indent) - 3, 40)
    for text in texts:
        if body:
            body.append("")
        for line in _safe(text).split("\n"):
            body += textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [
                ""
            ]
    if texts and tags:
        body.append("")
    body += [_safe(tag) for tag in tags]
    if len(body) == 1:
        return [f"{indent}/** {body[0]} */"]
    return [f"{indent}/**", *(f"{indent} * {line}".rstrip() for line in body), f"{indent} */"]


def _inline_comment(notes: list[tuple[str, str]]) -> str:
    parts = [
        " ".join(text.split()) if not key else f"@{key} {text}".rstrip() for key, text in notes
    ]
    return f"/* {_safe(' '.join(parts))} */" if parts else ""


def _header(infos: list[RegistryInfo], error_event: str) -> list[str]:
    targets = [f"{found.registry.__module__}:{found.registry.__qualname__}" for found in infos]
    command = "python -m sioschema typescript " + " ".join(targets)
    if error_event != "error":
        command += f" --error-event {json.dumps(error_event)}"
    which = "registry" if len(infos) == 1 else "registries"
    lines = [f"// The socket.io-client contract of the sioschema {which}:"]
    lines += [
        f"//   {target} (namespace {json.dumps(found.namespace)})"
        for target, found in zip(targets, infos, strict=True)
    ]
    lines += [
        "// Generated from the JSON Schema of the AsyncAPI document; regenerate, do not edit:",
        f"//   {command}",
    ]
    return lines
