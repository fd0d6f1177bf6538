"""Strict mypy over the typing examples: the public API types what users write."""

from __future__ import annotations

import re
from pathlib import Path

import mypy.api as mypy_api

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
