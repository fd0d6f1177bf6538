"""The TypeScript compiler of ``tests/js`` (pinned in its lock file), run on a directory
of sources where ``socket.io-client`` resolves."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import programs
from tests.node import JS, node_modules

ROOT = Path(__file__).parents[2]
STRICT = ("--strict", "--noEmit")
STRICTEST = (
    *STRICT,
    "--isolatedModules",
    "--verbatimModuleSyntax",
    "--exactOptionalPropertyTypes",
    "--noUncheckedIndexedAccess",
    "--noImplicitOverride",
    "--noPropertyAccessFromIndexSignature",
)
"""``--strict`` plus every check a project may add that could concern a types-only module."""

_DIAGNOSTIC = re.compile(
    r"^(?P<file>[^(\s]+)\((?P<line>\d+),\d+\): error (?P<code>TS\d+): (?P<text>.*)$"
)


def compiler() -> Path:
    """``tsc`` from ``tests/js/node_modules``, installed from the lock file if missing."""
    node_modules()
    tsc = JS / "node_modules" / "typescript" / "bin" / "tsc"
    if not tsc.is_file():  # a node_modules installed before typescript joined the lock file
        npm = shutil.which("npm")
        assert npm is not None
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=JS,
            check=True,
            capture_output=True,
            timeout=300,
        )
    if not tsc.is_file():
        pytest.fail(f"{tsc} is missing after `npm ci` in tests/js")
    return tsc


def project(root: Path, files: dict[str, str]) -> Path:
    """A directory of ES modules whose ``node_modules`` is the one of ``tests/js``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "package.json").write_text('{"type": "module"}\n')
    link = root / "node_modules"
    if not link.is_symlink():
        link.symlink_to(JS / "node_modules", target_is_directory=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def tsc(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``tsc ARGS`` in ``root``."""
    node = programs.require("node", programs.NODE, "the TypeScript tests run tsc under node")
    return subprocess.run(
        [node, str(compiler()), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def diagnostics(output: str) -> list[tuple[str, int, str, str]]:
    """``(file, line, code, first line of the message)`` of each error tsc printed."""
    found = []
    for line in output.splitlines():
        match = _DIAGNOSTIC.match(line)
        if match:
            found.append((match["file"], int(match["line"]), match["code"], match["text"]))
    return found
