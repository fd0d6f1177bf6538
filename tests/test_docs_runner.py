"""How the examples of a page run (the root conftest.py): once one fails, the page's later
examples, which would fail on names it never defined, are skipped naming it; the failure
itself still fails the run."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parents[1]

# the pages' own runner (root conftest.py), on the Markdown pages of a scratch folder
CONFTEST = f"""
import importlib.util
import sys
from pathlib import Path

sys.path.insert(0, {str(ROOT)!r})
spec = importlib.util.spec_from_file_location("docs_runner", {str(ROOT / "conftest.py")!r})
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)
pytest_collect_file = runner.pages(Path(__file__).parent, ("*.md",)).pytest()
pytest_runtest_makereport = runner.pytest_runtest_makereport
"""

INI = """[pytest]
addopts = -p no:anyio -p no:cacheprovider
asyncio_default_fixture_loop_scope = function
"""
FENCE = "```"


def page(*blocks: tuple[str, str]) -> str:
    return "\n".join(f"Text.\n\n{FENCE}{kind}\n{body}{FENCE}\n" for kind, body in blocks)


@pytest.fixture
def pages(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    pytester.makeini(INI)
    return pytester


def test_examples_after_a_failure_are_skipped_naming_it(pages: pytest.Pytester) -> None:
    pages.makefile(
        ".md",
        page=page(
            ("python", "defined = 1\n"),
            ("python", 'raise RuntimeError("the second example breaks")\nlater = 2\n'),
            ("python", ">>> later\n2\n"),
            ("console", "$ echo hi\nhi\n"),
            ("python", "print(later)\n"),
        ),
    )
    result = pages.runpytest_subprocess("-rs", "-p", "no:randomly")
    # the doctest's expression and output are one example, the console block one
    result.assert_outcomes(passed=1, failed=1, skipped=3)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*RuntimeError: the second example breaks*",
            "SKIPPED [[]3[]] *: an earlier example of this page failed: page.md::line:9,column:1",
        ]
    )
    result.stdout.no_fnmatch_line("*NameError*")


def test_a_failing_doctest_skips_the_rest(pages: pytest.Pytester) -> None:
    """A doctest that prints something else fails as a ``SybilFailure`` (a return value,
    not an exception); the console block after it is skipped too."""
    pages.makefile(
        ".md",
        page=page(
            ("python", ">>> x = 1\n>>> x + 1\n3\n"),
            ("console", "$ echo hi\nhi\n"),
        ),
    )
    result = pages.runpytest_subprocess("-rs")
    result.assert_outcomes(passed=1, failed=1, skipped=1)  # each `>>>` is an example
    result.stdout.fnmatch_lines(
        ["*an earlier example of this page failed: page.md::line:5,column:1"]
    )


def test_each_page_runs_on_after_another_page_failed(pages: pytest.Pytester) -> None:
    pages.makefile(".md", broken=page(("python", "1 / 0\n"), ("python", "x = 1\n")))
    pages.makefile(".md", fine=page(("python", "x = 1\n"), ("python", "assert x == 1\n")))
    result = pages.runpytest_subprocess("-rs")
    result.assert_outcomes(passed=2, failed=1, skipped=1)
