"""London's figures for people: an overview of every measure, a page per measure with charts, a
tile map and tables, and the output table as CSV or a Data Package.

Every view only reads what ``figures_store.recompute`` stored; charts are SVG images drawn on
the server (``charts``, ``tilemap``), cached per worker until the figures are rebuilt.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request
from markupsafe import Markup

from . import audit, charts, db, figures_exports, figures_store, tilemap
from . import figures_format as fmt
from .auth import login_required

bp = Blueprint("figures", __name__)


@bp.context_processor
def _shorthand() -> dict[str, Any]:
    from validator.catalogue.figures import SHORTHAND

    return {"shorthand": SHORTHAND}


TOTAL = ("total", "total")
UNIT_LABELS = {
    "percent": "Per cent",
    "per_1000": "Per 1,000",
    "count": "Count",
    "percentage_points": "Percentage points",
}
# SVG charts carry their own inline styles; they run no script and load nothing
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
_CACHE: OrderedDict[tuple, Any] = OrderedDict()
CACHE_SIZE = 256


def _standard():  # type: ignore[no-untyped-def]
    from validator import load_standard

    return load_standard()


def _london() -> str:
    from validator.catalogue.figures import LONDON

    return LONDON


def _measure(measure_id: str):  # type: ignore[no-untyped-def]
    measure = _standard().measures.get(measure_id)
    if measure is None:
        abort(404)
    return measure


def _groups(measure_id: str) -> list[tuple[str, str, str]]:
    """The (breakdown, value, label) choices with figures for this measure, total first."""
    standard = _standard()
    found = db.get_db().execute(
        "SELECT DISTINCT breakdown, breakdown_value FROM figures WHERE measure_id = ?",
        (measure_id,),
    )
    have = {tuple(r) for r in found.fetchall()}
    out = []
    for code, b in standard.breakdowns.items():
        for value, label in b.values.items():
            if (code, value) in have:
                out.append((code, value, "All people" if (code, value) == TOTAL else
                            f"{b.label}: {label}"))  # fmt: skip
    return out


def _choice(measure_id: str) -> tuple[list[str], str, list, tuple[str, str]]:
    """The periods and groups on offer and the ones asked for (latest period, all people)."""
    periods, groups = _cached(
        ("menu", measure_id),
        lambda: (figures_store.periods(db.get_db(), measure_id), _groups(measure_id)),
    )
    args = request.args
    period = args.get("period") or (periods[-1] if periods else "")
    asked = tuple(args.get("group", "total:total").split(":", 1))
    group = asked if any(g[:2] == asked for g in groups) else TOTAL
    if periods and period not in periods:
        abort(404)
    return periods, period, groups, group  # type: ignore[return-value]


@bp.route("/figures")
@login_required
def overview() -> Any:
    """Every measure's latest London figure, its change from the previous period, coverage."""
    return _page("London-wide figures", ("overview",), "figures/overview_body.html",
                 _overview)  # fmt: skip


def _overview() -> dict[str, Any]:
    conn = db.get_db()
    standard = _standard()
    london = figures_store.select(conn, area_code=_london(), breakdown="total")
    by_measure: dict[str, dict[str, dict[str, Any]]] = {}
    for r in london:
        by_measure.setdefault(r["measure_id"], {})[r["period"]] = r
    items = []
    for measure in standard.measures.values():
        rows = by_measure.get(measure.id, {})
        periods = sorted(rows)
        latest = rows[periods[-1]] if periods else None
        previous = rows[periods[-2]] if len(periods) > 1 else None
        items.append(
            {
                "measure": measure,
                "period": periods[-1] if periods else None,
                "previous_period": periods[-2] if len(periods) > 1 else None,
                "figure": fmt.figure(latest, measure),
                "change": fmt.change(latest, previous, measure),
                "coverage": fmt.coverage(latest, len(standard.boroughs.codes)),
                "has_figures": bool(periods),
            }
        )
    return {"items": items, "build": figures_store.build(conn)}


@bp.route("/figures/<measure_id>")
@login_required
def measure_page(measure_id: str) -> Any:
    """One measure: London's figure, the boroughs' chart and map with a table, the back series."""
    measure = _measure(measure_id)
    choice = _choice(measure_id)
    key = ("measure", measure_id, choice[1], choice[3])
    return _page(measure.title, key, "figures/measure_body.html",
                 lambda: _measure_context(measure, *choice))  # fmt: skip


def _measure_context(measure, periods, period, groups, group) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    measure_id = measure.id
    standard = _standard()
    conn = db.get_db()
    rows = figures_store.select(conn, measure_id, period, *group)
    london = next((r for r in rows if r["area_code"] == _london()), None)
    by_area = {r["area_code"]: r for r in rows}
    names = standard.boroughs.labels()
    boroughs = [
        {
            "code": code,
            "name": name,
            "abbr": standard.boroughs.codes[code].extra["tile_abbr"].upper(),
            "figure": fmt.figure(by_area.get(code), measure),
            "interval": fmt.interval(by_area.get(code), measure),
            "base": _base(by_area.get(code), measure),
        }
        for code, name in names.items()
    ]
    series = [
        {
            "period": r["period"],
            "figure": fmt.figure(r, measure),
            "interval": fmt.interval(r, measure),
            "coverage": fmt.coverage(r, len(names)),
        }
        for r in figures_store.select(conn, measure_id, None, *group, area_code=_london())
    ]
    query = {"period": period, "group": ":".join(group)}
    return dict(
        measure=measure,
        periods=periods,
        period=period,
        groups=groups,
        group=group,
        group_label=next((g[2] for g in groups if g[:2] == group), "All people"),
        london=london,
        london_figure=fmt.figure(london, measure),
        london_interval=fmt.interval(london, measure),
        london_base=_base(london, measure),
        coverage=fmt.coverage(london, len(names)),
        boroughs=boroughs,
        shown=sum(b["figure"] not in ("[c]", "[x]") for b in boroughs),
        withheld=sum(b["figure"] == "[c]" for b in boroughs),
        series=series,
        query=query,
        has_interval=measure.source_type == "survey",
        unit_label=UNIT_LABELS.get(measure.unit, measure.unit),
    )


def _base(row: dict[str, Any] | None, measure) -> str:  # type: ignore[no-untyped-def]
    """The figure's base: respondents for a survey measure, the denominator for a rate."""
    if row is None:
        return "[x]"
    base = row["n_unweighted"] if measure.source_type == "survey" else row["denominator"]
    if base is None:
        return "[c]" if row["status"] == "suppressed" else "[x]"
    return f"{base:,}"


def _cached(key: tuple, make: Callable[[], Any]) -> Any:
    """What ``make`` gives, made once per worker for each build of the figures (the key holds
    the build's time and sources, so a recompute in any worker retires every older entry)."""
    state = g._get_current_object()
    if "figures_build" not in state:  # read once per request, however many parts a page caches
        state.figures_build = figures_store.build_key(db.get_db())
    key = (*key, state.figures_build)
    found = _CACHE.get(key)
    if found is None:
        found = make()
        _CACHE[key] = found
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return found


def _svg(key: tuple, draw: Callable[[], bytes]) -> Response:
    """A chart as an SVG response, drawn once per worker for each build of the figures."""
    body = _cached(key, draw)
    return Response(body, mimetype="image/svg+xml", headers={"Content-Security-Policy": SVG_POLICY})


def _page(title: str, key: tuple, template: str, context: Callable[[], dict[str, Any]]) -> str:
    """A figures page: its main part (the same for every reader) rendered once per worker for
    each build, inside the layout of the signed-in person's own page."""
    body = _cached(key, lambda: _ascii(render_template(template, **context())))
    return render_template("figures/page.html", title=title, body=body)


def _ascii(html: str) -> Markup:
    """The same HTML with every character outside ASCII as a character reference (a figure's
    "−", a "£" in a measure's title). A browser reads the same page; a page that is all ASCII is
    encoded for its answer in about 1 µs, one holding a single "–" in about 20 µs (CPython's
    UTF-8 encoder takes its slow path for the whole text). Made once, when the part is cached."""
    return Markup(html.encode("ascii", "xmlcharrefreplace").decode("ascii"))


def _point(row: dict[str, Any] | None, label: str, measure, short: bool = False) -> charts.Point:  # type: ignore[no-untyped-def]
    shown = row is not None and row["status"] != "suppressed" and row["value"] is not None
    return charts.Point(
        label,
        row["value"] if shown else None,  # type: ignore[index]
        row["ci_lower"] if shown else None,  # type: ignore[index]
        row["ci_upper"] if shown else None,  # type: ignore[index]
        fmt.figure(row, measure, short),
    )


@bp.route("/figures/<measure_id>/boroughs.svg")
@login_required
def boroughs_chart(measure_id: str) -> Any:
    measure = _measure(measure_id)
    _, period, _, group = _choice(measure_id)

    def draw() -> bytes:
        rows = figures_store.select(db.get_db(), measure_id, period, *group)
        by_area = {r["area_code"]: r for r in rows}
        london = by_area.get(_london())
        names = _standard().boroughs.labels()
        points = [_point(by_area.get(c), n, measure) for c, n in names.items()]
        reference = _point(london, "London", measure).value
        return charts.intervals(points, unit_label=UNIT_LABELS.get(measure.unit, ""),
                                reference=reference)  # fmt: skip

    return _svg(("boroughs", measure_id, period, group), draw)


@bp.route("/figures/<measure_id>/series.svg")
@login_required
def series_chart(measure_id: str) -> Any:
    measure = _measure(measure_id)
    _, _, _, group = _choice(measure_id)

    def draw() -> bytes:
        rows = figures_store.select(db.get_db(), measure_id, None, *group, area_code=_london())
        points = [_point(r, r["period"], measure) for r in rows]
        return charts.series(points, unit_label=UNIT_LABELS.get(measure.unit, ""))

    return _svg(("series", measure_id, group), draw)


@bp.route("/figures/<measure_id>/map.svg")
@login_required
def map_chart(measure_id: str) -> Any:
    measure = _measure(measure_id)
    _, period, _, group = _choice(measure_id)

    def draw() -> bytes:
        rows = figures_store.select(db.get_db(), measure_id, period, *group)
        values = {}
        for r in rows:
            point = _point(r, r["area_code"], measure, short=True)
            values[r["area_code"]] = (point.value, point.text, r["status"] == "suppressed")
        tiles = tilemap.tiles_from_standard(values)
        return tilemap.draw(tiles, unit_label=UNIT_LABELS.get(measure.unit, ""))

    return _svg(("map", measure_id, period, group), draw)


@bp.route("/figures/download/figures.csv")
@login_required
def export_csv() -> Any:
    """The whole output table as CSV, no cell able to start a spreadsheet formula."""
    conn = db.get_db()
    body = figures_exports.csv_text(figures_store.select(conn))
    audit.log(conn, "figures-exported", "csv")
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="lsids-figures.csv"'},
    )


@bp.route("/figures/download/datapackage.zip")
@login_required
def export_package() -> Any:
    """The output table as a Frictionless Data Package (zip), naming what it was built from."""
    conn = db.get_db()
    body = figures_exports.data_package(figures_store.select(conn), figures_store.build(conn))
    audit.log(conn, "figures-exported", "data package")
    return Response(
        body,
        mimetype="application/zip",
        headers={"Content-Disposition": 'attachment; filename="lsids-figures.zip"'},
    )
