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


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks (``nox -s bench -- --json`` for machine-readable output)."""
    session.install("-e", ".[flask]", *nox.project.dependency_groups(PYPROJECT, "demo"))
    session.run("python", "-m", "benchmarks.roundtrip", *session.posargs)
