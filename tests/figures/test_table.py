"""The output table: its columns, its rules and its shorthand, on a whole London of returns."""

from __future__ import annotations

import pandas as pd
import pytest
from test_differencing import PERIODS, returns, service_cells, table

from validator.catalogue.figures import LONDON, OUTPUT_COLUMNS
from validator.figures import back_series, for_people
from validator.standard import load_standard

STD = load_standard()


def test_the_columns_are_exactly_the_documented_ones():
    assert list(table().columns) == [
        "measure_id", "period", "area_code", "breakdown", "breakdown_value", "value",
        "ci_lower", "ci_upper", "standard_error", "n_unweighted", "n_effective", "numerator",
        "denominator", "status", "boroughs_contributing", "population_share",
    ]  # fmt: skip
    assert list(table().columns) == list(OUTPUT_COLUMNS)
    assert set(table().status) == {"published", "low_reliability", "suppressed"}


def test_every_measure_returned_has_figures_for_every_period():
    t = table()
    expected = {m.id for m in STD.measures.values() if m.source_type == "survey"}
    expected |= set(pd.concat(returns()[1]).measure)
    assert set(t.measure_id) == expected
    for measure_id in expected:
        series = back_series(t, measure_id)
        assert list(series.period) == list(PERIODS), measure_id


def test_no_published_survey_figure_breaks_the_thresholds():
    t = table()
    for m in (m for m in STD.measures.values() if m.source_type == "survey"):
        rows = t[(t.measure_id == m.id) & t.value.notna()]
        assert (rows.n_unweighted >= m.min_base).all()
        low = rows.n_unweighted < m.low_reliability_base
        assert (rows.status[low] == "low_reliability").all()
        assert (rows.status[~low] == "published").all()


def test_no_published_service_count_is_small():
    t = table()
    for m in (m for m in STD.measures.values() if m.source_type == "service"):
        rows = t[t.measure_id == m.id]
        num = rows.numerator.dropna()
        assert not ((num > 0) & (num < m.small_count_threshold)).any(), m.id
        if m.min_base:
            published = rows[rows.value.notna()]
            assert (published.denominator >= m.min_base).all(), m.id


def test_london_service_figures_add_up_the_boroughs():
    t = table().set_index(["measure_id", "period", "area_code", "breakdown", "breakdown_value"])
    for m in ("par_electoral_registration", "prog_esol_learners"):
        cells = service_cells(m)
        london = cells[cells.area_code == LONDON].set_index(
            ["period", "area_code", "breakdown", "breakdown_value"]
        )
        measure = STD.measures[m]
        for key, truth in london.iterrows():
            row = t.loc[(m, *key)]
            if pd.notna(row.numerator):
                assert row.numerator == truth.numerator
            if pd.notna(row.value):
                expected = (
                    truth.numerator / truth.denominator * measure.multiplier
                    if measure.has_denominator
                    else truth.numerator
                )
                assert row.value == pytest.approx(expected, rel=1e-12)


def test_coverage_names_every_borough_with_their_share_of_london():
    t = table()
    london = t[(t.area_code == LONDON) & (t.breakdown == "total")]
    survey = london[london.measure_id == "rel_get_on_well"]
    assert (survey.boroughs_contributing == len(STD.boroughs.codes)).all()
    assert survey.population_share.to_numpy() == pytest.approx(1.0, abs=1e-9)
    boroughs = t[(t.area_code != LONDON) & (t.measure_id == "rel_get_on_well")]
    shares = boroughs[boroughs.breakdown == "total"].groupby("period").population_share.sum()
    assert shares.to_numpy() == pytest.approx(1.0, abs=1e-9)
    # the City's tiny survey: fewer boroughs contribute to a rare part, and their share is less
    part = t[(t.area_code == LONDON) & (t.boroughs_contributing < len(STD.boroughs.codes))]
    assert (part.population_share < 1).all()


def test_outputs_for_people_use_the_gss_shorthand():
    t = table()
    people = for_people(t[t.measure_id.isin(["rel_get_on_well", "prog_esol_learners"])])
    original = t.loc[people.index]
    withheld = original.status == "suppressed"
    assert (people.value[withheld] == "[c]").all()
    low = original.status == "low_reliability"
    assert people.value[low].str.endswith(" [u]").all()
    service = original.measure_id == "prog_esol_learners"
    assert (people.ci_lower[service] == "[x]").all()
    numeric = ["value", "ci_lower", "ci_upper", "standard_error", "n_unweighted", "n_effective",
               "numerator", "denominator", "population_share"]  # fmt: skip
    assert not people[numeric].isna().any().any()
