"""Programs the suite runs that pip does not install (brokers, Chromium, valgrind, node).

A missing one fails the tests that need it, never skips them, with a message that names
the Debian package holding it and the command that installs it: the CI script installs
them all before pytest, and the message is for pytest run without it.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

NODE = ("nodejs", "npm")  # Debian's node and npm (npm is a package of its own)


def install(*packages: str) -> str:
    """``install the Debian package X (sudo apt-get install X)``, for one package or more."""
    noun = "package" if len(packages) == 1 else "packages"
    return (
        f"install the Debian {noun} {' and '.join(packages)} "
        f"(sudo apt-get install {' '.join(packages)})"
    )


def missing(program: str, packages: tuple[str, ...], why: str) -> NoReturn:
    pytest.fail(f"`{program}` is missing: {install(*packages)}; {why}", pytrace=False)


def require(
    program: str, package: str | tuple[str, ...], why: str, *, path: str | None = None
) -> str:
    """Where ``program`` is: on the PATH, or at ``path`` when the package's own file is
    the one to run. Fails the test when it is not there, naming the package."""
    packages = (package,) if isinstance(package, str) else package
    found = (path if os.access(path, os.X_OK) else None) if path else shutil.which(program)
    if found is None:
        missing(program, packages, why)
    return found
