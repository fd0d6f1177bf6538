"""``python -m sioschema asyncapi`` and the ``sioschema`` console script, as processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sioschema import asyncapi
from tests.asyncapi.documents import REGISTRIES

ROOT = Path(__file__).parents[2]
DEMO = "examples.tictactoe.api:TicTacToe"


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sioschema", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_yaml_by_default() -> None:
    done = cli("asyncapi", DEMO)
    assert (done.returncode, done.stderr) == (0, "")
    assert yaml.safe_load(done.stdout) == asyncapi.render(REGISTRIES["demo"])


@pytest.mark.parametrize("version", asyncapi.VERSIONS)
def test_every_version_of_several_registries(version: str) -> None:
    done = cli(
        "asyncapi",
        "tests.asyncapi.tricky:Game",
        "tests.asyncapi.tricky:Chat",
        "--asyncapi-version",
        version,
        "--format",
        "json",
    )
    assert (done.returncode, done.stderr) == (0, "")
    expected = asyncapi.render(REGISTRIES["tricky"], asyncapi_version=version)  # type: ignore[arg-type]
    assert json.loads(done.stdout) == expected


def test_output_file_format_from_suffix(tmp_path: Path) -> None:
    out = tmp_path / "api.json"
    done = cli("asyncapi", DEMO, "--output", str(out))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert json.loads(out.read_text()) == asyncapi.render(REGISTRIES["demo"])


def test_console_script() -> None:
    script = shutil.which("sioschema", path=str(Path(sys.executable).parent))
    assert script is not None, "the sioschema console script is not installed"
    done = subprocess.run(
        [script, "asyncapi", DEMO, "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["info"]["title"] == "Tic-Tac-Toe API"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nocolon", "'nocolon': expected MODULE:REGISTRY, e.g. game.api:TicTacToe"),
        (
            "no_such_module:X",
            "'no_such_module:X': cannot import module 'no_such_module': "
            "No module named 'no_such_module'",
        ),
        (
            "examples.tictactoe.api:Nope",
            "'examples.tictactoe.api:Nope': module 'examples.tictactoe.api' "
            "has no attribute 'Nope'",
        ),
        (
            "examples.tictactoe.api:MakeMove",
            "'examples.tictactoe.api:MakeMove': MakeMove is not an EventRegistry subclass",
        ),
    ],
)
def test_bad_targets_exit_1_without_traceback(target: str, message: str) -> None:
    done = cli("asyncapi", target)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"sioschema: error: {message}\n"


def test_a_module_whose_registry_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "broken_api.py").write_text(
        "from sioschema import Event, EventRegistry\n"
        "class Api(EventRegistry):\n"
        "    connect = Event()\n"
    )
    done = cli("asyncapi", "broken_api:Api", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "sioschema: error: 'broken_api:Api': the registry module does not load: "
        "Api.connect: `connect` is reserved by Socket.IO\n"
    )


def test_two_registries_for_one_namespace() -> None:
    done = cli("asyncapi", DEMO, DEMO)
    assert done.returncode == 1
    assert done.stderr.startswith("sioschema: error: TicTacToe and TicTacToe both declare")


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("asyncapi",),
        ("asyncapi", DEMO, "--asyncapi-version", "2.0.0"),
        ("asyncapi", DEMO, "--format", "xml"),
        ("frobnicate",),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    done = cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "usage: sioschema" in done.stderr
    assert "Traceback" not in done.stderr
