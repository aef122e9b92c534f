"""The synthetic returns look like real ones and keep every rule of the standard."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from validator.standard import load_standard
from validator.stock import stock_validate
from validator.synthetic import (
    adult_population,
    generate_service,
    generate_survey,
    write_returns,
    write_survey_csv,
)

STANDARD = load_standard()
SURVEY = STANDARD.submission_types["resident-survey"]
SERVICE = STANDARD.submission_types["service-data"]
BOROUGHS = list(STANDARD.boroughs.codes)
PERIOD = "2025-26"


@pytest.fixture(scope="module")
def london() -> pd.DataFrame:
    """400 respondents from every borough (13,200 rows)."""
    return pd.concat([generate_survey(b, PERIOD, 400) for b in BOROUGHS], ignore_index=True)


def test_same_arguments_give_byte_identical_files_and_another_seed_differs(tmp_path):
    a = write_survey_csv(tmp_path / "a.csv", "E09000030", PERIOD, 500, seed=3)
    b = write_survey_csv(tmp_path / "b.csv", "E09000030", PERIOD, 500, seed=3, chunk_rows=1)
    c = write_survey_csv(tmp_path / "c.csv", "E09000030", PERIOD, 500, seed=4)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    frame = generate_survey("E09000030", PERIOD, 500, seed=3)
    assert a.read_text(encoding="utf-8").splitlines()[1].split(",") == list(frame.iloc[0])
    assert generate_service("E09000030", PERIOD).equals(generate_service("E09000030", PERIOD))


def test_a_return_has_the_standard_header_and_text_cells(tmp_path):
    path = write_survey_csv(tmp_path / "s.csv", "E09000003", PERIOD, 20)
    raw = path.read_bytes()
    assert raw.decode("utf-8").split("\n")[0] == ",".join(SURVEY.field_names)
    assert b"\r" not in raw
    frame = generate_service("E09000003", PERIOD)
    assert list(frame.columns) == SERVICE.field_names
    assert all(isinstance(v, str) for v in frame.to_numpy().ravel())


def test_write_returns_covers_all_33_boroughs_with_both_types(tmp_path):
    paths = write_returns(tmp_path, survey_rows=5)
    names = {p.name for p in paths}
    assert len(paths) == 66
    assert {f"resident-survey_{b}_{PERIOD}.csv" for b in BOROUGHS} <= names
    assert {f"service-data_{b}_{PERIOD}.csv" for b in BOROUGHS} <= names
    two = write_returns(tmp_path / "two", boroughs=["E09000001"], periods=["2024-25", PERIOD])
    assert [p.name for p in two] == [
        "resident-survey_E09000001_2024-25.csv",
        "service-data_E09000001_2024-25.csv",
        f"resident-survey_E09000001_{PERIOD}.csv",
        f"service-data_E09000001_{PERIOD}.csv",
    ]


def test_unknown_borough_or_period_is_refused_in_plain_words():
    with pytest.raises(ValueError, match="not a London borough code"):
        generate_survey("Tower Hamlets", PERIOD, 5)
    with pytest.raises(ValueError, match="not a financial year"):
        generate_survey("E09000030", "2025-27", 5)


def test_adult_populations_are_plausible():
    city = adult_population("E09000001", PERIOD)
    others = [adult_population(b, PERIOD) for b in BOROUGHS[1:]]
    assert 7_000 <= city <= 9_000
    assert min(others) >= 100_000 and max(others) <= 340_000
    assert adult_population("E09000003", "2030-31") > adult_population("E09000003", PERIOD)


@pytest.mark.parametrize("borough", ["E09000001", "E09000030", "E09000003"])
def test_weights_are_positive_varied_and_add_up_to_the_adult_population(borough):
    weights = generate_survey(borough, PERIOD, 250)["weight"].astype(float)
    assert (weights > 0).all() and weights.std() > 0.1 * weights.mean()
    assert weights.sum() == pytest.approx(adult_population(borough, PERIOD), rel=0.005)


def test_weights_add_up_across_blocks_of_a_large_return():
    weights = generate_survey("E09000012", PERIOD, 25_000)["weight"].astype(float)
    assert weights.sum() == pytest.approx(adult_population("E09000012", PERIOD), rel=0.005)


def test_routed_questions_are_blank_exactly_when_routed_out(london):
    for field in SURVEY.fields:
        if field.asked_when:
            asked = london[field.asked_when.field].isin(field.asked_when.values)
            assert (london.loc[~asked, field.name] == "").all(), field.name
            assert (london.loc[asked, field.name] != "").all(), field.name


def test_every_coded_cell_is_a_code_from_its_list(london):
    for field in SURVEY.fields:
        if field.codelist:
            codes = set(STANDARD.codelists[field.codelist].codes) | {""}
            assert set(london[field.name]) <= codes, field.name
            answered = set(london[field.name]) - {""}
            assert len(answered) >= min(3, len(codes) - 1), f"{field.name} hardly varies"


def test_interview_dates_fall_inside_the_financial_year(london):
    dates = pd.to_datetime(london["interview_date"], format="%Y-%m-%d")
    assert dates.min() >= pd.Timestamp("2025-04-01") and dates.max() <= pd.Timestamp("2026-03-31")
    assert dates.dt.month.nunique() == 12


def test_respondent_ids_are_short_unique_and_not_identifying(london):
    one = generate_survey("E09000030", PERIOD, 300)
    assert one["respondent_id"].is_unique
    assert one["respondent_id"].str.fullmatch(r"R\d{6}").all()


def _share(frame: pd.DataFrame, measure_id: str) -> float:
    measure = STANDARD.measures[measure_id]
    answers = frame[measure.survey_field]
    weights = frame["weight"].astype(float)
    base = (answers != "") & ~answers.isin(measure.excluded_codes)
    return weights[base & answers.isin(measure.numerator_codes)].sum() / weights[base].sum()


@pytest.mark.parametrize(
    ("measure", "baseline"),
    [
        ("out_belonging_neighbourhood", 0.66),
        ("out_london_good_place", 0.90),
        ("rel_get_on_well", 0.91),
        ("rel_no_one_to_rely_on", 0.21),
        ("par_volunteered_12m", 0.26),
        ("eq_no_internet_3m", 0.07),
        ("eq_english_holds_back", 0.17),
        ("eq_housing_cost_over_third", 0.30),
        ("eq_savings_under_1500", 0.44),
    ],
)
def test_london_wide_weighted_shares_land_near_the_strategy_baselines(london, measure, baseline):
    assert _share(london, measure) == pytest.approx(baseline, abs=0.08 * max(baseline, 0.3))


def test_boroughs_and_groups_differ(london):
    by_borough = [_share(f, "out_belonging_neighbourhood") for _, f in london.groupby("borough")]
    assert max(by_borough) - min(by_borough) > 0.08
    offline = london["internet_last_used"].isin(
        STANDARD.measures["eq_no_internet_3m"].numerator_codes
    )
    by_age = offline.groupby(london["age_band"]).mean()
    assert by_age["75+"] > 3 * by_age["25-34"]


def test_dont_know_and_prefer_not_to_say_are_small_shares(london):
    for field in ("belonging", "savings", "rely_on_in_crisis", "tenure"):
        non_answer = london[field].isin(["dont_know", "prefer_not_to_say"]).mean()
        assert 0 < non_answer < 0.05, field


def test_stock_frictionless_finds_generated_returns_valid(tmp_path):
    write_returns(tmp_path, boroughs=["E09000025"], survey_rows=300)
    for kind in ("resident-survey", "service-data"):
        report = stock_validate(tmp_path / f"{kind}_E09000025_{PERIOD}.csv", kind)
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def _service_london(**options) -> pd.DataFrame:
    return pd.concat([generate_service(b, PERIOD, **options) for b in BOROUGHS])


@pytest.mark.parametrize("small_counts", [True, False])
def test_breakdown_parts_add_up_to_their_totals(small_counts):
    frame = _service_london(small_counts=small_counts)
    for (borough, measure_id), rows in frame.groupby(["borough", "measure"]):
        total = rows[rows.breakdown == "total"]
        assert len(total) == 1, (borough, measure_id)
        measure = STANDARD.measures[measure_id]
        for breakdown, parts in rows[rows.breakdown != "total"].groupby("breakdown"):
            assert breakdown in measure.breakdowns
            assert set(parts.breakdown_value) <= set(STANDARD.breakdowns[breakdown].values)
            columns = ("numerator",) if measure.unit == "count" else ("numerator", "denominator")
            for column in columns:
                summed = pd.to_numeric(parts[column]).sum()
                assert summed == int(total[column].iloc[0]), (borough, measure_id, breakdown)


def test_service_figures_are_sensible_and_sized_like_real_ones():
    frame = _service_london()
    assert set(frame.measure) == {
        m.id for m in STANDARD.measures.values() if m.source_type == "service"
    }
    counts = frame.measure.map(lambda m: STANDARD.measures[m].unit == "count")
    assert (frame.loc[counts, "denominator"] == "").all()
    rated = frame[~counts]
    numerators, denominators = rated.numerator.astype(int), rated.denominator.astype(int)
    assert (numerators <= denominators).all()
    totals = rated[rated.breakdown == "total"]
    rate = totals.numerator.astype(int) / totals.denominator.astype(int)
    for measure_id, low, high in [
        ("rel_hate_crime_rate", 0.0008, 0.005),
        ("eq_gcse_attainment", 0.35, 0.65),
        ("eq_early_education_2yo", 0.50, 0.80),
        ("eq_citizenship_ceremony_rate", 0.003, 0.02),
        ("par_electoral_registration", 0.65, 0.95),
    ]:
        values = rate[totals.measure == measure_id]
        assert values.between(low, high).all(), (measure_id, values.describe())
    assert (frame.status == "final").mean() > 0.7
    assert set(frame.status) <= set(STANDARD.codelists["status"].codes)


def test_without_small_counts_every_figure_clears_the_publication_thresholds():
    frame = _service_london(small_counts=False)
    thresholds = frame.measure.map(lambda m: STANDARD.measures[m].small_count_threshold)
    assert (frame.numerator.astype(int) > thresholds).all()
    bases = frame.measure.map(lambda m: STANDARD.measures[m].min_base or 0)
    denominators = pd.to_numeric(frame.denominator).fillna(np.inf)
    assert (denominators > bases).all()
