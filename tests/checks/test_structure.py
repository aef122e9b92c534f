"""Structure: wrong, missing or repeated columns are reported alone, before any cell is read."""

from __future__ import annotations

from validator import validate


def test_structure_errors_come_alone(check, survey, errors, only):
    frame = survey().drop(columns=["mode"])
    frame["email"] = "x@example.org"
    frame.loc[0, "weight"] = "heavy"
    report = check(frame, type="resident-survey")
    assert errors(report) == {"missing-column", "unknown-column"}
    assert only(report, "missing-column").field == "mode"


def test_duplicate_columns(tmp_path, survey, errors):
    frame = survey()
    path = tmp_path / "dup.csv"
    frame.to_csv(path, index=False)
    text = path.read_text().split("\n")
    text = [line + "," + line.split(",")[5] if line else line for line in text]
    path.write_text("\n".join(text))
    assert errors(validate(path)) == {"duplicate-column"}
