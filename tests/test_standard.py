"""The standard is a valid Frictionless Data Package whose parts agree with each other."""

import csv
import itertools
from pathlib import Path

import frictionless
import jsonschema
import pytest

from validator.standard import (
    WEIGHT_TOTAL,
    AnswerTest,
    available_versions,
    current_version,
    load_standard,
)
from validator.stock import stock_validate

ROOT = Path(__file__).resolve().parents[1]
STANDARD = load_standard()


def test_stock_frictionless_finds_the_package_valid_code_lists_included():
    report = frictionless.validate(str(STANDARD.package_path))
    assert report.valid, report.flatten(["type", "note"])
    validated = {task.name for task in report.tasks}
    assert {"boroughs", "measures", "ethnic-group", "resident-survey", "service-data"} <= validated


def test_package_names_version_licence_and_contributors():
    package = STANDARD.package
    assert package["version"] == "1.1.0" == STANDARD.version == current_version()
    assert package["licenses"][0]["name"] == "OGL-UK-3.0"
    assert package["contributors"]
    assert available_versions() == ["1.0.0", "1.1.0"]


def test_each_version_has_a_changelog_entry_and_the_previous_one_is_archived_valid():
    changelog = (ROOT / "standard" / "CHANGELOG.md").read_text(encoding="utf-8")
    for version in available_versions():
        assert f"## {version} " in changelog, version
        older = load_standard(version)
        if version != STANDARD.version:
            assert older.path == ROOT / "standard" / "archive" / version
            report = frictionless.validate(str(older.package_path))
            assert report.valid, report.flatten(["type", "note"])


def test_boroughs_are_the_33_ons_codes_and_keep_the_tile_map_notice():
    boroughs = STANDARD.boroughs
    assert sorted(boroughs.codes) == [f"E09{n:06d}" for n in range(1, 34)]
    assert boroughs.codes["E09000030"].label == "Tower Hamlets"
    positions = {(c.extra["tile_x"], c.extra["tile_y"]) for c in boroughs.codes.values()}
    assert len(positions) == 33
    assert "Copyright 2019 After the Flood Ltd" in STANDARD.resource("boroughs")["description"]


@pytest.mark.parametrize(
    "measure",
    [m for m in STANDARD.measures.values() if m.source_type == "survey"],
    ids=lambda m: m.id,
)
def test_every_survey_measure_names_a_survey_field_and_its_codes(measure):
    survey = STANDARD.submission_types["resident-survey"]
    field = survey.field(measure.survey_field)
    assert field.codelist, f"{field.name} has no code list"
    codes = STANDARD.codelists[field.codelist].codes
    assert measure.numerator_codes
    assert set(measure.numerator_codes) <= set(codes)
    assert set(measure.excluded_codes) <= set(codes)
    assert not set(measure.numerator_codes) & set(measure.excluded_codes)
    assert measure.unit == "percent" and measure.multiplier == 100
    assert measure.min_base and measure.low_reliability_base and measure.small_count_threshold


@pytest.mark.parametrize(
    "measure",
    [m for m in STANDARD.measures.values() if m.source_type == "service"],
    ids=lambda m: m.id,
)
def test_every_service_measure_can_be_written_in_a_service_data_return(measure, tmp_path):
    """One total row and one row per allowed breakdown value: stock Frictionless accepts it."""
    service = STANDARD.submission_types["service-data"]
    assert "total" in measure.breakdowns
    assert measure.numerator_definition and measure.small_count_threshold
    if measure.unit == "count":
        assert measure.multiplier is None and not measure.denominator_definition
    else:
        assert measure.multiplier in (100, 1000) and measure.denominator_definition
    rows = []
    for breakdown in measure.breakdowns:
        for value in STANDARD.breakdowns[breakdown].values:
            denominator = "" if measure.unit == "count" else "1000"
            rows.append(
                [
                    "E09000001",
                    "2025-26",
                    measure.id,
                    breakdown,
                    value,
                    "12",
                    denominator,
                    "final",
                    "",
                ]
            )
    path = tmp_path / "service.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(service.field_names)
        writer.writerows(rows)
    report = stock_validate(path, "service-data")
    assert report.valid, report.flatten(["rowNumber", "type", "note"])


def test_national_measures_name_their_source_and_no_borough_field():
    national = [m for m in STANDARD.measures.values() if m.source_type == "national"]
    assert national and all(m.national_source and not m.survey_field for m in national)


def test_the_18_strategy_measures_and_loneliness_are_all_there():
    measures = STANDARD.measures.values()
    strategy = [m for m in measures if m.strategy_reference.startswith("All of Us Part 4")]
    # 18 measures, the friendship one written as four rows
    assert len(strategy) == 18 + 3
    assert "rel_lonely_often" in STANDARD.measures


def test_routed_questions_point_at_real_fields_and_codes():
    survey = STANDARD.submission_types["resident-survey"]
    routed = [f for f in survey.fields if f.asked_when]
    assert {f.name for f in routed} >= {"activity_limitation", "english_proficiency"}
    for f in routed:
        gate = survey.field(f.asked_when.field)
        assert set(f.asked_when.values) <= set(STANDARD.codelists[gate.codelist].codes)


def test_every_survey_field_has_a_title_description_and_example_that_fits():
    for submission in STANDARD.submission_types.values():
        for f in submission.fields:
            assert f.title and f.description and f.example, f.name
            if f.codelist:
                assert f.example in STANDARD.codelists[f.codelist].codes, f.name


def test_answer_lists_keep_dont_know_and_prefer_not_to_say_as_codes_not_blanks():
    survey = STANDARD.submission_types["resident-survey"]
    for f in survey.fields:
        if f.codelist and f.codelist not in ("boroughs", "survey-mode"):
            codes = STANDARD.codelists[f.codelist].codes
            assert "dont_know" in codes or "prefer_not_to_say" in codes, f.name
            assert "" not in codes


def test_metadata_schema_accepts_a_good_return_and_explains_a_bad_one():
    schema = STANDARD.metadata_schema
    jsonschema.Draft202012Validator.check_schema(schema)
    good = {
        "borough": "E09000030",
        "submission_type": "resident-survey",
        "period": "2025-26",
        "standard_version": "1.0.0",
        "contact": {"name": "A Officer", "email": "a@example.org"},
        "weight_total": 250000,
        "weight_total_source": "ONS mid-year estimates, mid-2024",
    }
    jsonschema.validate(good, schema)
    missing_weights = {k: v for k, v in good.items() if not k.startswith("weight")}
    with pytest.raises(jsonschema.ValidationError, match="weight_total"):
        jsonschema.validate(missing_weights, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "borough": "E09000034"}, schema)
    assert set(schema["properties"]["submission_type"]["enum"]) == set(STANDARD.submission_types)


def test_blank_templates_have_exactly_the_schema_headers():
    for name, submission in STANDARD.submission_types.items():
        path = STANDARD.path / STANDARD.resource(name)["path"]
        with path.open(newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows == [submission.field_names]


def test_each_role_the_rules_rely_on_is_played_by_exactly_one_field():
    expected = {
        "resident-survey": {"borough", "period", "weight"},
        "service-data": {"borough", "period", "measure", "breakdown", "breakdown_value",
                         "numerator", "denominator"},
    }  # fmt: skip
    for name, roles in expected.items():
        fields = STANDARD.submission_types[name].fields
        played = [f.role for f in fields if f.role]
        assert sorted(played) == sorted(roles), name


def test_the_standard_readme_says_a_return_follows_the_template_schema():
    text = (ROOT / "standard" / "README.md").read_text(encoding="utf-8")
    assert "a borough's return follows the same schema" in text


SURVEY = next(s for s in STANDARD.submission_types.values() if s.role("weight"))


def _column_values(codelist: str, column: str) -> dict[str, str]:
    return {c.code: c.extra.get(column, "") for c in STANDARD.codelists[codelist].codes.values()}


def _passes(test: AnswerTest, answer: str) -> bool:
    field = SURVEY.field(test.field)
    value = _column_values(field.codelist, test.via).get(answer, "") if test.via else answer
    return value in test.codes


@pytest.mark.parametrize("breakdown", list(STANDARD.survey_breakdowns.values()), ids=str)
def test_survey_breakdown_derivations_name_real_fields_codes_and_values(breakdown):
    values = STANDARD.breakdowns[breakdown.code].values
    assert breakdown.otherwise in values, "each breakdown needs one row with no condition"
    assert breakdown.rules
    for rule in breakdown.rules:
        assert rule.value in values and rule.tests
        for test in rule.tests:
            field = SURVEY.field(test.field)  # KeyError: not a resident-survey field
            assert field.codelist, f"{test.field} has no code list"
            assert test.codes
            if test.via:
                column = _column_values(field.codelist, test.via)
                assert any(column.values()), f"{field.codelist} has no column {test.via}"
                assert set(test.codes) <= set(column.values())
            else:
                assert set(test.codes) <= set(STANDARD.codelists[field.codelist].codes)


@pytest.mark.parametrize("breakdown", list(STANDARD.survey_breakdowns.values()), ids=str)
def test_no_answers_put_a_respondent_in_two_values_of_a_survey_breakdown(breakdown):
    """Every combination of the answers (blank included) meets the conditions of one value at
    most, so the order of the rows does not change anyone's part."""
    fields = sorted({t.field for r in breakdown.rules for t in r.tests})
    choices = [["", *STANDARD.codelists[SURVEY.field(f).codelist].codes] for f in fields]
    for answers in itertools.product(*choices):
        given = dict(zip(fields, answers, strict=True))
        met = {r.value for r in breakdown.rules if all(_passes(t, given[t.field]) for t in r.tests)}
        assert len(met) <= 1, (given, met)


def test_the_derivations_table_lists_each_breakdown_in_one_block_with_one_otherwise_row():
    rows = STANDARD.tables["breakdown-derivations"]
    order = [b for b, _ in itertools.groupby(r["breakdown"] for r in rows)]
    assert order == list(STANDARD.survey_breakdowns), "a breakdown's rows must be together"
    for code in order:
        otherwise = [r for r in rows if r["breakdown"] == code and not r["condition"]]
        assert len(otherwise) == 1
        assert not (otherwise[0]["field"] or otherwise[0]["via"] or otherwise[0]["codes"])


@pytest.mark.parametrize("version", available_versions())
def test_only_the_resident_survey_is_weighted_in_every_version(version):
    kinds = load_standard(version).submission_types
    assert {name for name, kind in kinds.items() if kind.weighted} == {"resident-survey"}


@pytest.mark.parametrize("version", available_versions())
def test_the_metadata_schema_says_what_each_kind_of_return_must_give(version):
    standard = load_standard(version)
    every = ("borough", "submission_type", "period", "standard_version", "contact")
    assert standard.metadata_required() == every == standard.metadata_required("service-data")
    survey = standard.metadata_required("resident-survey")
    assert survey == (*every, "weight_total", "weight_total_source")
    assert set(survey) <= set(standard.metadata_properties)
    assert standard.metadata_type("weight_total") == "number"


@pytest.mark.parametrize("version", available_versions())
def test_the_weight_total_the_code_reads_is_what_the_schema_asks_of_a_survey(version):
    standard = load_standard(version)
    assert WEIGHT_TOTAL in standard.metadata_required("resident-survey")
    assert WEIGHT_TOTAL not in standard.metadata_required()
    assert standard.metadata_type(WEIGHT_TOTAL) == "number"
