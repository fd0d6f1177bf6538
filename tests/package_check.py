"""Checks of the built distributions, run by ``nox -s package`` (a script, not a test module).

``python tests/package_check.py metadata WHEEL SDIST`` (from the checkout's root) reads
both archives: the license, the project URLs, what each carries, and a long description
whose links are all absolute and point at files of the repository (and whose install
section names these files).

``python -I tests/package_check.py installed EXAMPLES`` runs in a fresh environment that
holds the wheel alone (``-I``: neither the checkout nor ``PYTHONPATH`` is importable). In a
scratch folder holding a copy of ``EXAMPLES`` only, it runs the tic-tac-toe demo on each
server (a Socket.IO client's calls, its docs page), and the ``sioschema`` command.

Every failure raises, with what was seen.
"""

from __future__ import annotations

import argparse
import contextlib
import email.parser
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

REPOSITORY = "https://github.com/sioschema/sioschema"
PAGES = f"{REPOSITORY}/blob/main/"
RAW = "https://raw.githubusercontent.com/sioschema/sioschema/main/"
URLS = {
    "Homepage": REPOSITORY,
    "Source": REPOSITORY,
    "Documentation": f"{REPOSITORY}/tree/main/docs",
    "Changelog": f"{PAGES}CHANGELOG.md",
    "Issues": f"{REPOSITORY}/issues",
}
DEMO = "examples.tictactoe.api:TicTacToe"
# a link target that is neither absolute (a scheme) nor a fragment of the page itself
_RELATIVE = r"(?![a-zA-Z][a-zA-Z0-9+.-]*:|#)"
RELATIVE_LINKS = [
    re.compile(rf"\]\(\s*<?{_RELATIVE}[^)\s]"),  # [text](target), ![alt](target)
    re.compile(rf"^ {{0,3}}\[[^\]]+\]:\s*<?{_RELATIVE}\S", re.MULTILINE),  # [ref]: target
    re.compile(rf"\b(?:src|href)\s*=\s*[\"']{_RELATIVE}", re.IGNORECASE),  # HTML
]
ABSOLUTE_LINKS = re.compile(rf"(?:{re.escape(PAGES)}|{re.escape(RAW)})([^)\s\"'#>]+)")


def fail(message: str) -> None:
    raise SystemExit(f"package check FAILED: {message}")


def check(condition: object, message: str) -> None:
    if not condition:
        fail(message)


# -- the archives ------------------------------------------------------------------------


def metadata(wheel: Path, sdist: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        wheel_files = archive.namelist()
        (info,) = {name.split("/")[0] for name in wheel_files if ".dist-info/" in name}
        wheel_meta = archive.read(f"{info}/METADATA").decode()
        wheel_license = archive.read(f"{info}/licenses/LICENSE").decode()
    with tarfile.open(sdist) as archive:
        sdist_files = archive.getnames()
        (top,) = {name.split("/")[0] for name in sdist_files}

        def read(name: str) -> str:
            member = archive.extractfile(f"{top}/{name}")
            check(member is not None, f"{sdist.name} has no {name}")
            assert member is not None
            return member.read().decode()

        sdist_meta = read("PKG-INFO")
        sdist_license = read("LICENSE")

    license_text = Path("LICENSE").read_text()
    check(wheel_license == license_text, f"{wheel.name}'s LICENSE is not the checkout's")
    check(sdist_license == license_text, f"{sdist.name}'s LICENSE is not the checkout's")
    check(wheel_meta == sdist_meta, "the wheel's METADATA differs from the sdist's PKG-INFO")

    tops = {name.split("/")[0] for name in wheel_files}
    check(tops == {"sioschema", info}, f"the wheel holds more than the package: {sorted(tops)}")
    carried = {name.split("/", 1)[1] for name in sdist_files if "/" in name}
    for needed in ("pyproject.toml", "conftest.py", "README.md", "CHANGELOG.md", "LICENSE"):
        check(needed in carried, f"{sdist.name} has no {needed}")
    for folder in ("sioschema", "tests/unit", "tests/js", "docs", "examples/tictactoe"):
        check(
            any(name.startswith(f"{folder}/") for name in carried),
            f"{sdist.name} has no {folder}/",
        )

    meta = email.parser.Parser().parsestr(sdist_meta)
    check(meta["Metadata-Version"] == "2.4", f"Metadata-Version {meta['Metadata-Version']}")
    check(meta["License-Expression"] == "MIT", f"License-Expression {meta['License-Expression']}")
    check(meta.get_all("License-File") == ["LICENSE"], f"{meta.get_all('License-File')}")
    urls = dict(line.split(", ", 1) for line in meta.get_all("Project-URL") or [])
    check(urls == URLS, f"Project-URL: {urls}")
    _long_description(meta)
    for artifact in (wheel, sdist):  # the install section names this release's files
        check(
            f"dist/{artifact.name}" in meta.get_payload(), f"README.md lacks dist/{artifact.name}"
        )
    print(
        f"metadata: {wheel.name} and {sdist.name}: {meta['Name']} {meta['Version']}, "
        f"License-Expression {meta['License-Expression']}, License-File LICENSE in both, "
        f"{len(urls)} project URLs, {len(carried)} files in the sdist"
    )


def _long_description(meta: Message) -> None:
    check(meta["Description-Content-Type"] == "text/markdown", "not a Markdown description")
    text = meta.get_payload()
    assert isinstance(text, str)
    check(text.startswith("# sioschema\n"), f"the description starts {text[:40]!r}")
    for pattern in RELATIVE_LINKS:
        left = [text[max(0, m.start() - 30) : m.end() + 30] for m in pattern.finditer(text)]
        check(not left, f"relative links left in the description: {left}")
    targets = ABSOLUTE_LINKS.findall(text)
    check(targets, "the description links to no file of the repository")
    missing = sorted({path for path in targets if not Path(path).exists()})
    check(not missing, f"the description links to files the repository lacks: {missing}")
    images = [m for m in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) if not m.startswith(RAW)]
    check(not images, f"images not served raw: {images}")
    print(f"description: {len(targets)} links to the repository, all absolute, all there")


# -- the installed wheel -----------------------------------------------------------------


def installed(examples: Path) -> None:
    import sioschema

    purelib = Path(sysconfig.get_path("purelib")).resolve()
    where = Path(sioschema.__file__).resolve()
    check(purelib in where.parents, f"sioschema comes from {where}, not from {purelib}")
    print(f"installed: sioschema {sioschema.__version__} from {where.parent}")
    with tempfile.TemporaryDirectory(prefix="sioschema-package-") as scratch:
        work = Path(scratch)
        shutil.copytree(examples, work / "examples", ignore=shutil.ignore_patterns("__pycache__"))
        _imports(work, purelib)
        _cli(work, sioschema.__version__)
        for server in ("asgi", "flask"):
            _demo(work, server)


def _python(work: Path, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=work, env=_env(), capture_output=True, text=True
    )
    check(done.returncode == 0, f"python -c {code!r} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def _env() -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
        "PYTHONUNBUFFERED": "1",
    }


def _imports(work: Path, purelib: Path) -> None:
    """From the scratch folder: examples from the copy, sioschema from the wheel, nothing
    else of the checkout."""
    absent = ["tests", "benchmarks", "conftest", "noxfile"]
    examples_file, sioschema_file, found = json.loads(
        _python(
            work,
            "import importlib.util as u, json, examples, sioschema; print(json.dumps(["
            f"examples.__file__, sioschema.__file__, [n for n in {absent} if u.find_spec(n)]]))",
        )
    )
    check(Path(examples_file).resolve().is_relative_to(work.resolve()), f"{examples_file}")
    check(Path(sioschema_file).resolve().is_relative_to(purelib), f"{sioschema_file}")
    check(found == [], f"the checkout is importable: {found}")
    print(
        "imports: examples from the scratch copy, sioschema from the wheel; "
        f"{', '.join(absent)}: not importable"
    )


def _cli(work: Path, version: str) -> None:
    script = Path(sys.executable).with_name("sioschema" + (".exe" if os.name == "nt" else ""))
    check(script.is_file(), f"no {script.name} script beside {sys.executable}")

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(script), *args], cwd=work, env=_env(), capture_output=True, text=True
        )
        command = " ".join(["sioschema", *args])
        check(done.returncode == 0, f"`{command}` exited {done.returncode}:\n{done.stderr}")
        check(done.stdout.strip(), f"`{command}` printed nothing")
        print(f"cli: `{command}`: exit 0, {len(done.stdout.splitlines())} lines")
        return done.stdout

    check(run("--version").split() == ["sioschema", version], "sioschema --version")
    document = json.loads(run("asyncapi", DEMO, "--format", "json"))
    check(document["asyncapi"] == "3.0.0", f"asyncapi {document.get('asyncapi')}")
    check(document["info"]["title"] == "Tic-Tac-Toe API", f"{document['info']}")
    check(
        "root.on_make_move" in document["operations"], f"operations {list(document['operations'])}"
    )
    yaml_text = run("asyncapi", DEMO)  # YAML by default: the yaml extra
    check(yaml_text.startswith("asyncapi: 3.0.0\n"), f"YAML starts {yaml_text[:40]!r}")
    contract = run("typescript", DEMO)
    check('from "socket.io-client"' in contract, "no socket.io-client import in the contract")
    check("make_move" in contract, "make_move is not in the TypeScript contract")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read().decode()


@contextlib.contextmanager
def _running(work: Path, server: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``python -m examples.tictactoe --server SERVER`` on a free port, once it answers
    (another process may take the port between the pick and the bind: then another)."""
    for _ in range(3):
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "examples.tictactoe", "--server", server, "--port", str(port)],
            cwd=work,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            try:
                _get(f"{url}/asyncapi.json")
                break
            except OSError:
                time.sleep(0.1)
        if process.poll() is None and time.monotonic() < deadline:
            try:
                yield process, url
            finally:
                if process.poll() is None:
                    process.kill()
                    process.communicate()
            return
        process.kill()
        output, _ = process.communicate()
        check("in use" in output, f"the {server} demo did not start:\n{output}")
    fail(f"the {server} demo found no free port")


def _demo(work: Path, server: str) -> None:
    import socketio

    with _running(work, server) as (process, url):
        status, kind, page = _get(f"{url}/asyncapi")
        check(status == 200 and kind.startswith("text/html"), f"/asyncapi: {status} {kind}")
        check(page.lstrip().lower().startswith("<!doctype html"), f"/asyncapi: {page[:60]!r}")
        check("Tic-Tac-Toe API" in page and "make_move" in page, "/asyncapi lacks the API")
        status, kind, _ = _get(f"{url}/asyncapi.yaml")
        check(status == 200 and "yaml" in kind, f"/asyncapi.yaml: {status} {kind}")

        client = socketio.SimpleClient()
        client.connect(url, transports=["websocket"], wait_timeout=10)
        try:
            created = client.call("create_game", timeout=10)
            check(created.get("turn") == "X" and created.get("game_id"), f"ack {created}")
            move = {"game_id": created["game_id"], "x": 1, "y": 1}
            made = client.call("make_move", move, timeout=10)
            check(made.get("ok") is True, f"make_move's ack: {made}")
            refused = client.call("make_move", {**move, "x": "1"}, timeout=10)
            code = refused.get("error", {}).get("code")
            check(code == "invalid_payload", f"a bad move's ack: {refused}")
        finally:
            client.disconnect()

        process.send_signal(signal.SIGINT)  # what Ctrl+C sends
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            fail(f"the {server} demo did not stop on SIGINT:\n{output}")
        check(process.returncode == 0, f"the {server} demo exited {process.returncode}:\n{output}")
        check("Traceback" not in output, f"the {server} demo printed a traceback:\n{output}")
    print(
        f"demo ({server}): /asyncapi is the HTML docs page, /asyncapi.yaml answers; a "
        "Socket.IO client over a websocket created a game, moved, got invalid_payload for "
        "a bad move; SIGINT stopped it with exit 0"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    meta = commands.add_parser("metadata", help="check the wheel and the sdist as archives")
    meta.add_argument("wheel", type=Path)
    meta.add_argument("sdist", type=Path)
    inst = commands.add_parser("installed", help="run the installed wheel, outside the checkout")
    inst.add_argument("examples", type=Path, help="the checkout's examples/ folder")
    args = parser.parse_args(argv)
    if args.command == "metadata":
        metadata(args.wheel, args.sdist)
    else:
        installed(args.examples.resolve())


if __name__ == "__main__":
    main()
