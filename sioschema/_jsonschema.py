"""JSON Schema for the documents: msgspec's output, in the dialect AsyncAPI reads.

The one JSON Schema step of the neutral description (:mod:`sioschema._spec`): the
AsyncAPI documents, the docs page and the TypeScript contract all read these schemas.
It knows only types, never a registry.

msgspec writes JSON Schema 2020-12. The AsyncAPI Schema Object (2.x and 3.x) is a
superset of draft-07, so four things are rewritten, nothing else is generated here:

- tuples: ``prefixItems`` + ``items`` become ``items: [...]`` + ``additionalItems``;
- ``discriminator``: an OpenAPI object in msgspec, the property name (a string) in AsyncAPI;
- component keys: sanitised to ``^[\\w\\d.\\-_]+$`` and kept unique, with every ``$ref``
  following the new key;
- ``pattern``: the server checks it with Python's ``re``, readers of the document with
  JavaScript's ``RegExp`` (``u`` mode): it is written in JavaScript's spelling of the same
  pattern (:func:`~sioschema._regex.js_pattern`; ``$`` becomes ``(?=\\n?$)``, ``\\Z``
  becomes ``$``). What has no exact spelling was refused when the registry was created.

Two things are made independent of the msgspec release: every ``description`` is rendered
by sioschema's own rule (:func:`~sioschema._text.clean_text`), and ``{"type": "null"}`` comes
last in an ``anyOf`` (msgspec before 0.22 put it first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import msgspec

from ._regex import js_pattern
from ._text import clean_text

__all__ = ["REF", "Schemas", "unique_key"]

REF = "#/components/schemas/"
_UNSAFE = re.compile(r"[^\w.\-]")


def unique_key(name: str, taken: set[str]) -> str:
    """``name`` made safe for a component key and not yet in ``taken`` (then taken)."""
    base = _UNSAFE.sub("_", name) or "_"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}_{n}"
    taken.add(key)
    return key


class Schemas:
    """The schemas of a set of types, generated together so names never collide.

    msgspec already names two classes called ``Point`` from different modules apart
    (``a.Point``, ``b.Point``); keys are then sanitised (``<locals>`` in a nested class's
    name is not a valid key) and every reference is rewritten to match.
    """

    def __init__(self, types: Iterable[Any]) -> None:
        self._types = list(dict.fromkeys(types))
        generated = msgspec.json.schema_components(self._types, ref_template=REF + "{name}")
        # through JSON once, so defaults and examples are plain JSON values (a tuple
        # default becomes a list), exactly as a reader of the document sees them
        schemas, components = msgspec.json.decode(msgspec.json.encode(generated))
        taken: set[str] = set()
        renames = {name: unique_key(name, taken) for name in sorted(components)}
        self._by_type = {
            tp: _draft07(schema, renames) for tp, schema in zip(self._types, schemas, strict=True)
        }
        self.components: dict[str, Any] = {
            renames[name]: _draft07(components[name], renames) for name in sorted(components)
        }

    def of(self, tp: Any) -> dict[str, Any]:
        """The schema of one type (often a ``$ref`` into :attr:`components`)."""
        return dict(self._by_type[tp])

    def args(self, types: tuple[Any, ...]) -> dict[str, Any] | None:
        """The payload schema of an argument list: ``None`` for no argument, the
        argument's schema for one, a fixed-length array (a tuple) for several."""
        if not types:
            return None
        if len(types) == 1:
            return self.of(types[0])
        return {
            "type": "array",
            "items": [self.of(t) for t in types],
            "additionalItems": False,
            "minItems": len(types),
            "maxItems": len(types),
        }


_NULL = {"type": "null"}
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})
_SCHEMA_LISTS = frozenset({"anyOf", "oneOf", "allOf", "prefixItems"})
_SCHEMA_ONE = frozenset(
    {"items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames"}
)


def _draft07(schema: Any, renames: dict[str, str]) -> Any:
    """Rewrite one schema; values such as ``examples``, ``default`` or ``enum`` are data
    and are copied untouched."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_MAPS:
            out[key] = {name: _draft07(sub, renames) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS:
            out[key] = [_draft07(sub, renames) for sub in value]
            if key == "anyOf":  # msgspec's order for `X | None` changed in 0.22: null last
                out[key].sort(key=lambda sub: sub == _NULL)
        elif key in _SCHEMA_ONE:
            out[key] = _draft07(value, renames)
        elif key == "$ref" and isinstance(value, str) and value.startswith(REF):
            out[key] = REF + renames[value[len(REF) :]]
        elif key == "pattern" and isinstance(value, str):
            out[key] = js_pattern(value)
        elif key == "description" and isinstance(value, str):
            text = clean_text(value)
            if text is not None:
                out[key] = text
        else:
            out[key] = value
    if "prefixItems" in out:
        rest = out.pop("items", True)
        out["items"] = out.pop("prefixItems")
        out["additionalItems"] = rest
    discriminator = out.get("discriminator")
    if isinstance(discriminator, dict):
        out["discriminator"] = discriminator["propertyName"]
    return out
