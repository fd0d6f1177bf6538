"""The benchmarks still run: each module once with its quickest settings.

No timing is asserted: the numbers only mean something from a full run (``nox -s
bench``). Contenders and stacks whose packages are not installed here are skipped by
the benchmarks themselves. The test group has pydantic and, on Python < 3.13,
sio-asyncapi 1.0.0 (it does not install on 3.13), but not gevent; the ``bench`` group
has all of them, pinned. So this covers stock, msgspec, pydantic and sioschema always,
sio-asyncapi below Python 3.13, and every stack and contender when run in a bench
environment (``nox -s bench -- proof`` runs the validation checks of every contender
there).

Every benchmark first sends each contender an invalid payload and stops if a
validating one accepts it (or the unvalidated one rejects it), so each run here also
checks that the contenders validate what their rows say they do.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path
from typing import Any

import msgspec
import pytest

from benchmarks import _proof, chart, gc_pauses
from benchmarks.contenders import Codec
from benchmarks.payloads import PAYLOADS
from sioschema import Event, EventRegistry
from tests import programs

ROOT = Path(__file__).resolve().parent.parent
# what `python -m benchmarks.e2e --stacks uvicorn-asyncio flask-threading --payloads small
# large --rounds 2 --save FILE` wrote (tiny windows): sio-asyncapi on Flask only
SAVED_E2E = Path(__file__).resolve().parent / "bench_e2e_results.json"
SVG = "{http://www.w3.org/2000/svg}"


def run(module: str, *args: str, timeout: float = 60) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", "--quick", "--json", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["machine"]["cores"]
    assert result["versions"]["msgspec"] != "not installed"
    return result


@pytest.mark.parametrize("module", ["micro", "packet"])
def test_codecs(module: str) -> None:
    result = run(module)
    assert set(result["results"]) == {"small", "medium", "large"}
    for per in result["results"].values():
        assert per["decode"].keys() == per["encode"].keys()
        assert result["baseline"] in per["decode"]
        assert any(label.startswith("sioschema") for label in per["decode"])
        assert all(row["median_us"] > 0 for row in per["decode"].values())


def test_memory() -> None:
    result = run("memory", "--payloads", "small", "large")
    rows = result["results"]["large"]["rows"]
    assert rows["sioschema ArgsCodec (untyped msgspec + convert)"]["type"] == "WorldSnapshot"
    assert all(row["bytes"] > 0 for row in rows.values())


def test_gc_pauses() -> None:
    result = run("gc_pauses")
    assert set(result["results"]) == {
        "stock dicts",
        "default",
        "gc=False",
        "freeze",
        "gc=False + freeze",
        "gc off",
    }
    assert result["results"]["gc off"]["collections_per_1000_events"] == 0
    assert result["rounds"] >= 3
    for row in result["results"].values():
        assert len(row["us_per_event_rounds"]) == result["rounds"]
        assert 0 < row["us_per_event_min"] <= row["us_per_event"] <= row["us_per_event_max"]


def test_gc_pauses_proves_each_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scenario whose payload types validate nothing stops the run before it is timed;
    the real ones pass their proof."""

    class Lax(msgspec.Struct):  # no constraint: health 101 goes through
        tick: int
        entities: list[dict[str, Any]]

    class Unchecked(EventRegistry):
        bench = Event(request=Lax, ack=Lax)

    for scenario in ("stock dicts", "default", "gc=False"):
        gc_pauses._step(scenario, deque())()
    monkeypatch.setattr(gc_pauses, "Untracked", Unchecked)
    with pytest.raises(_proof.ProofFailed, match=r"'sioschema codec \(gc=False\)' \(large\)"):
        gc_pauses._step("gc=False", deque())


def test_roundtrip() -> None:
    result = run("roundtrip", "--payloads", "small", "medium")
    for per in result["results"].values():
        assert {"stock", "sioschema"} <= per["median_us"].keys()
        assert per["sioschema_layer_us"] > 0


def test_e2e_and_chart(tmp_path: Path) -> None:
    """Two stacks, small payload, every contender installed here; the run draws its
    chart. Each server first proves it rejects an invalid payload (stock echoes it)."""
    drawn = tmp_path / "e2e.svg"
    result = run(
        "e2e",
        "--stacks",
        "uvicorn-asyncio",
        "flask-threading",
        "--payloads",
        "small",
        "--chart",
        str(drawn),
        timeout=120,
    )
    assert result["errors"] == []
    for stack in ("uvicorn-asyncio", "flask-threading"):
        cells = result["results"][stack]["small"]
        assert {"stock", "sioschema"} <= set(cells)
        assert all(cell["events_per_s"] > 0 for cell in cells.values())
        assert all(cell["events_per_s_min"] <= cell["events_per_s_max"] for cell in cells.values())
    texts = _chart_texts(drawn)
    for cells in (result["results"][s]["small"] for s in ("uvicorn-asyncio", "flask-threading")):
        assert all(any(t.startswith(f"{name} ") for t in texts) for name in cells)


def _chart_texts(path: Path) -> list[str]:
    """The text of every <text> element of a chart, after checking that it parses."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_chart_from_saved_results(tmp_path: Path) -> None:
    """`python -m benchmarks.chart SAVED.json --output FILE` draws every stack, payload
    and contender of a saved e2e run, each bar labelled with its events/s."""
    saved = json.loads(SAVED_E2E.read_text())
    out = tmp_path / "charts" / "e2e.svg"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.chart", str(SAVED_E2E), "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    texts = _chart_texts(out)
    assert saved["title"] in "\n".join(texts)
    labels = [t for t in texts if t.endswith(" us)")]  # "sioschema 3,339/s (197 us)"
    cells = [
        (name, cell)
        for per_stack in saved["results"].values()
        for per_size in per_stack.values()
        for name, cell in per_size.items()
    ]
    assert len(labels) == len(cells) == 14
    for name, cell in cells:
        assert f"{name} {cell['events_per_s']:,.0f}/s" in " ".join(labels), name
    assert {"sio-asyncapi", "pydantic", "stock", "sioschema"} == {name for name, _ in cells}
    for stack in saved["results"]:
        assert stack in texts
    svg = out.read_text()
    assert "<dc:date>" not in svg  # reproducible: no date
    again = tmp_path / "again.svg"
    chart.write(saved, again)
    assert again.read_text() == svg  # the same bytes from the same JSON


def test_chart_refuses_another_benchmark(tmp_path: Path) -> None:
    other = tmp_path / "micro.json"
    other.write_text(json.dumps({"benchmark": "micro", "results": {}}))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.chart", str(other), "--output", str(tmp_path / "x")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "not a saved benchmarks.e2e result" in done.stderr


def test_proof() -> None:
    """Every contender installed here, on every path: the validating ones reject the
    invalid payload, stock passes it through."""
    result = run("proof", timeout=120)
    checks = result["checks"]
    paths = {c["path"] for c in checks}
    assert {"micro", "packet", "flask test client", "uvicorn-asyncio", "flask-threading"} <= paths
    for check in checks:
        unvalidated = check["contender"] == "stock" or "(untyped)" in check["contender"]
        assert check["result"] == ("passed through" if unvalidated else "rejected"), check


def test_proof_catches_a_contender_that_validates_nothing() -> None:
    p = PAYLOADS["small"]
    passes = Codec(decode=lambda wire: wire, encode=lambda obj: obj, obj=None)
    claims = Codec(
        decode=lambda wire: wire, encode=lambda obj: obj, obj=None, rejects=(ValueError,)
    )
    _proof.codecs("packet", p, {"untyped": passes})
    with pytest.raises(_proof.ProofFailed, match="'claims' \\(small\\) accepted an invalid"):
        _proof.codecs("packet", p, {"claims": claims})
    with pytest.raises(_proof.ProofFailed, match="validator \\(small\\) accepted an invalid"):
        _proof.answer("validator", True, p, p.invalid)  # it echoed the payload
    with pytest.raises(_proof.ProofFailed, match="should pass the payload through"):
        _proof.answer("stock", False, p, {"error": {"code": "invalid_payload"}})
    _proof.answer("validator", True, p, {"error": {"code": "invalid_payload"}})
    _proof.answer("stock", False, p, p.invalid)


@pytest.mark.timeout(300)
def test_instructions() -> None:
    """The instruction counts run (50 events per case under callgrind)."""
    programs.require("valgrind", "valgrind", "the instruction counts run under callgrind")
    result = run(
        "instructions",
        "--benchmarks",
        "packet",
        "--payloads",
        "small",
        "--contenders",
        "stock",
        "sioschema",
        timeout=280,
    )
    per = result["results"]["packet"]["small"]
    assert per["instructions"]["sioschema codec | in"] > 1000
    assert per["ratios"]["sioschema / stock in"] > 0


@pytest.mark.timeout(300)
def test_instructions_floor() -> None:
    """decode+validate beside msgspec's bare typed decode, and the line that says it."""
    result = run("instructions", "--benchmarks", "floor", "--payloads", "small", timeout=280)
    per = result["results"]["floor"]["small"]
    assert per["instructions"]["sioschema decode_frame (decode+validate)"] > 1000
    assert per["ratios"]["sioschema / bare body"] > 1
    assert result["decode_vs_bare"].startswith(
        "decode+validate vs bare typed decode (instructions): small "
    )


@pytest.mark.timeout(300)
def test_instructions_errors() -> None:
    """A declared Reject answered beside the ack, each proved first (its label)."""
    programs.require("valgrind", "valgrind", "the instruction counts run under callgrind")
    result = run(
        "instructions",
        "--benchmarks",
        "errors",
        "--payloads",
        "small",
        "--contenders",
        "sioschema",
        timeout=280,
    )
    got = result["results"]["errors"]["small"]["instructions"]
    assert set(got) == {
        "sioschema: handler returns the ack",
        "sioschema: handler raises a declared Reject",
    }
    assert all(n > 1000 for n in got.values())


def test_scaleout() -> None:
    """Both emitters through a real redis-server and a server process; the sioschema
    emitter first proves it refuses an invalid note."""
    result = run("scaleout", timeout=120)
    for name in ("stock", "sioschema"):
        figures = result["results"][name]
        assert figures["latency_median_us"] > 0 and figures["e2e_per_s"] > 0


@pytest.mark.timeout(300)
def test_rejections() -> None:
    """The hostile frames and the valid one are counted (3 frames per case); each was
    first answered as its row says (delivered, or refused with its code)."""
    programs.require("valgrind", "valgrind", "the instruction counts run under callgrind")
    result = run("rejections", timeout=280)
    assert set(result["ratios"]) == {
        "valid list[Pos]",
        "args [],[],...",
        "args {},{},...",
        "Struct <- [[],...]",
        "Struct <- [{},...]",
        "list[Pos] <- [[],...]",
        "list[Pos] <- [{},...]",
        "str \\n...\\ud800",
        "str \\n... cut off",
        "ack \\n...\\ud800",
    }
    assert all(n > 1000 for n in result["instructions"].values())
    assert all(80_000 < size <= 100_000 for size in result["sizes"].values())
