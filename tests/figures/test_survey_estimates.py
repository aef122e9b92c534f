"""Survey figures equal an independent calculation, written here, to 1e-9."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from figures_data import BOROUGHS, PERIOD, by_hand, microdata, survey_returns

from validator.catalogue.figures import LONDON
from validator.figures.estimate import intervals
from validator.figures.survey import SurveyReturn, survey_figures
from validator.standard import load_standard

CASES = [
    ("rel_get_on_well", "total", "total"),
    ("rel_lonely_often", "total", "total"),
    ("eq_english_holds_back", "total", "total"),  # a routed question: blanks out of the base
    ("out_belonging_neighbourhood", "age_band", "16-24"),
    ("par_volunteered_12m", "sex", "unknown"),
    ("rel_neighbourhood_trust", "ethnic_group_5", "black"),
    ("eq_savings_under_1500", "disability", "disabled"),
]


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return survey_figures(list(survey_returns()), load_standard(), {})


def _row(table, measure, area, breakdown, value):
    hit = table[
        (table.measure_id == measure)
        & (table.area_code == area)
        & (table.breakdown == breakdown)
        & (table.breakdown_value == value)
        & (table.period == PERIOD)
    ]
    assert len(hit) == 1
    return hit.iloc[0]


def _assert_equal(row, expected, multiplier=100):
    assert row.n_unweighted == expected["n"]
    assert row.value / multiplier == pytest.approx(expected["p"], abs=1e-9)
    assert row.standard_error / multiplier == pytest.approx(expected["se"], abs=1e-9)
    assert row.ci_lower / multiplier == pytest.approx(expected["lo"], abs=1e-9)
    assert row.ci_upper / multiplier == pytest.approx(expected["hi"], abs=1e-9)
    assert row.n_effective == pytest.approx(expected["n_eff"], rel=1e-9)


@pytest.mark.parametrize(("measure", "breakdown", "value"), CASES)
def test_london_is_one_stratified_estimate_on_rescaled_weights(figures, measure, breakdown, value):
    d = microdata(survey_returns(), measure, breakdown, value)
    expected = by_hand(d)
    row = _row(figures, measure, LONDON, breakdown, value)
    _assert_equal(row, expected)
    assert row.boroughs_contributing == d.loc[d.in_domain, "borough"].nunique()


@pytest.mark.parametrize(("measure", "breakdown", "value"), CASES)
@pytest.mark.parametrize("borough", [BOROUGHS[2], BOROUGHS[5]])
def test_a_borough_figure_uses_its_own_weights(figures, measure, breakdown, value, borough):
    d = microdata(survey_returns(), measure, breakdown, value)
    mine = d[d.borough == borough]
    expected = by_hand(mine, weight="w_raw")
    _assert_equal(_row(figures, measure, borough, breakdown, value), expected)
    assert by_hand(mine, weight="w")["p"] == pytest.approx(expected["p"], abs=1e-12)


def test_london_is_not_the_average_of_borough_figures(figures):
    rows = figures[(figures.measure_id == "rel_get_on_well") & (figures.breakdown == "total")]
    london = rows[rows.area_code == LONDON].value.item()
    boroughs = rows[rows.area_code != LONDON].value
    assert london != pytest.approx(boroughs.mean(), abs=1e-6)
    # and the rescaling matters: on the raw weights London would be another number
    d = microdata(survey_returns(), "rel_get_on_well", "total", "total")
    assert london / 100 != pytest.approx(by_hand(d, weight="w_raw")["p"], abs=1e-6)


def test_borough_figures_do_not_depend_on_the_metadata_population():
    returns = survey_returns()
    other = [SurveyReturn(r.frame, r.weight_total * 3.7) for r in returns]
    a = survey_figures(list(returns), load_standard(), {})
    b = survey_figures(other, load_standard(), {})
    boroughs = a.area_code != LONDON
    cols = ["value", "ci_lower", "ci_upper", "standard_error", "n_effective"]
    np.testing.assert_allclose(a.loc[boroughs, cols], b.loc[boroughs, cols], rtol=1e-12)


def test_an_estimate_of_zero_gets_a_clopper_pearson_interval_on_the_unweighted_base():
    std = load_standard()
    m = std.measures["rel_lonely_often"]
    other = next(
        c
        for c in std.codelists["loneliness"].codes
        if c not in m.numerator_codes and c not in m.excluded_codes
    )
    returns = list(survey_returns())
    frame = returns[3].frame.copy()
    frame[m.survey_field] = frame[m.survey_field].replace(list(m.numerator_codes), other)
    returns[3] = SurveyReturn(frame, returns[3].weight_total)
    table = survey_figures(returns, std, {})
    row = _row(table, m.id, BOROUGHS[3], "total", "total")
    d = microdata(returns, m.id, "total", "total")
    expected = by_hand(d[d.borough == BOROUGHS[3]], weight="w_raw")
    assert expected["p"] == 0
    _assert_equal(row, expected)
    assert row._exact_interval
    assert not _row(table, m.id, LONDON, "total", "total")._exact_interval


def test_intervals_at_the_ends():
    lower, upper, exact = intervals(
        np.array([0.0, 1.0, 0.5]),
        np.array([0.0, 0.0, 0.05]),
        np.array([9, 9, 9]),
        np.array([10, 10, 10]),
    )
    assert list(exact) == [True, True, False]
    assert lower[0] == 0 and upper[1] == 1
    assert upper[0] == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-15)
    assert lower[1] == pytest.approx(0.025 ** (1 / 10), abs=1e-15)
    assert 0 < lower[2] < 0.5 < upper[2] < 1


def test_every_part_of_a_breakdown_adds_up_to_the_total_base(figures):
    rows = figures[(figures.measure_id == "rel_get_on_well") & (figures.area_code == LONDON)]
    total = rows[rows.breakdown == "total"].n_unweighted.item()
    for breakdown, parts in rows[rows.breakdown != "total"].groupby("breakdown"):
        assert parts.n_unweighted.sum() == total, breakdown
