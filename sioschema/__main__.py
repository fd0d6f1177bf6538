"""The command line (or the ``sioschema`` script):

- ``python -m sioschema asyncapi MODULE:REGISTRY ...``: the AsyncAPI document;
- ``python -m sioschema typescript MODULE:REGISTRY ...``: the TypeScript contract for
  socket.io-client.

Exit codes: 0 success, 1 the targets could not be documented (an import failed, the
attribute is missing or not a registry, the registries conflict, PyYAML is missing),
2 usage errors (argparse's own convention).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__

if TYPE_CHECKING:
    from ._registry import EventRegistry

__all__ = ["main"]

PROG = "sioschema"


class TargetError(Exception):
    """A ``MODULE:REGISTRY`` target that cannot be documented."""


def load_target(target: str) -> type[EventRegistry]:
    """Import ``MODULE:ATTR`` (``ATTR`` may be dotted) and check it is a registry."""
    from .errors import SioSchemaError
    from .inspect import info

    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        msg = f"{target!r}: expected MODULE:REGISTRY, e.g. game.api:TicTacToe"
        raise TargetError(msg)
    try:
        obj: Any = importlib.import_module(module_name)
    except SioSchemaError as exc:
        msg = f"{target!r}: the registry module does not load: {exc}"
        raise TargetError(msg) from None
    except ImportError as exc:
        msg = f"{target!r}: cannot import module {module_name!r}: {exc}"
        raise TargetError(msg) from None
    except Exception as exc:
        msg = f"{target!r}: importing {module_name!r} raised {type(exc).__name__}: {exc}"
        raise TargetError(msg) from None
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            msg = f"{target!r}: module {module_name!r} has no attribute {attr!r}"
            raise TargetError(msg) from None
    try:
        info(obj)
    except SioSchemaError:
        msg = f"{target!r}: {attr} is not an EventRegistry subclass"
        raise TargetError(msg) from None
    registry: type[EventRegistry] = obj
    return registry


def _parser() -> argparse.ArgumentParser:
    from .asyncapi import VERSIONS

    parser = argparse.ArgumentParser(
        prog=PROG, description="sioschema: a schema registry for Socket.IO servers."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    doc = commands.add_parser(
        "asyncapi",
        help="print the AsyncAPI document of one or several registries",
        description=(
            "Render the AsyncAPI document of the registries (several: one per namespace). "
            "The current directory is importable, as for `python -m`."
        ),
    )
    doc.add_argument(
        "targets", nargs="+", metavar="MODULE:REGISTRY", help="e.g. game.api:TicTacToe"
    )
    doc.add_argument(
        "--asyncapi-version",
        choices=VERSIONS,
        default=VERSIONS[0],
        help="AsyncAPI version (default: %(default)s)",
    )
    doc.add_argument(
        "--format",
        choices=("yaml", "json"),
        default=None,
        help="output format (default: from the --output suffix, else yaml)",
    )
    ts = commands.add_parser(
        "typescript",
        help="print the TypeScript contract of one or several registries",
        description=(
            "Write the TypeScript types of the registries for socket.io-client: payload "
            "types, the event maps of each namespace, its auth type and a typed Socket. "
            "The current directory is importable, as for `python -m`."
        ),
    )
    ts.add_argument("targets", nargs="+", metavar="MODULE:REGISTRY", help="e.g. game.api:TicTacToe")
    for sub in (doc, ts):
        sub.add_argument("--output", "-o", type=Path, help="write to FILE instead of stdout")
        sub.add_argument(
            "--error-event",
            default="error",
            help=(
                "the server's error event name, if changed with error_event= (default: %(default)s)"
            ),
        )
    return parser


def _fail(message: str) -> NoReturn:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    raise SystemExit(1)


def _asyncapi(args: argparse.Namespace, registries: list[type[EventRegistry]]) -> str:
    from . import asyncapi

    document = asyncapi.render(
        registries, asyncapi_version=args.asyncapi_version, error_event=args.error_event
    )
    fmt = args.format
    if fmt is None:
        suffix = args.output.suffix.lower() if args.output else ""
        fmt = "json" if suffix == ".json" else "yaml"
    try:
        return asyncapi.to_json(document) if fmt == "json" else asyncapi.to_yaml(document)
    except ImportError as exc:
        _fail(str(exc))


def _typescript(args: argparse.Namespace, registries: list[type[EventRegistry]]) -> str:
    from . import typescript

    return typescript.render(registries, error_event=args.error_event)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    from .errors import SioSchemaError

    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    write = _typescript if args.command == "typescript" else _asyncapi
    try:
        registries = [load_target(target) for target in args.targets]
        text = write(args, registries)
    except (TargetError, SioSchemaError) as exc:
        _fail(str(exc))
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write {args.output}: {exc.strerror}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
