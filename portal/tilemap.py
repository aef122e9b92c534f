"""A tile map of London's 33 boroughs, one square each at the standard's tile position.

Shaded by value on a single-hue scale, and every tile also prints its borough's short name and
value, so colour is never the only carrier: a withheld figure is a hatched tile saying ``[c]``, a
borough with no figure a dotted tile saying ``[x]``. Each tile is an SVG group with the id
``tile-<GSS code>``, its printed value ``value-<GSS code>``.

The positions are After the Flood's London Squared layout (in the standard's borough code list):
"Copyright 2019 After the Flood Ltd. Permission to use, copy, modify, and/or distribute this
software for any purpose with or without fee is hereby granted, provided that the above copyright
notice and this permission notice appear in all copies."
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .charts import BLACK, GREY, new_figure, to_svg

WITHHELD_HATCH, MISSING_HATCH = "///", ".."


@dataclass(frozen=True)
class Tile:
    """One borough: its code, short name, grid position (column, row from the top left), its
    value (None where there is none) and the text printed on it."""

    code: str
    abbr: str
    x: int
    y: int
    value: float | None
    text: str
    withheld: bool = False


def tiles_from_standard(
    values: Mapping[str, tuple[float | None, str, bool]],
) -> list[Tile]:
    """A tile for each of the standard's boroughs; ``values`` maps a GSS code to (value, text,
    withheld); a borough not in it has no figure (``[x]``)."""
    from validator import load_standard

    out = []
    for code, entry in load_standard().boroughs.codes.items():
        value, text, withheld = values.get(code, (None, "[x]", False))
        extra = entry.extra
        out.append(
            Tile(code, extra["tile_abbr"].upper(), int(extra["tile_x"]), int(extra["tile_y"]),
                 value, text, withheld)
        )  # fmt: skip
    return out


def draw(tiles: list[Tile], *, unit_label: str) -> bytes:
    """The map as SVG bytes, with a colour scale and a key to the hatched tiles."""
    from matplotlib import colormaps
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch, Rectangle

    values = [t.value for t in tiles if t.value is not None]
    norm = Normalize(min(values, default=0), max(values, default=1) or 1)
    cmap = colormaps["Blues"]
    columns = max(t.x for t in tiles) + 1
    rows = max(t.y for t in tiles) + 1
    fig = new_figure(6.2, 6.0)
    ax = fig.add_subplot()
    for t in tiles:
        if t.value is not None:
            shade = cmap(0.15 + 0.8 * norm(t.value))
            face, hatch = shade, None
            luminance = 0.2126 * shade[0] + 0.7152 * shade[1] + 0.0722 * shade[2]
            ink = "white" if luminance < 0.5 else BLACK
        else:
            face, hatch, ink = "white", WITHHELD_HATCH if t.withheld else MISSING_HATCH, BLACK
        square = Rectangle((t.x, rows - 1 - t.y), 0.94, 0.94, facecolor=face, hatch=hatch,
                           edgecolor=GREY, linewidth=0.8)  # fmt: skip
        square.set_gid(f"tile-{t.code}")
        ax.add_patch(square)
        cx, cy = t.x + 0.47, rows - 1 - t.y + 0.47
        box = None if t.value is not None else {"facecolor": "white", "edgecolor": "none", "pad": 1}
        ax.text(cx, cy + 0.16, t.abbr, ha="center", va="center", fontsize=8, color=ink,
                fontweight="bold", bbox=box)  # fmt: skip
        label = ax.text(cx, cy - 0.18, t.text, ha="center", va="center", fontsize=7.5, color=ink,
                        bbox=box)  # fmt: skip
        label.set_gid(f"value-{t.code}")
    ax.set_xlim(-0.1, columns)
    ax.set_ylim(-0.1, rows)
    ax.set_aspect("equal")
    ax.axis("off")
    if values:
        from matplotlib.cm import ScalarMappable

        scale = ScalarMappable(norm=Normalize(norm.vmin, norm.vmax), cmap=_trimmed(cmap))
        bar = fig.colorbar(scale, ax=ax, orientation="horizontal", fraction=0.05, pad=0.02)
        bar.set_label(unit_label, fontsize=8)
    ax.legend(
        handles=[
            Patch(facecolor="white", edgecolor=GREY, hatch=WITHHELD_HATCH, label="[c] withheld"),
            Patch(facecolor="white", edgecolor=GREY, hatch=MISSING_HATCH, label="[x] no figure"),
        ],
        loc="lower left",
        fontsize=7.5,
        frameon=False,
    )
    return to_svg(fig)


def _trimmed(cmap):  # type: ignore[no-untyped-def]
    """The part of the colour scale the tiles use (its palest end is too close to white)."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("tiles", [cmap(0.15), cmap(0.95)])
