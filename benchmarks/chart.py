"""The end-to-end chart, drawn with matplotlib from a ``benchmarks.e2e`` result.

One row of panels per stack, one panel per payload size, one bar per contender: events
per second (longer is better), each panel on its own scale, with the value and the
server CPU per event printed beside the bar. A thin black line with end caps spans the
lowest to the highest round's events/s (when there was more than one round).

Redraw it from a saved run (``python -m benchmarks.e2e --save RESULTS.json``)::

    python -m benchmarks.chart RESULTS.json --output docs/benchmarks/e2e.svg

``python -m benchmarks.e2e --chart FILE`` draws the same chart at the end of a run. The
SVG is as reproducible as matplotlib makes it: text kept as text (``svg.fonttype:
none``), fixed ids (``svg.hashsalt``), no date, matplotlib's default style whatever the
local ``matplotlibrc`` says; the same JSON and matplotlib release give the same bytes.
"""

from __future__ import annotations

import argparse
import io
import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib.style
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

COLOURS = {
    "stock": "#9e9e9e",
    "pydantic": "#e6862b",
    "sio-asyncapi": "#c0392b",
    "sioschema": "#2a7ab0",
}
FALLBACK = ("#6a994e", "#8e44ad", "#16a085")

# what makes two drawings of the same result byte for byte the same
RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",  # text stays <text> (searchable, no glyph paths)
    "svg.hashsalt": "sioschema-e2e",  # ids of clip paths etc. do not change run to run
    "font.size": 8,
    "axes.titlesize": 9,
}
METADATA = {"Date": None}
BAR_H = 0.7
# the label stays readable where the line of the spread crosses it
LABEL_BOX = {"boxstyle": "square,pad=0.15", "facecolor": "white", "alpha": 0.7, "linewidth": 0}


def contenders(result: dict[str, Any]) -> list[str]:
    """Every contender of the result: the known ones in the order of ``COLOURS`` (that of
    ``benchmarks.e2e``), then any other in the order the result first names it."""
    found: list[str] = []
    for per_stack in result["results"].values():
        for per_size in per_stack.values():
            for name in per_size:
                if name not in found:
                    found.append(name)
    return [c for c in COLOURS if c in found] + [c for c in found if c not in COLOURS]


def figure(result: dict[str, Any]) -> Figure:
    """The chart of one ``benchmarks.e2e`` result (its JSON form), on an Agg canvas."""
    stacks: dict[str, dict[str, dict[str, Any]]] = result["results"]
    sizes = [s for s in result["payloads"] if any(s in per for per in stacks.values())]
    names = contenders(result)
    colour = {c: COLOURS.get(c, FALLBACK[i % len(FALLBACK)]) for i, c in enumerate(names)}
    rows, cols = max(len(stacks), 1), max(len(sizes), 1)
    width = 1.2 + 3.3 * cols  # inches
    fig = Figure(figsize=(width, 1.3 + (0.3 * len(names) + 0.45) * rows), layout="constrained")
    chars = int(width * 15)  # what a line of the small print holds
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, cols, squeeze=False)
    for row, (stack, per_stack) in enumerate(stacks.items()):
        # the contenders that ran on this stack, in the same slots in each of its panels
        here = [n for n in names if any(n in cells for cells in per_stack.values())]
        for col, size in enumerate(sizes):
            ax = axes[row][col]
            _panel(ax, per_stack.get(size, {}), here, len(names), colour)
            if row == 0:
                ax.set_title(f"{size} payload", fontweight="bold")
            if col == 0:
                ax.set_ylabel(stack, fontweight="bold", rotation=0, ha="right", va="center")
    fig.suptitle(
        f"{result['title']}\n{textwrap.fill(_subtitle(result), chars)}",
        x=0.01,
        ha="left",
        fontsize=9,
    )
    fig.supxlabel(
        textwrap.fill(
            "events/s (server CPU per event); longer is better, each panel has its own "
            "scale. Drawn by python -m benchmarks.chart.",
            chars,
        ),
        x=0.01,
        ha="left",
        fontsize=7,
        color="#555555",
    )
    return fig


def _panel(
    ax: Axes,
    cells: dict[str, dict[str, Any]],
    names: list[str],
    slots: int,
    colour: dict[str, str],
) -> None:
    """One stack and payload: a bar per contender of ``names`` from the top, in ``slots``
    bar heights (the same in every panel)."""
    best = max(
        (c.get("events_per_s_max") or c.get("events_per_s") or 0 for c in cells.values()),
        default=0,
    )
    best = best or 1
    ax.set_facecolor("#f6f6f6")
    ax.set_xlim(0, best * 1.02)
    ax.set_ylim(slots - 0.5, -0.5)  # the first contender on top
    ax.set_yticks([])
    ax.tick_params(axis="x", labelsize=6, length=2, pad=1)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    for spine in ax.spines.values():
        spine.set_visible(False)
    for y, name in enumerate(names):
        cell = cells.get(name)
        if cell is None:
            continue  # this contender does not run on this stack
        eps = cell.get("events_per_s")
        if not eps:
            ax.text(best * 0.01, y, f"{name}: no result", va="center", color="#555555")
            continue
        label = f"{name} {eps:,.0f}/s"
        if cell.get("server_cpu_us_per_event"):
            label += f" ({cell['server_cpu_us_per_event']:,.0f} us)"
        ax.barh(y, eps, height=BAR_H, color=colour[name], label=name)
        low, high = cell.get("events_per_s_min"), cell.get("events_per_s_max")
        if low and high and high > low:
            ax.errorbar(
                eps,
                y,
                xerr=[[max(eps - low, 0)], [max(high - eps, 0)]],
                fmt="none",
                ecolor="black",
                elinewidth=0.8,
                capsize=2.5,
                capthick=0.8,
            )
        ax.text(best * 0.01, y, label, va="center", ha="left", zorder=4, bbox=LABEL_BOX)


def svg(result: dict[str, Any]) -> str:
    """The chart of one ``benchmarks.e2e`` result as SVG text."""
    out = io.StringIO()
    with matplotlib.style.context("default"), rc_context(RC):
        fig = figure(result)
        fig.savefig(out, format="svg", metadata=METADATA)
    return out.getvalue()


def write(result: dict[str, Any], path: Path) -> None:
    """Draw the chart of ``result`` into ``path`` (its folder made if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg(result))


def _subtitle(result: dict[str, Any]) -> str:
    m = result["machine"]
    return (
        f"{m['cpu']}, {m['cores']} cores, {m['python']}; {result['connections']} websocket "
        f"connections, one event in flight each; medians of {result.get('rounds', 1)} "
        "round(s), lines span the lowest to the highest round"
    )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Draw the end-to-end chart from a saved run.")
    p.add_argument("results", type=Path, help="the JSON of `python -m benchmarks.e2e --save`")
    p.add_argument("--output", type=Path, required=True, metavar="SVG", help="write it here")
    args = p.parse_args(argv)
    result = json.loads(args.results.read_text())
    if result.get("benchmark") != "e2e":
        p.error(f"{args.results} is not a saved benchmarks.e2e result")
    write(result, args.output)


if __name__ == "__main__":
    main()
