"""Development sessions: ``nox -s tests``, ``tests_oldest``, ``tests_newest``, ``lint``,
``typing``, ``docs``, ``demo``, ``bench``, ``package``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import nox
from packaging.requirements import Requirement

nox.options.sessions = ["tests", "lint", "typing"]
nox.options.reuse_existing_virtualenvs = True
# a session whose Python is missing fails instead of being skipped (tests_oldest, ...)
nox.options.error_on_missing_interpreters = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
NODE_TESTS = "tests/js"
OLDEST_PYTHON = "3.10"  # requires-python's floor
NEWEST_PYTHON = "3.13"  # the newest CPython the classifiers list
WORKERS = min(8, max(4, 2 * (os.cpu_count() or 1)))  # pytest-xdist processes, the suite


def _pyenv_interpreters() -> None:
    """Make ``python3.X`` of every pyenv-installed CPython findable by nox.

    pyenv's shims answer only for the versions ``pyenv global`` names; links to the real
    interpreters go first on PATH (only ``python3.X`` names, so nothing else changes).
    """
    try:
        root = subprocess.run(
            ["pyenv", "root"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return
    links = Path(".nox", "interpreters").resolve()
    for python in sorted(Path(root, "versions").glob("3.*/bin/python3.*")):
        if python.name.count(".") != 1 or not python.name[len("python3.") :].isdigit():
            continue  # python3.13-config, python3.13t ...
        links.mkdir(parents=True, exist_ok=True)
        link = links / python.name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(python)
    if links.is_dir():
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ.get('PATH', '')}"


_pyenv_interpreters()


def _lower_bounds() -> list[str]:
    """``name==floor`` for every runtime dependency and extra: the oldest releases the
    pyproject allows, as a pip constraints file takes them."""
    project = PYPROJECT["project"]
    declared = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        declared.extend(extra)
    floor_of: dict[str, str] = {}  # one line per project (an extra may name one again)
    for line in declared:
        req = Requirement(line)
        floors = [spec.version for spec in req.specifier if spec.operator in (">=", "==")]
        if len(floors) != 1 or floor_of.setdefault(req.name, floors[0]) != floors[0]:
            msg = f"{line!r}: a runtime dependency needs exactly one lower bound"
            raise ValueError(msg)
    return [f"{name}=={floor}" for name, floor in floor_of.items()]


# Every program the suite drives besides Python: (what it is for, the Debian/Ubuntu packages
# that provide it, how to tell it is there). The tests fail, never skip, without one.
SYSTEM_PARTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("the docs page in a headless browser", ("chromium",), ("chromium",)),
    ("scale-out over Redis", ("redis-server",), ("redis-server",)),
    # the server script itself, without the package's `su` wrapper, and its epmd
    (
        "scale-out over RabbitMQ (kombu)",
        ("rabbitmq-server",),
        ("/usr/lib/rabbitmq/bin/rabbitmq-server", "epmd"),
    ),
    ("instruction counts in the benchmarks' smoke test", ("valgrind",), ("valgrind",)),
    ("socket.io-client, tsc and @asyncapi/parser", ("nodejs", "npm"), ("node", "npm")),
)
# set to 1 to only check, never install (then a missing part stops the session at once)
NO_INSTALL = "SIOSCHEMA_NO_INSTALL"


def _present(program: str) -> bool:
    if os.path.isabs(program):
        return os.access(program, os.X_OK)
    return shutil.which(program) is not None


def _missing_packages() -> list[tuple[str, str]]:
    """(package, what it is for) for every system part that is not on this machine."""
    return [
        (package, purpose)
        for purpose, packages, programs in SYSTEM_PARTS
        if not all(_present(program) for program in programs)
        for package in packages
    ]


def _can_install() -> list[str] | None:
    """The command prefix that may run apt-get here (``[]`` as root, ``["sudo", "-n"]``
    with passwordless sudo), or None: not Debian/Ubuntu, or no right to install."""
    if os.environ.get(NO_INSTALL, "") not in ("", "0") or shutil.which("apt-get") is None:
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") is not None:
        probe = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["sudo", "-n"]
    return None


def _provision(session: nox.Session) -> None:
    """Make sure every system part of ``SYSTEM_PARTS`` is here before anything else runs.

    A missing one is installed with apt-get where this machine allows it (root, or
    passwordless sudo), one log line per package; otherwise the session stops at once
    with the one command that installs them all.
    """
    missing = _missing_packages()
    if not missing:
        return
    packages = list(dict.fromkeys(package for package, _ in missing))
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    prefix = _can_install()
    if prefix is None:
        needs = "; ".join(f"{package} ({purpose})" for package, purpose in missing)
        session.error(
            f"the test suite needs {needs}, and this machine may not install them: run "
            f"`sudo apt-get update && sudo {' '.join(command)}` (Debian/Ubuntu), or install "
            "them with your system's package manager, then run this command again"
        )
    for package, purpose in missing:
        session.log("installing the Debian package %s (%s)", package, purpose)
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    apt_get = [*prefix, "env", *(f"{k}={v}" for k, v in env.items())]
    session.run(*apt_get, "apt-get", "update", "-q", external=True, silent=True)
    session.run(*apt_get, *command, external=True, silent=True)
    still = _missing_packages()
    if still:
        names = ", ".join(dict.fromkeys(package for package, _ in still))
        session.error(f"apt-get ran, but these are still missing: {names}")


def _suite(session: nox.Session, *pip_args: str) -> None:
    _provision(session)
    session.install(
        *pip_args,
        "-e",
        ".[flask,yaml,client,redis,kombu]",
        *nox.project.dependency_groups(PYPROJECT, "test"),
    )
    session.run("python", "-m", "pip", "list", "--format=freeze", silent=False)
    with session.chdir(NODE_TESTS):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    # Most tests wait on sockets and subprocesses, so more workers than cores pay off; a
    # file runs whole on one worker (a docs page's examples share one namespace, and a
    # module's servers and brokers start once). `-- -n 0` runs it in one process.
    session.run("pytest", "-n", str(WORKERS), "--dist", "loadfile", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite on this Python and the newest releases allowed (upgraded if reused).

    Unit tests, the adapters over real sockets, node's socket.io-client, tsc on the
    TypeScript contract, the AsyncAPI parser, the docs page in headless Chromium, and
    scale-out across processes on a real redis-server and rabbitmq-server.
    """
    _suite(session, "--upgrade", "--upgrade-strategy", "eager")


@nox.session(python=OLDEST_PYTHON)
def tests_oldest(session: nox.Session) -> None:
    """The whole suite on the oldest Python and the lowest runtime releases allowed."""
    constraints = Path(session.create_tmp(), "lowest.txt")
    constraints.write_text("\n".join(_lower_bounds()) + "\n")
    session.log("lower bounds: %s", ", ".join(_lower_bounds()))
    _suite(session, "-c", str(constraints))


@nox.session(python=NEWEST_PYTHON)
def tests_newest(session: nox.Session) -> None:
    """The whole suite on the newest Python and the newest releases allowed."""
    _suite(session, "--upgrade", "--upgrade-strategy", "eager")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and format check; the import contract of the stages (import-linter);
    no function of the package above cyclomatic complexity 20 (xenon: radon's rank C)."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports")
    session.run("xenon", "--max-absolute", "C", "sioschema")


@nox.session
def typing(session: nox.Session) -> None:
    """mypy --strict over the package and the typing examples."""
    session.install("-e", ".[flask]", *nox.project.dependency_groups(PYPROJECT, "typing"))
    session.run("mypy")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the docs site (Sphinx, furo, MyST) into docs/_build/html, warnings as errors.

    The examples on its pages run with the test suite (Sybil, ``conftest.py``):
    ``pytest README.md docs``.
    """
    session.install("-e", ".[flask,yaml]", *nox.project.dependency_groups(PYPROJECT, "docs"))
    out = Path("docs", "_build", "html")
    session.run("sphinx-build", "-W", "--keep-going", "-n", "-q", "-b", "html", "docs", str(out))
    session.log("the site: %s", out.resolve() / "index.html")


@nox.session
def demo(session: nox.Session) -> None:
    """Run the tic-tac-toe demo server (``nox -s demo -- --server flask`` for Flask)."""
    session.install("-e", ".[flask,yaml]", *nox.project.dependency_groups(PYPROJECT, "demo"))
    session.run("python", "-m", "examples.tictactoe", *session.posargs)


BENCHMARKS = ("micro", "packet", "memory", "gc_pauses", "roundtrip", "e2e")
# by name only: the validation checks of every contender (a CI check, seconds), the
# callgrind instruction counts and the cost of refusing hostile frames (need valgrind;
# minutes) and the scale-out figures
# (needs redis-server)
ON_DEMAND = ("proof", "instructions", "scaleout", "rejections")
E2E_CHART = "docs/benchmarks/e2e.svg"
# the run the chart is drawn from: `python -m benchmarks.chart` redraws it from this
E2E_RESULTS = "docs/benchmarks/e2e.json"


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against sio-asyncapi and pydantic: all, or one (``-- micro --json``).

    ``nox -s bench`` runs every benchmark and redraws the end-to-end chart (saving the
    run it is drawn from beside it, for ``python -m benchmarks.chart``);
    ``nox -s bench -- e2e --stacks uvicorn-auto --payloads small`` runs one with its
    options; ``nox -s bench -- --quick`` is a smoke run of all; ``nox -s bench -- proof``
    checks that every contender validates what it says; ``nox -s bench -- instructions``
    prints the callgrind instruction ratios; ``nox -s bench -- scaleout`` times emits
    across processes through a redis-server.
    """
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "bench"))
    args = list(session.posargs)
    names = [args.pop(0)] if args and args[0] in BENCHMARKS + ON_DEMAND else list(BENCHMARKS)
    for name in names:
        extra = []
        if name == "e2e" and "--quick" not in args and "--chart" not in args:
            extra = ["--chart", E2E_CHART]
            if "--save" not in args:
                extra += ["--save", E2E_RESULTS]
        session.run("python", "-m", f"benchmarks.{name}", *args, *extra)


PACKAGE_CHECK = "tests/package_check.py"


def _fresh_venv(session: nox.Session, path: Path) -> str:
    """A new virtual environment of the session's Python at ``path``: its ``python``."""
    shutil.rmtree(path, ignore_errors=True)
    session.run("python", "-m", "venv", str(path))
    return str(path / ("Scripts" if os.name == "nt" else "bin") / "python")


@nox.session
def package(session: nox.Session) -> None:
    """Build the sdist and the wheel, and try them outside the checkout; they land in dist/.

    ``python -m build`` makes both (the wheel from the sdist), ``twine check --strict``
    and ``tests/package_check.py`` check them as archives (license, URLs, a description
    without relative links). A fresh environment holding only the wheel, with the extras
    and uvicorn as the README installs them, runs the demo on both servers (a Socket.IO
    client's calls, the docs page) and the ``sioschema`` command from a scratch folder
    with a copy of ``examples/``. Another installs the sdist (not editable) with the test
    group, and the unpacked sdist runs its unit tests and the README's examples (with its
    own conftest.py and pytest configuration).
    """
    session.install(*nox.project.dependency_groups(PYPROJECT, "package"))
    tmp = Path(session.create_tmp()).resolve()
    built = tmp / "dist"
    shutil.rmtree(built, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(built))
    (sdist,) = built.glob("sioschema-*.tar.gz")
    (wheel,) = built.glob("sioschema-*.whl")
    session.run("twine", "check", "--strict", str(sdist), str(wheel))
    session.run("python", PACKAGE_CHECK, "metadata", str(wheel), str(sdist))

    python = _fresh_venv(session, tmp / "wheel-venv")
    session.run(
        python, "-m", "pip", "install", f"{wheel}[yaml,client,flask]", "uvicorn", external=True
    )
    session.run(python, "-I", PACKAGE_CHECK, "installed", "examples", external=True)

    unpacked = tmp / "sdist"
    shutil.rmtree(unpacked, ignore_errors=True)
    with tarfile.open(sdist) as archive:
        archive.extractall(unpacked, filter="data")
    (tree,) = unpacked.iterdir()
    python = _fresh_venv(session, tmp / "sdist-venv")
    session.run(
        python,
        "-m",
        "pip",
        "install",
        str(sdist),
        *nox.project.dependency_groups(PYPROJECT, "test"),
        external=True,
    )
    with session.chdir(tree / NODE_TESTS):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    with session.chdir(tree):
        session.run(python, "-m", "pytest", "tests/unit", "README.md", external=True)

    Path("dist").mkdir(exist_ok=True)
    for artifact in (sdist, wheel):
        shutil.copy2(artifact, Path("dist", artifact.name))
        session.log("checked: %s", Path("dist", artifact.name).resolve())
