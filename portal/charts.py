"""The figures pages' charts, drawn on the server by matplotlib (Agg, SVG): no JavaScript needed.

Each chart prints its numbers beside its marks and names withheld figures in words (``[c]``),
so neither colour nor position alone carries a value; the pages give each a text alternative
and a table with the same numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

BLUE = "#1d70b8"  # GOV.UK blue
BLACK = "#0b0c0c"
GREY = "#505a5f"
FONT = {"family": "sans-serif", "size": 9}


@dataclass(frozen=True)
class Point:
    """One mark: its label, value and interval (None where there is none), and the text to
    print beside it (the value for people, or ``[c]`` where it is withheld)."""

    label: str
    value: float | None
    lower: float | None
    upper: float | None
    text: str


def new_figure(width: float, height: float):  # type: ignore[no-untyped-def]
    """A matplotlib Figure not tied to pyplot (safe in a threaded or forked worker)."""
    from matplotlib import rcParams
    from matplotlib.figure import Figure

    rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable, readable
    rcParams["svg.hashsalt"] = "lsids"  # the same chart gives the same bytes
    rcParams["hatch.color"] = GREY
    return Figure(figsize=(width, height), layout="constrained")


def to_svg(fig) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    return out.getvalue()


def intervals(points: Sequence[Point], *, unit_label: str, reference: float | None) -> bytes:
    """Boroughs as dots with their intervals (a horizontal bar each), highest first; a withheld
    borough is listed with ``[c]`` and no mark; ``reference`` (London) is a dashed line."""
    shown = sorted((p for p in points if p.value is not None), key=lambda p: -p.value)  # type: ignore[operator]
    withheld = [p for p in points if p.value is None]
    rows = shown + withheld
    fig = new_figure(9.0, 0.6 + 0.24 * max(len(rows), 1))
    ax = fig.add_subplot()
    ys = list(range(len(rows)))[::-1]
    top = max([p.upper or p.value or 0 for p in shown] + [reference or 0, 1])
    for y, p in zip(ys, rows, strict=True):
        if p.value is None:
            ax.text(top * 0.01, y, p.text, va="center", ha="left", fontdict=FONT, color=BLACK)
            continue
        if p.lower is not None and p.upper is not None:
            ax.plot([p.lower, p.upper], [y, y], color=GREY, linewidth=1.5)
        ax.plot([p.value], [y], marker="o", color=BLUE, markersize=5)
        ax.text((p.upper or p.value) + top * 0.01, y, p.text, va="center", fontdict=FONT)
    if reference is not None:
        ax.axvline(reference, color=BLACK, linestyle="--", linewidth=1)
    ax.set_yticks(ys, [p.label for p in rows], fontdict=FONT)
    ax.set_xlim(0, top * 1.25)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(unit_label + (" (dashed line: London)" if reference is not None else ""))
    ax.spines[["top", "right"]].set_visible(False)
    return to_svg(fig)


def series(points: Sequence[Point], *, unit_label: str) -> bytes:
    """A time series: a point per period joined by a line, with its interval and value printed."""
    fig = new_figure(9.0, 3.2)
    ax = fig.add_subplot()
    xs = list(range(len(points)))
    known = [(x, p) for x, p in zip(xs, points, strict=True) if p.value is not None]
    if known:
        ax.plot([x for x, _ in known], [p.value for _, p in known], color=BLUE, marker="o")
    top = max([p.upper or p.value or 0 for p in points] + [1])
    for x, p in zip(xs, points, strict=True):
        if p.lower is not None and p.upper is not None:
            ax.plot([x, x], [p.lower, p.upper], color=GREY, linewidth=1.5)
        y = p.value if p.value is not None else 0
        ax.annotate(p.text, (x, p.upper or y), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=FONT["size"])  # fmt: skip
    ax.set_xticks(xs, [p.label for p in points], fontdict=FONT)
    ax.set_xlim(-0.5, len(points) - 0.5)
    ax.set_ylim(0, top * 1.2)
    ax.set_ylabel(unit_label)
    ax.spines[["top", "right"]].set_visible(False)
    return to_svg(fig)
