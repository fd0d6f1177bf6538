"""A program the suite needs and pip does not install fails the test, naming the Debian
package and the command that installs it (tests/programs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import programs
from tests.scaleout import brokers


def failure(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(pytest.fail.Exception) as failed:
        call(*args, **kwargs)
    return str(failed.value)


def test_a_missing_broker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert failure(brokers.require, "redis-server", "redis-server") == (
        "`redis-server` is missing: install the Debian package redis-server"
        " (sudo apt-get install redis-server); the scale-out tests need a real broker and"
        " are never skipped"
    )


def test_a_missing_file_of_a_package_names_the_program(tmp_path: Path) -> None:
    """RabbitMQ runs from the package's own script; the message names the program."""
    script = str(tmp_path / "rabbitmq-server")
    message = failure(brokers.require, "rabbitmq-server", "rabbitmq-server", path=script)
    assert message.startswith(
        "`rabbitmq-server` is missing: install the Debian package rabbitmq-server"
        " (sudo apt-get install rabbitmq-server);"
    )
    assert str(tmp_path) not in message


def test_several_packages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert failure(programs.require, "node", programs.NODE, "the node tests need it") == (
        "`node` is missing: install the Debian packages nodejs and npm"
        " (sudo apt-get install nodejs npm); the node tests need it"
    )


def test_a_program_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    program = tmp_path / "chromium"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert programs.require("chromium", "chromium", "why") == str(program)
    assert programs.require("x", "x", "why", path=str(program)) == str(program)
