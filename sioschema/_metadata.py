"""The AsyncAPI metadata a registry declares, checked when its class is created.

``servers``, ``contact``, ``license``, ``tags``, ``external_docs`` and ``id`` of an
:class:`~sioschema.EventRegistry` go into the AsyncAPI documents as they are written;
:func:`check_metadata` refuses what would make a document invalid (an unknown field, a
value that is not a URI, a server variable used and not declared ...) with a
:class:`~sioschema.RegistryError` naming the registry and the field. The rules follow
the AsyncAPI 2.6.0 and 3.x schemas and the formats their official parser checks.

This module knows only the declared values: no registry class, no server, no document.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import RegistryError

__all__ = ["check_metadata"]

# RFC 3986: what a URI may hold outside an IPv6 host; anything else is percent-encoded
_URI_CHAR = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2}")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_IPV6_HOST = re.compile(r"^//\[[0-9A-Fa-f:.]+\]")
# the "email" format of the JSON Schema validator the AsyncAPI parser runs (ajv-formats)
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
    re.IGNORECASE,
)
# the fields AsyncAPI allows in each object, besides ``x-`` extensions
_FIELDS: dict[str, tuple[set[str], set[str]]] = {  # allowed, required
    "contact": ({"name", "url", "email"}, set()),
    "license": ({"name", "url"}, {"name"}),
    "external_docs": ({"url", "description"}, {"url"}),
    "tag": ({"name", "description", "externalDocs"}, {"name"}),
}
# the fields of a Server Object that AsyncAPI 2.6.0 and 3.x both allow (title, summary
# and externalDocs are 3.x only; security needs securitySchemes, which registries do not
# declare), with the 2.x ``url`` and the 3.x ``host`` / ``pathname`` that the documents
# convert into each other
_SERVER_FIELDS = {
    "url",
    "host",
    "pathname",
    "protocol",
    "protocolVersion",
    "description",
    "variables",
    "tags",
}
_VARIABLE_FIELDS = {"enum", "default", "description", "examples"}
# an extension key, as the AsyncAPI schemas match them (``^x-[\w\d\.\x2d]+$``)
_EXTENSION = re.compile(r"^x-[A-Za-z0-9_.\-]+$")
# a variable in a server's url, host or pathname: ``{stage}``
_VARIABLE = re.compile(r"\{([^{}]*)\}")


def _key_problem(where: str, key: Any, allowed: set[str]) -> str | None:
    """Why ``key`` cannot be a key of this object; ``None`` if it can."""
    if isinstance(key, str) and (key in allowed or _EXTENSION.match(key)):
        return None
    names = ", ".join(f"'{k}'" for k in sorted(allowed))
    if isinstance(key, str) and key.startswith("x-"):
        return (
            f"{where} has the extension key {key!r}, which AsyncAPI does not allow: 'x-' "
            "and then letters, digits, '_', '.' or '-'"
        )
    return f"{where} has an unknown key {key!r}; AsyncAPI allows {names} and 'x-' keys"


def _uri_problem(value: str, *, absolute: bool) -> str | None:
    """Why ``value`` is not a URI (``absolute``) or URI reference; ``None`` if it is."""
    rest = value
    scheme = _SCHEME.match(value)
    if scheme:
        rest = value[scheme.end() :]
        if not rest:
            return "it has nothing after its scheme"
    elif absolute:
        return "it has no scheme (like `https:`)"
    rest = _IPV6_HOST.sub("", rest, count=1)
    i = 0
    while i < len(rest):
        char = _URI_CHAR.match(rest, i)
        if char is None:
            bad = rest[i : i + 3] if rest[i] == "%" else rest[i]
            if bad.startswith("%"):
                return f"`{bad}` is not a percent-encoding"
            return f"{bad!r} must be percent-encoded"
        i = char.end()
    return None


def _check_object(where: str, kind: str, value: Any) -> Mapping[str, Any]:
    """A metadata object: a dict of strings with the fields AsyncAPI allows."""
    if not isinstance(value, Mapping):
        msg = f"{where} must be a dict (got {value!r})"
        raise RegistryError(msg)
    allowed, required = _FIELDS[kind]
    for key, item in value.items():
        problem = _key_problem(where, key, allowed)
        if problem:
            raise RegistryError(problem)
        if key in allowed and key != "externalDocs" and not isinstance(item, str):
            msg = f"{where}[{key!r}] must be a string (got {item!r})"
            raise RegistryError(msg)
    for key in sorted(required):
        if not value.get(key):
            msg = f"{where} needs a non-empty {key!r}"
            raise RegistryError(msg)
    url = value.get("url")
    if url is not None:
        problem = _uri_problem(url, absolute=True)
        if problem:
            msg = f"{where}['url'] must be an absolute URI, {url!r} is not: {problem}"
            raise RegistryError(msg)
    return value


def check_metadata(
    qual: str,
    servers: Any,
    contact: Any,
    license: Any,
    tags: Any,
    external_docs: Any,
    id: Any,
) -> None:
    """Refuse metadata that would make the AsyncAPI document invalid.

    :param qual: the registry's qualified name, which starts every message.
    :param servers: ``{name: Server Object}`` or ``None``; the others are the
        registry's ``contact``, ``license``, ``tags``, ``external_docs`` and ``id``
        keywords as given (``None`` when omitted, ``tags`` a sequence).
    :raises RegistryError: for the first value AsyncAPI 2.6.0 or 3.x would refuse,
        naming the registry and the field.
    """
    if id is not None:
        problem = _uri_problem(id, absolute=True) if isinstance(id, str) else "not a string"
        if problem:
            msg = (
                f"{qual}: id must be an absolute URI (like 'urn:example:api'), "
                f"{id!r} is not: {problem}"
            )
            raise RegistryError(msg)
    if contact is not None:
        _check_object(f"{qual}: contact", "contact", contact)
        email = contact.get("email")
        if email is not None and not _EMAIL.match(email):
            msg = f"{qual}: contact['email'] is not an email address (got {email!r})"
            raise RegistryError(msg)
    if license is not None:
        _check_object(f"{qual}: license", "license", license)
    if external_docs is not None:
        _check_object(f"{qual}: external_docs", "external_docs", external_docs)
    _check_tags(f"{qual}: tags", tags)
    for name, server in (servers or {}).items():
        _check_server(f"{qual}: servers[{name!r}]", server)


def _check_tags(where: str, tags: Sequence[Any]) -> None:
    """A list of Tag Objects with distinct names."""
    names: set[str] = set()
    for i, tag in enumerate(tags):
        here = f"{where}[{i}]"
        _check_object(here, "tag", tag)
        if tag["name"] in names:
            msg = f"{here}: the tag name {tag['name']!r} is already used; tag names are unique"
            raise RegistryError(msg)
        names.add(tag["name"])
        if "externalDocs" in tag:
            _check_object(f"{here}['externalDocs']", "external_docs", tag["externalDocs"])


def _check_server(where: str, server: Any) -> None:
    """A Server Object that renders valid in AsyncAPI 2.6.0 and 3.x: its fields, its
    variables, the parts of its address that use them, its tags (in this order)."""
    if not isinstance(server, Mapping):
        msg = f"{where} must be a dict (got {server!r})"
        raise RegistryError(msg)
    _check_server_fields(where, server)
    variables = _check_variables(where, server.get("variables", {}))
    for key in ("url", "host", "pathname"):
        if key in server:
            _check_address(where, key, server[key], variables)
    if "tags" in server:
        _check_server_tags(where, server["tags"])


def _check_server_fields(where: str, server: Mapping[Any, Any]) -> None:
    """The keys both versions allow, a host (or url), strings where strings go, and a
    protocol (its own field, or the scheme of a url)."""
    for key in server:
        problem = _key_problem(where, key, _SERVER_FIELDS)
        if problem:
            msg = f"{problem} (the fields AsyncAPI 2.6.0 and 3.x both allow)"
            raise RegistryError(msg)
    url = server.get("url")
    if not (server.get("host") or url):
        msg = f"{where} needs a 'host' (or a 'url')"
        raise RegistryError(msg)
    for key in ("url", "host", "pathname", "protocol", "protocolVersion", "description"):
        if key in server and not isinstance(server[key], str):
            msg = f"{where}[{key!r}] must be a string (got {server[key]!r})"
            raise RegistryError(msg)
    if not server.get("protocol") and not (url and "://" in url):
        msg = f"{where} needs a 'protocol' (like 'ws' or 'wss')"
        raise RegistryError(msg)


def _check_address(where: str, key: str, value: str, variables: Mapping[str, Any]) -> None:
    """A server's ``url``, ``host`` or ``pathname``: each ``{variable}`` it uses is
    declared, and it is part of a valid URI reference (the host and path are joined into
    a 2.x url; a url without a scheme starts with its host, as the documents read it)."""
    for used in _VARIABLE.findall(value):
        if not used:
            msg = f"{where}[{key!r}] has an empty variable `{{}}`, {value!r}"
            raise RegistryError(msg)
        if used not in variables:
            msg = (
                f"{where}[{key!r}] uses the variable `{{{used}}}`, which the server "
                f"does not declare: add it to the server's 'variables', "
                f"e.g. {{'{used}': {{'default': ...}}}}"
            )
            raise RegistryError(msg)
    # a variable stands for its values, checked as parts of a URI (_check_variable)
    checked = _VARIABLE.sub("x", value)
    if key == "host" or (key == "url" and "://" not in value):
        checked = f"//{checked}"
    problem = _uri_problem(checked, absolute=False)
    if problem:
        msg = f"{where}[{key!r}] is not part of a valid URI, {value!r}: {problem}"
        raise RegistryError(msg)


def _check_server_tags(where: str, tags: Any) -> None:
    """A server's ``tags``: a non-empty list of Tag Objects."""
    if isinstance(tags, (str, Mapping)) or not isinstance(tags, Sequence) or not tags:
        msg = f"{where}['tags'] must be a non-empty list of tags (got {tags!r})"
        raise RegistryError(msg)
    _check_tags(f"{where}['tags']", tags)


def _check_variables(where: str, variables: Any) -> Mapping[str, Any]:
    """A server's ``variables``: each named as in ``{stage}`` and a Server Variable
    Object (:func:`_check_variable`)."""
    if not isinstance(variables, Mapping):
        msg = f"{where}['variables'] must be a dict (got {variables!r})"
        raise RegistryError(msg)
    for name, variable in variables.items():
        if not isinstance(name, str) or not name or not _VARIABLE.fullmatch(f"{{{name}}}"):
            msg = f"{where}['variables'] has a variable named {name!r}; name it as in `{{stage}}`"
            raise RegistryError(msg)
        _check_variable(f"{where}['variables'][{name!r}]", variable)
    return variables


def _check_variable(here: str, variable: Any) -> None:
    """A Server Variable Object whose values are parts of a URI, its ``default`` one of
    its ``enum`` values when it has both."""
    if not isinstance(variable, Mapping):
        msg = f"{here} must be a dict (got {variable!r})"
        raise RegistryError(msg)
    for key, item in variable.items():
        problem = _key_problem(here, key, _VARIABLE_FIELDS)
        if problem:
            raise RegistryError(problem)
        if key == "description" and not isinstance(item, str):
            msg = f"{here}['description'] must be a string (got {item!r})"
            raise RegistryError(msg)
    for value in _variable_values(here, variable):
        problem = None if isinstance(value, str) else "not a string"
        problem = problem or _uri_problem(f"//{value}", absolute=False)
        if problem:
            msg = f"{here} has the value {value!r}, which cannot be part of a URI: {problem}"
            raise RegistryError(msg)
    enum = variable.get("enum")
    if enum is not None and "default" in variable and variable["default"] not in enum:
        msg = f"{here}['default'] {variable['default']!r} is not one of its 'enum' {enum!r}"
        raise RegistryError(msg)


def _variable_values(here: str, variable: Mapping[str, Any]) -> list[Any]:
    """Every value a variable names: its ``default``, then its ``enum`` and ``examples``
    (each checked to be a non-empty list of distinct values)."""
    values = [variable["default"]] if "default" in variable else []
    for key in ("enum", "examples"):
        if key not in variable:
            continue
        items = variable[key]
        if (
            isinstance(items, (str, Mapping))
            or not isinstance(items, Sequence)
            or not items
            or len(set(map(repr, items))) != len(items)
        ):
            msg = f"{here}[{key!r}] must be a non-empty list of distinct strings, not {items!r}"
            raise RegistryError(msg)
        values += items
    return values
