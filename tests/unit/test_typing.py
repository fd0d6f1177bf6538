"""mypy (strict) and pyright over the typing examples: the public API types what users write,
and both checkers reject the same mistakes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import mypy.api as mypy_api
import pytest

from tests.node import node_modules

TYPING = Path(__file__).parents[1] / "typing"


def run_mypy(path: Path) -> list[str]:
    stdout, stderr, _ = mypy_api.run(
        [
            "--strict",
            "--no-incremental",
            "--show-error-codes",
            "--hide-error-context",
            "--no-error-summary",
            str(path),
        ]
    )
    assert stderr == ""
    return [line for line in stdout.splitlines() if line.strip()]


def marks(path: Path, tag: str, offset: int = 0) -> dict[int, str]:
    """``# E:`` marks its own line; ``# R:`` stands alone above its line (offset 1)."""
    found = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        m = re.search(rf"# {tag}: (.+)$", line)
        if m:
            found[number + offset] = m.group(1).strip()
    return found


def test_examples_type_check_and_reveal() -> None:
    path = TYPING / "typing_examples.py"
    lines = run_mypy(path)
    errors = [line for line in lines if ": error:" in line]
    assert errors == []
    revealed = {
        int(line.split(":")[1]): line.split('Revealed type is "', 1)[1].rstrip('"')
        for line in lines
        if "Revealed type is" in line
    }
    assert revealed == marks(path, "R", offset=1)


def test_wrong_emit_payloads_are_rejected() -> None:
    path = TYPING / "typing_errors.py"
    errors = {}
    for line in run_mypy(path):
        m = re.match(r".+?:(\d+): error: .+\[([\w-]+)\]$", line)
        assert m, line
        errors[int(m.group(1))] = m.group(2)
    assert errors == marks(path, "E")


def run_pyright(*paths: Path) -> list[tuple[str, int, str]]:
    """pyright (the npm package, pinned in tests/js) in this interpreter's environment:
    ``(file name, line, message)`` of every error."""
    pyright = node_modules() / ".bin" / "pyright"
    done = subprocess.run(
        [str(pyright), "--outputjson", "--pythonpath", sys.executable, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    report = json.loads(done.stdout)
    return [
        (Path(d["file"]).name, d["range"]["start"]["line"] + 1, d["message"])
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]


@pytest.mark.timeout(300)
def test_pyright_accepts_the_examples_and_rejects_every_marked_mistake() -> None:
    errors = run_pyright(TYPING / "typing_examples.py", TYPING / "typing_errors.py")
    assert [e for e in errors if e[0] == "typing_examples.py"] == []
    lines = {line for name, line, _ in errors if name == "typing_errors.py"}
    # pyright reports a rejected handler on its ``def`` line, mypy on the decorator's
    expected = set(marks(TYPING / "typing_errors.py", "E"))
    matched = {line if line in lines else line + 1 for line in expected}
    assert matched <= lines, sorted(expected - lines - {m - 1 for m in lines})
    assert lines <= matched, sorted(lines - matched)
