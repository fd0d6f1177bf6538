"""Every code example of the README and the docs runs as a test (Sybil).

- ```` ```python ```` blocks run in order, one namespace per page; a block that starts
  with ``>>>`` is a doctest. ``<!-- invisible-code-block: python -->`` comments hold setup
  a reader does not need (starting a server); ``<!-- skip: next -->`` skips a block.
- A python block whose first line names a file (``# app.py``) is also saved as that file,
  in a scratch folder of the page's own, before it runs (a plain block, so that the page
  copies and pastes as it reads, on the site and as Markdown).
- ```` ```console ```` blocks are commands (``$ ...``) run in that folder, with their
  output checked when the page shows it (``...`` matches anything, as in doctest).
  ```` ```sh ```` blocks are shown, never run (installs, servers that run until Ctrl+C).
- ``127.0.0.1:5000`` (``http://``, ``ws://``) in a block means the page's server: ``serve(app)`` (an
  ASGI, WSGI or Flask app) or ``start("uvicorn app:app ...")`` starts one on a free port
  of 127.0.0.1 and sets ``SERVER_URL``, and the examples talk to that.
- Once an example of a page fails, the page's later examples are skipped with the reason
  "an earlier example of this page failed: line:N,column:M" (they would fail on names
  it never defined); the failure itself fails the run.
"""

from __future__ import annotations

import contextlib
import doctest
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sybil import Document, Example, Sybil
from sybil.example import NotEvaluated
from sybil.parsers.myst import ClearNamespaceParser, CodeBlockParser, SkipParser
from sybil.parsers.myst import PythonCodeBlockParser as _PythonBlocks

ROOT = Path(__file__).parent
DOCS_URL = "http://127.0.0.1:5000"
DOCS_HOST = "127.0.0.1:5000"
DOCS_PORT = "5000"
PAGE_MODULE = "docs_page"


def _url(example: Example) -> str:
    url: str = example.namespace.get("SERVER_URL", DOCS_URL)
    return url


def _with_url(text: str, example: Example, command: bool = False) -> str:
    url = _url(example)
    port = url.rsplit(":", 1)[1]
    text = text.replace(DOCS_HOST, f"127.0.0.1:{port}")  # http://, ws://
    if command:
        text = text.replace(f"--port {DOCS_PORT}", f"--port {port}")
    for shown, real in example.namespace.get("REPLACE", {}).items():
        text = text.replace(shown, real)
    return text


class PythonBlocks(_PythonBlocks):
    """Sybil's MyST python parser (doctests with ``...`` as in doctest's ELLIPSIS);
    blocks talk to the page's server, and a block whose first line names a file
    (``# app.py``) is saved under that name first."""

    def __init__(self) -> None:
        super().__init__(doctest_optionflags=doctest.ELLIPSIS)

    def __call__(self, document: Any) -> Any:
        for region in super().__call__(document):
            region.evaluator = _evaluating(region.evaluator)
            yield region


_FILE_NAME = re.compile(r"# ([\w-]+\.py)\n")


def _evaluating(evaluate: Callable[[Example], Any]) -> Callable[[Example], Any]:
    def run(example: Example) -> Any:
        parsed = example.parsed
        named = _FILE_NAME.match(parsed) if isinstance(parsed, str) else None
        if named:
            Path(example.namespace["CWD"], named[1]).write_text(parsed, encoding="utf-8")
        if isinstance(parsed, str):
            swapped = type(parsed)(_with_url(parsed, example), parsed.offset, parsed.line_offset)
            example.parsed = swapped
        else:  # a doctest example
            parsed.source = _with_url(parsed.source, example)
            parsed.want = _with_url(parsed.want, example)
        try:
            return evaluate(example)
        finally:
            example.parsed = parsed

    return run


def _console(example: Example) -> str | None:
    """Run the ``$`` lines of a console block; check what they print when it is shown."""
    commands: list[tuple[str, list[str]]] = []
    for line in example.parsed.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    checker = doctest.OutputChecker()
    for command, shown in commands:
        done = subprocess.run(
            ["bash", "-c", _with_url(command, example, command=True)],
            cwd=example.namespace["CWD"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # one stream, in the order a terminal shows
            text=True,
            timeout=60,
        )
        output = done.stdout
        if done.returncode != 0 and not shown:
            return f"`{command}` failed with exit code {done.returncode}:\n{output}"
        want = "\n".join(shown).strip("\n")
        if want:
            want += "\n"
            got = "\n".join(line.rstrip() for line in output.splitlines()) + "\n"
            if not checker.check_output(want, got, doctest.ELLIPSIS):
                return f"`{command}` printed:\n{got}\nthe page shows:\n{want}"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(port: int, process: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            out = process.stdout.read() if process.stdout else ""
            msg = f"the server exited with code {process.returncode}:\n{out}"
            raise RuntimeError(msg)
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.05)
    msg = f"nothing listens on port {port}"
    raise RuntimeError(msg)


def _setup(namespace: dict[str, Any]) -> None:
    from tests.servers import serve_aiohttp, serve_asgi, serve_wsgi

    stack = contextlib.ExitStack()
    scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="sioschema-docs-"))
    # the page runs as an imported module would: Flask(__name__) finds its folder, and
    # `if __name__ == "__main__":` blocks (socketio.run) stay for a reader to run
    module = types.ModuleType(PAGE_MODULE)
    module.__file__ = os.path.join(scratch, f"{PAGE_MODULE}.py")
    sys.modules[PAGE_MODULE] = module
    stack.callback(sys.modules.pop, PAGE_MODULE, None)
    namespace["__name__"] = PAGE_MODULE
    namespace["CWD"] = scratch
    namespace["REPLACE"] = {}  # what a page shows -> what its test uses (a broker's URL)
    namespace["_stack"] = stack
    # the page's files import as a reader's would from their folder (`from app import Chat`)
    sys.path.insert(0, scratch)
    stack.callback(_forget, scratch)

    def serve(app: Any) -> str:
        """Serve an ASGI app with uvicorn, an aiohttp app with its own runner, a WSGI or
        Flask app with werkzeug's threads."""
        if type(app).__module__.startswith("aiohttp"):
            url: str = stack.enter_context(serve_aiohttp(app))
        elif hasattr(app, "wsgi_app") or not _is_asgi(app):
            url = stack.enter_context(serve_wsgi(app))
        else:
            url, _loop = stack.enter_context(serve_asgi(app))
        namespace["SERVER_URL"] = url
        return url

    def start(command: str) -> str:
        """Run a server command in the page's folder (``--port 5000`` gets a free port)."""
        port = _free_port()
        argv = shlex.split(command.replace(f"--port {DOCS_PORT}", f"--port {port}"))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([scratch, str(ROOT)]))
        process = subprocess.Popen(
            [sys.executable, "-m", *argv],
            cwd=scratch,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        stack.callback(_stop, process)
        _wait_for(port, process)
        namespace["SERVER_URL"] = url = f"http://127.0.0.1:{port}"
        return url

    namespace["serve"] = serve
    namespace["start"] = start


def _is_asgi(app: Any) -> bool:
    import inspect

    return inspect.iscoroutinefunction(type(app).__call__) or inspect.iscoroutinefunction(app)


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        process.kill()
        process.communicate()


def _forget(scratch: str) -> None:
    """Drop the page's folder from ``sys.path`` and the modules imported from it."""
    sys.path.remove(scratch)
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(scratch):
            del sys.modules[name]


def _teardown(namespace: dict[str, Any]) -> None:
    namespace["_stack"].close()


# The test files that take longest, started first so that a parallel run (`nox -s tests`
# hands whole files to its workers, in collection order) does not end waiting on one of
# them alone; the order within each file is kept.
SLOWEST_FIRST = (
    "tests/test_benchmarks.py",
    "tests/adapters/test_soak.py",
    "tests/adapters/test_fuzz.py",
    "tests/adapters/test_hostile.py",
)


def pytest_collection_modifyitems(items: list[Any]) -> None:
    def rank(item: Any) -> int:
        path = item.nodeid.split("::", 1)[0]
        return SLOWEST_FIRST.index(path) if path in SLOWEST_FIRST else len(SLOWEST_FIRST)

    items.sort(key=rank)  # stable: everything else keeps its order


class Page(Document):
    """A page whose examples run in order in one namespace: after one fails, the later
    ones are skipped, naming it, instead of each failing on a name it never defined."""

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text, path)
        self.failed: str | None = None  # the test id of the example that failed
        self.push_evaluator(self._after_failure)  # tried before each example's own

    def _after_failure(self, example: Example) -> None:
        if self.failed is not None:
            pytest.skip(f"an earlier example of this page failed: {self.failed}")
        raise NotEvaluated  # the example's own evaluator runs


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember the first example of a page that fails (what ``Page`` skips after)."""
    report = yield
    page = getattr(getattr(item, "example", None), "document", None)
    if isinstance(page, Page) and report.failed and page.failed is None:
        page.failed = item.nodeid
    return report


def pages(folder: Path = ROOT, patterns: tuple[str, ...] = ("README.md", "docs/*.md")) -> Sybil:
    """The Markdown pages under ``folder`` whose examples run (tests/test_docs_runner.py
    runs pages of its own)."""
    return Sybil(
        parsers=[
            PythonBlocks(),
            CodeBlockParser("console", _console),
            SkipParser(),
            ClearNamespaceParser(),
        ],
        path=str(folder),
        patterns=list(patterns),
        setup=_setup,
        teardown=_teardown,
        document_types={".md": Page},
    )


pytest_collect_file = pages().pytest()
