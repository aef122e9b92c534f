"""Choosing the reader: a path, a binary file object, bytes or a DataFrame give the same verdict,
a workbook goes to the workbook reader, and a file opened as text is refused."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from validator import InputError, validate
from validator.synthetic import generate_service, generate_survey


def test_a_text_mode_file_asks_for_binary_mode(tmp_path, survey):
    path = tmp_path / "return.csv"
    survey().to_csv(path, index=False)
    with path.open() as fh, pytest.raises(InputError) as caught:
        validate(fh)
    assert "'rb'" in caught.value.message + (caught.value.hint or "")


def test_file_object_and_dataframe_read_like_the_path(tmp_path):
    frame = generate_survey("E09000030", "2025-26", 60, seed=2)
    frame.loc[4, "weight"] = "heavy"
    path = tmp_path / "survey.csv"
    frame.to_csv(path, index=False)
    by_path = validate(path).to_dict()
    with path.open("rb") as fh:
        by_file = validate(fh).to_dict()
    by_frame = validate(pd.read_csv(path, dtype=str, keep_default_na=False)).to_dict()
    by_bytes = validate(io.BytesIO(path.read_bytes())).to_dict()
    for other in (by_file, by_frame, by_bytes):
        assert {**other, "source": None, "format": None} == {
            **by_path,
            "source": None,
            "format": None,
        }


def test_dataframe_with_native_types_reads_as_typed_text():
    frame = generate_service("E09000030", "2025-26", seed=3, small_counts=False)
    frame["numerator"] = frame["numerator"].astype(int)
    frame["denominator"] = pd.to_numeric(frame["denominator"]).astype(float)  # NaN for blanks
    report = validate(frame)
    assert report.valid, report.findings


def test_workbooks_go_to_the_workbook_reader(tmp_path):
    frame = generate_service("E09000030", "2025-26", seed=3, small_counts=False)
    frame.loc[2, "status"] = "done"
    csv_path, xlsx_path = tmp_path / "r.csv", tmp_path / "r.xlsx"
    frame.to_csv(csv_path, index=False)
    frame.to_excel(xlsx_path, index=False, sheet_name="Return")
    by_csv, by_xlsx = validate(csv_path), validate(xlsx_path)
    assert by_xlsx.format == "xlsx"
    assert [(f.code, f.field, f.rows) for f in by_xlsx.findings] == [
        (f.code, f.field, f.rows) for f in by_csv.findings
    ]


def test_an_image_renamed_xlsx_is_an_input_error(tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(InputError):
        validate(path)
