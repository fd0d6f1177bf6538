"""The ``>>>`` sessions of the README and the docs paste into ``python`` as shown.

Sybil runs them as doctests (conftest.py), and doctest forgives what the interactive
interpreter does not: after a compound statement (a decorated ``def``, a ``for``, a
``with``) the REPL keeps reading until an empty line, so a ``>>>`` line right after one
is read as part of it and is a ``SyntaxError``. These tests read each page's sessions
line by line the way the REPL does (``codeop`` through ``code.InteractiveConsole``,
compiling only, never running) and check that the prompt the page shows is the one the
REPL would show.
"""

from __future__ import annotations

import code
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
PROMPT = re.compile(r"^(>>>|\.\.\.)(?: |$)")


@dataclass
class Line:
    number: int  # 1-based, in the page
    text: str  # without its indentation


def sessions(page: Path) -> list[list[Line]]:
    """The fenced python blocks of a page that are ``>>>`` sessions, in page order."""
    found: list[list[Line]] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        index += 1
        if not opening:
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        block: list[Line] = []
        while index < len(lines):
            text = lines[index]
            index += 1
            closing = FENCE.match(text)
            if closing and closing["fence"].startswith(fence) and not closing["info"].strip():
                break
            block.append(Line(index, text[indent:]))
        language = opening["info"].strip().split(" ")[0]
        shown = [line for line in block if line.text.strip()]
        if language in ("python", "pycon") and shown and shown[0].text.startswith(">>>"):
            found.append(block)
    return found


class _Compiler(code.InteractiveConsole):
    """The interactive console's reading of input, compiling each statement only."""

    def __init__(self) -> None:
        super().__init__(filename="<stdin>")
        self.error: str | None = None

    def runcode(self, code: object) -> None:  # compile only: nothing of the page runs
        pass

    def showsyntaxerror(self, filename: str | None = None, **kwargs: object) -> None:
        self.error = "SyntaxError"

    def waiting(self) -> bool:
        """Whether the REPL would show ``...``: a statement is still being read."""
        return bool(self.buffer)


def replayed(page: Path) -> list[str]:
    """What goes wrong when a reader types the page's sessions into one ``python``.

    The blocks of a page are one session (a page's later blocks use its earlier names),
    so a statement left open at the end of a block swallows the next block's first line.
    """
    problems: list[str] = []
    console = _Compiler()
    name = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page.name
    for block in sessions(page):
        begun = 0  # the line where the statement being read began
        for line in block:
            prompt = PROMPT.match(line.text)
            if prompt is None:  # output, shown once the statement has run
                if console.waiting():
                    problems.append(
                        f"{name}:{line.number}: output shown while the REPL is still reading"
                        f" the statement of line {begun} (end it with an empty `...` line)"
                    )
                    console.resetbuffer()
                continue
            if prompt[1] == ">>>" and console.waiting():
                problems.append(
                    f"{name}:{line.number}: `>>>` shown, but the REPL still reads the"
                    f" statement of line {begun} and would take this line as part of it"
                    " (a SyntaxError); end that statement with an empty `...` line"
                )
                console.resetbuffer()
            elif prompt[1] == "..." and not console.waiting():
                problems.append(
                    f"{name}:{line.number}: `...` shown, but the statement before it is"
                    " complete: the REPL would show `>>>` (and run that statement first)"
                )
            if not console.waiting():
                begun = line.number
            console.error = None
            console.push(line.text[4:] if len(line.text) > 3 else "")
            if console.error:
                problems.append(f"{name}:{line.number}: {console.error} in the REPL")
        if console.waiting():
            problems.append(
                f"{name}:{block[-1].number}: the block ends while the REPL still reads the"
                f" statement of line {begun}; end it with an empty `...` line"
            )
            console.resetbuffer()
    return problems


def test_pages_have_sessions() -> None:
    """The extraction finds the sessions (a broken pattern would pass every page)."""
    assert len(sessions(ROOT / "docs" / "quickstart.md")) >= 4
    assert sum(len(sessions(page)) for page in PAGES) >= 20


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_sessions_paste_into_the_repl(page: Path) -> None:
    assert replayed(page) == []


def test_an_open_decorated_function_is_caught(tmp_path: Path) -> None:
    """The quickstart's old client lines: a decorated function, then ``>>>`` at once."""
    page = tmp_path / "page.md"
    page.write_text(
        "```python\n"
        ">>> @client.on(Chat.said)\n"
        "... def said(message):\n"
        "...     heard.put(message)\n"
        '>>> client.connect("http://127.0.0.1:5000")\n'
        "```\n",
        encoding="utf-8",
    )
    problems = replayed(page)
    assert len(problems) == 1
    # the page is named from the checkout when the temporary folder lies inside it
    where, problem = problems[0].split(":5: ", 1)
    assert where.endswith("page.md")
    assert problem.startswith("`>>>` shown, but the REPL still reads the")
    assert "the statement of line 2" in problems[0]


@pytest.mark.parametrize(
    ("session", "wrong"),
    [
        # the same, ended by an empty `...` line as the REPL needs: nothing to report
        (">>> for x in []:\n...     pass\n...\n>>> x = 1\n", None),
        # output after an open statement
        (">>> for x in [1]:\n...     print(x)\n1\n", "output shown"),
        # a block that leaves its statement open swallows the next block
        (">>> with open(x) as f:\n...     f.read()\n", "the block ends"),
        # a continuation shown after a complete statement
        (">>> x = 1\n... y = 2\n", "`...` shown"),
        # a statement that does not compile
        (">>> x = = 1\n", "SyntaxError"),
    ],
)
def test_what_the_repl_does(tmp_path: Path, session: str, wrong: str | None) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"```python\n{session}```\n", encoding="utf-8")
    problems = replayed(page)
    if wrong is None:
        assert problems == []
    else:
        assert len(problems) == 1
        assert wrong in problems[0]
