"""No withheld number can be worked out by adding or subtracting published ones.

The relations an onlooker has are rebuilt here from the returns themselves, not from the
aggregator: London = the sum of the boroughs, a total = the sum of a breakdown's parts (where the
returns' parts do add up), and one period's denominator = another's where they are equal. A survey
estimate enters them weighted by its weighted base, as if the onlooker knew the bases. A withheld
number is recoverable when its unit vector lies in the span of those relations restricted to the
withheld numbers; that is checked with an orthonormal basis of the span.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import pandas as pd
import pytest
from figures_data import _part
from scipy import linalg

from validator.catalogue.figures import LONDON
from validator.figures import SurveyReturn, aggregate
from validator.standard import load_standard
from validator.synthetic import adult_population, generate_service, generate_survey

PERIODS = ("2024-25", "2025-26")
BREAKDOWNS = ("total", "age_band", "sex", "ethnic_group_5", "disability")
KEY = ["period", "area_code", "breakdown", "breakdown_value"]


@lru_cache(maxsize=1)
def returns():
    std = load_standard()
    surveys, services = [], []
    for period in PERIODS:
        for i, borough in enumerate(std.boroughs.codes):
            rows = 40 if borough == "E09000001" else 150 + 7 * i
            frame = generate_survey(borough, period, rows, seed=3)
            surveys.append(SurveyReturn(frame, float(adult_population(borough, period))))
            services.append(generate_service(borough, period, seed=3))
    # the earlier period shares its bases (denominators) with the later one
    key = ["borough", "measure", "breakdown", "breakdown_value"]
    n = len(std.boroughs.codes)
    for early, late in zip(services[:n], services[n:], strict=True):
        shared = early[key].merge(late[[*key, "denominator"]], on=key, how="left")
        early["denominator"] = shared["denominator"].fillna(early["denominator"]).to_numpy()
    return surveys, services


@lru_cache(maxsize=1)
def table() -> pd.DataFrame:
    surveys, services = returns()
    return aggregate(surveys, services)


@cache
def respondents(i: int) -> pd.DataFrame:
    """Return ``i``'s respondents once per breakdown: area, part and rescaled weight."""
    ret = returns()[0][i]
    f = ret.frame
    w = f["weight"].astype(float)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "period": f["period"],
                    "area_code": f["borough"],
                    "breakdown": b,
                    "breakdown_value": _part(f, b),
                    "weight": w * ret.weight_total / w.sum(),
                }
            )
            for b in BREAKDOWNS
        ],
        ignore_index=True,
    )


def survey_cells(measure_id: str) -> pd.DataFrame:
    """Every survey cell's unweighted and (rescaled) weighted base, from the microdata."""
    m = load_standard().measures[measure_id]
    frames = []
    for i, ret in enumerate(returns()[0]):
        f = ret.frame
        answer = f[m.survey_field].fillna("")
        in_base = ((answer != "") & ~answer.isin(m.excluded_codes)).to_numpy()
        people = respondents(i)
        frames.append(
            people.assign(
                n=np.tile(in_base.astype(int), len(BREAKDOWNS)),
                weight=people["weight"] * np.tile(in_base, len(BREAKDOWNS)),
            )
        )
    cells = pd.concat(frames).groupby(KEY, as_index=False)[["n", "weight"]].sum()
    london = cells.groupby(["period", "breakdown", "breakdown_value"], as_index=False)[
        ["n", "weight"]
    ].sum()
    cells = pd.concat([cells, london.assign(area_code=LONDON)], ignore_index=True)
    return cells[cells.n > 0].reset_index(drop=True)


def service_cells(measure_id: str) -> pd.DataFrame:
    rows = pd.concat(returns()[1], ignore_index=True)
    rows = rows[rows.measure == measure_id].rename(columns={"borough": "area_code"})
    for col in ("numerator", "denominator"):
        rows[col] = pd.to_numeric(rows[col].mask(rows[col] == ""))
    cells = rows[[*KEY, "numerator", "denominator"]]
    london = cells.groupby(["period", "breakdown", "breakdown_value"], as_index=False)[
        ["numerator", "denominator"]
    ].sum(min_count=1)
    return pd.concat([cells, london.assign(area_code=LONDON)], ignore_index=True)


def equations(cells: pd.DataFrame, amount: str, coef: str | None) -> list[dict[int, float]]:
    """The relations among the cells, each {cell index: coefficient}, that truly hold."""
    out = []
    c = cells[coef] if coef else pd.Series(1.0, index=cells.index)
    x = cells[amount]

    def add(members: dict[int, float]) -> None:
        total = sum(v * (x[i] if coef is None else 1) for i, v in members.items())
        if coef is not None or (np.isfinite(total) and abs(total) < 1e-6):
            out.append(members)

    for _, g in cells.groupby(["period", "breakdown", "breakdown_value"]):
        ldn = g[g.area_code == LONDON]
        if len(ldn) == 1 and len(g) > 1:
            add({ldn.index[0]: c[ldn.index[0]], **{i: -c[i] for i in g.index if i != ldn.index[0]}})
    for _, g in cells.groupby(["period", "area_code"]):
        total = g[g.breakdown == "total"]
        if len(total) != 1:
            continue
        for _, parts in g[g.breakdown != "total"].groupby("breakdown"):
            add({total.index[0]: c[total.index[0]], **{i: -c[i] for i in parts.index}})
    if amount == "denominator":
        for _, g in cells.dropna(subset=["denominator"]).groupby(
            ["area_code", "breakdown", "breakdown_value", "denominator"]
        ):
            out += [{a: 1.0, b: -1.0} for a, b in zip(g.index[:-1], g.index[1:], strict=True)]
    return out


def recoverable(hidden: list[int], eqs: list[dict[int, float]]) -> list[int]:
    """The hidden cells the equations pin down exactly."""
    col = {c: j for j, c in enumerate(hidden)}
    rows = []
    for eq in eqs:
        line = np.zeros(len(hidden))
        for i, v in eq.items():
            if i in col:
                line[col[i]] = v
        if line.any():
            rows.append(line / np.abs(line).max())
    if not rows:
        return []
    basis = linalg.orth(np.array(rows).T, rcond=1e-10)  # the span of the equations
    reach = (basis * basis).sum(axis=1)  # squared length of each unit vector's projection
    return [c for c, j in col.items() if reach[j] > 1 - 1e-8]


def published(measure_id: str) -> pd.DataFrame:
    t = table()
    return t[t.measure_id == measure_id].set_index(KEY)


SURVEY = [m.id for m in load_standard().measures.values() if m.source_type == "survey"]
SERVICE = [m.id for m in load_standard().measures.values() if m.source_type == "service"]


@pytest.mark.parametrize("measure_id", SURVEY)
def test_no_withheld_survey_figure_can_be_recovered(measure_id):
    cells = survey_cells(measure_id)
    out = published(measure_id).reindex(pd.MultiIndex.from_frame(cells[KEY]))
    assert out.status.notna().all()  # every cell with a base has a row
    withheld = out.value.isna().to_numpy()
    assert withheld.any()
    # an interval or standard error would give a withheld estimate away
    cols = ["ci_lower", "ci_upper", "standard_error", "n_effective"]
    assert out.loc[withheld, cols].isna().all().all()
    assert (out.status.to_numpy()[withheld] == "suppressed").all()
    cells = cells.assign(p=1.0)
    hidden = list(np.flatnonzero(withheld))
    assert not recoverable(hidden, equations(cells, "p", "weight"))
    hidden_n = list(np.flatnonzero(out.n_unweighted.isna().to_numpy()))
    assert not recoverable(hidden_n, equations(cells, "n", None))


@pytest.mark.parametrize("measure_id", SERVICE)
def test_no_withheld_service_number_can_be_recovered(measure_id):
    cells = service_cells(measure_id)
    if cells.empty:
        pytest.skip("no borough returned this measure")
    out = published(measure_id).reindex(pd.MultiIndex.from_frame(cells[KEY]))
    measure = load_standard().measures[measure_id]
    quantities = ["numerator", "denominator"] if measure.has_denominator else ["numerator"]
    withheld_value = out.value.isna().to_numpy() & cells.numerator.notna().to_numpy()
    # a withheld rate always withholds its numerator or its denominator
    either = np.zeros(len(cells), dtype=bool)
    for q in quantities:
        either |= out[q].isna().to_numpy()
    assert not (withheld_value & ~either).any()
    for q in quantities:
        hidden = list(np.flatnonzero(out[q].isna().to_numpy() & cells[q].notna().to_numpy()))
        assert not recoverable(hidden, equations(cells, q, None)), q


def test_secondary_suppression_happened():
    """Guard: the tables above withhold more than the thresholds alone would."""
    t = table()
    survey = t[t.measure_id == "rel_get_on_well"]
    cells = survey_cells("rel_get_on_well").set_index(KEY)
    n = cells.reindex(survey.set_index(KEY).index).n.to_numpy()
    assert (survey.value.isna().to_numpy() & (n >= 50)).any()


def test_the_check_finds_a_number_left_alone_in_its_relation():
    """Guard: London 30 = 10 + 12 + 8 with only the 8 withheld pins the 8 down."""
    cells = pd.DataFrame(
        {
            "period": "2025-26",
            "area_code": [LONDON, "E09000001", "E09000002", "E09000003"],
            "breakdown": "total",
            "breakdown_value": "total",
            "numerator": [30.0, 10, 12, 8],
        }
    )
    eqs = equations(cells, "numerator", None)
    assert recoverable([3], eqs) == [3]
    assert recoverable([2, 3], eqs) == []


def test_a_base_shared_between_periods_is_withheld_in_both():
    """X's denominator (5) is a small count; Y's is withheld with it in 2024-25 so that London
    less Y and Z does not give X away. Y's denominator is the same in 2025-26: published there,
    it would give Y's 2024-25 one away, and with it X's."""
    rows = [
        ("2024-25", "E09000001", 5, 5),
        ("2024-25", "E09000002", 300, 400),
        ("2024-25", "E09000003", 700, 900),
        ("2025-26", "E09000002", 310, 400),
        ("2025-26", "E09000003", 720, 950),
    ]
    frames = [
        pd.DataFrame(
            {
                "borough": [borough],
                "period": [period],
                "measure": ["par_electoral_registration"],
                "breakdown": ["total"],
                "breakdown_value": ["total"],
                "numerator": [str(num)],
                "denominator": [str(den)],
                "status": ["final"],
                "notes": [""],
            }
        )
        for period, borough, num, den in rows
    ]
    out = aggregate([], frames).set_index(["period", "area_code"])
    assert pd.isna(out.loc[("2024-25", "E09000002"), "denominator"])
    assert pd.isna(out.loc[("2025-26", "E09000002"), "denominator"])
    cells = out.reset_index()[KEY].copy()
    truth = {(p, b): float(d) for p, b, _, d in rows}
    for period in ("2024-25", "2025-26"):
        truth[(period, LONDON)] = sum(v for (p, _), v in truth.items() if p == period)
    cells["denominator"] = [
        truth[(p, a)] for p, a in zip(cells.period, cells.area_code, strict=True)
    ]
    hidden = list(np.flatnonzero(out.denominator.isna().to_numpy()))
    assert hidden
    assert not recoverable(hidden, equations(cells, "denominator", None))
    # guard: with 2025-26 published in full, X's 2024-25 denominator would be pinned down
    first = [i for i in hidden if cells.period[i] == "2024-25"]
    x = int(np.flatnonzero((cells.area_code == "E09000001").to_numpy())[0])
    assert x in recoverable(first, equations(cells, "denominator", None))
