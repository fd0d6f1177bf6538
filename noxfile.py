"""Development sessions: ``nox -s tests``, ``lint``, ``typing``, ``demo``, ``bench``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typing"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
NODE_TESTS = "tests/js"


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite: unit, adapters over real sockets, node socket.io-client."""
    session.install("-e", ".[flask,yaml]", *nox.project.dependency_groups(PYPROJECT, "test"))
    with session.chdir(NODE_TESTS):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and format check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict over the package and the typing examples."""
    session.install("-e", ".[flask]", *nox.project.dependency_groups(PYPROJECT, "typing"))
    session.run("mypy")


@nox.session
def demo(session: nox.Session) -> None:
    """Run the tic-tac-toe demo server (``nox -s demo -- --server flask`` for Flask)."""
    session.install("-e", ".[flask,yaml]", *nox.project.dependency_groups(PYPROJECT, "demo"))
    session.run("python", "-m", "examples.tictactoe", *session.posargs)


BENCHMARKS = ("micro", "packet", "memory", "gc_pauses", "roundtrip", "e2e")
# by name only: the validation checks of every contender (a CI check, seconds) and the
# callgrind instruction counts (needs valgrind; minutes)
ON_DEMAND = ("proof", "instructions")
E2E_CHART = "docs/benchmarks/e2e.svg"


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against sio-asyncapi and pydantic: all, or one (``-- micro --json``).

    ``nox -s bench`` runs every benchmark and redraws the end-to-end chart;
    ``nox -s bench -- e2e --stacks uvicorn-auto --payloads small`` runs one with its
    options; ``nox -s bench -- --quick`` is a smoke run of all; ``nox -s bench -- proof``
    checks that every contender validates what it says; ``nox -s bench -- instructions``
    prints the callgrind instruction ratios.
    """
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "bench"))
    args = list(session.posargs)
    names = [args.pop(0)] if args and args[0] in BENCHMARKS + ON_DEMAND else list(BENCHMARKS)
    for name in names:
        extra = []
        if name == "e2e" and "--quick" not in args and "--chart" not in args:
            extra = ["--chart", E2E_CHART]
        session.run("python", "-m", f"benchmarks.{name}", *args, *extra)
