"""``lsids aggregate``: validated returns in, the same table as the library out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from validator.catalogue.figures import OUTPUT_COLUMNS
from validator.cli import main
from validator.figures import SurveyReturn, aggregate
from validator.synthetic import adult_population, generate_service, generate_survey, write_returns

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "invalid"
BOROUGHS = ["E09000007", "E09000012", "E09000030"]
PERIOD = "2025-26"


@pytest.fixture(scope="module")
def returns_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("returns")
    write_returns(folder, boroughs=BOROUGHS, periods=[PERIOD], survey_rows=300, seed=5)
    # one survey return's metadata says what its weights add up to
    survey = folder / f"resident-survey_{BOROUGHS[0]}_{PERIOD}.csv"
    weights = pd.read_csv(survey, dtype=str)["weight"].astype(float)
    metadata = {
        "borough": BOROUGHS[0],
        "submission_type": "resident-survey",
        "period": PERIOD,
        "standard_version": "1.0.0",
        "contact": {"name": "A Officer", "email": "a.officer@example.org"},
        "weight_total": float(weights.sum()),
    }
    survey.with_suffix(".json").write_text(json.dumps(metadata), encoding="utf-8")
    return folder


def _run(args, capsys):
    code = main(["aggregate", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_writes_the_same_table_as_the_library(returns_dir, tmp_path, capsys):
    output = tmp_path / "figures.csv"
    code, _, err = _run([*sorted(returns_dir.glob("*.csv")), "--output", output], capsys)
    assert code == 0, err
    written = pd.read_csv(output, dtype={"period": str})
    assert list(written.columns) == list(OUTPUT_COLUMNS)
    surveys = [SurveyReturn(generate_survey(b, PERIOD, 300, seed=5), None) for b in BOROUGHS]
    services = [generate_service(b, PERIOD, seed=5) for b in BOROUGHS]
    expected = aggregate(surveys, services)
    assert len(written) == len(expected)
    for col in ("value", "ci_lower", "ci_upper", "standard_error", "numerator", "denominator"):
        np.testing.assert_allclose(
            written[col].to_numpy(float), expected[col].to_numpy(float), rtol=1e-12
        )
    assert (written.status == expected.status).all()
    # two of the three survey returns came without metadata, and the command says so
    assert "2 survey return(s) have no metadata" in err


def test_an_invalid_return_is_refused_by_name(returns_dir, tmp_path, capsys):
    bad = next((EXAMPLES / "label-instead-of-code").glob("*.csv"))
    copy = tmp_path / bad.name
    shutil.copy(bad, copy)
    output = tmp_path / "figures.csv"
    code, _, err = _run([*sorted(returns_dir.glob("*.csv")), copy, "--output", output], capsys)
    assert code == 1
    assert str(copy) in err and "not valid" in err
    assert not output.exists()


def test_for_people_writes_shorthand_not_blanks(returns_dir, capsys):
    code, out, err = _run([*sorted(returns_dir.glob("*.csv")), "--for-people"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split(",") == list(OUTPUT_COLUMNS)
    assert not any(",," in line or line.endswith(",") for line in lines[1:])
    assert any("[c]" in line for line in lines) and any("[x]" in line for line in lines)


def test_a_missing_file_cannot_be_aggregated(tmp_path, capsys):
    code, _, err = _run([tmp_path / "nowhere.csv"], capsys)
    assert code == 2
    assert "nowhere.csv" in err


def test_metadata_population_rescales_london_only(returns_dir, tmp_path, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(returns_dir, folder)
    sidecar = folder / f"resident-survey_{BOROUGHS[0]}_{PERIOD}.json"
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    meta["weight_total"] = float(adult_population(BOROUGHS[0], PERIOD)) * 1.004
    sidecar.write_text(json.dumps(meta), encoding="utf-8")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert _run([*sorted(returns_dir.glob("*.csv")), "--output", a], capsys)[0] == 0
    assert _run([*sorted(folder.glob("*.csv")), "--output", b], capsys)[0] == 0
    ta, tb = pd.read_csv(a), pd.read_csv(b)
    borough = ta.area_code == BOROUGHS[0]
    np.testing.assert_allclose(ta.value[borough], tb.value[borough], rtol=1e-12)
    survey = ta.n_effective.notna() & (ta.area_code == "E12000007")
    assert not np.allclose(ta.value[survey], tb.value[survey], rtol=1e-12)
