"""The benchmarks still run: each module once with its quickest settings.

No timing is asserted: the numbers only mean something from a full run (``nox -s
bench``). Contenders and stacks whose packages are not installed here are skipped by
the benchmarks themselves (the test group has no pydantic, sio-asyncapi or gevent; the
``bench`` group has all of them), so this covers stock, msgspec and sioschema always,
and every contender when run in a bench environment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(module: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", "--quick", "--json", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
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
    assert all(row["us_per_event"] > 0 for row in result["results"].values())


def test_roundtrip() -> None:
    result = run("roundtrip", "--payloads", "small", "medium")
    for per in result["results"].values():
        assert {"stock", "sioschema"} <= per["median_us"].keys()
        assert per["sioschema_layer_us"] > 0


def test_e2e_and_chart(tmp_path: Path) -> None:
    """Two stacks, small payload; the run draws its chart."""
    chart = tmp_path / "e2e.svg"
    result = run(
        "e2e",
        "--stacks",
        "uvicorn-asyncio",
        "flask-threading",
        "--payloads",
        "small",
        "--contenders",
        "stock",
        "sioschema",
        "--chart",
        str(chart),
    )
    assert result["errors"] == []
    for stack in ("uvicorn-asyncio", "flask-threading"):
        cells = result["results"][stack]["small"]
        assert set(cells) == {"stock", "sioschema"}
        assert all(cell["events_per_s"] > 0 for cell in cells.values())
    svg = chart.read_text()
    assert svg.startswith("<svg") and "sioschema" in svg
