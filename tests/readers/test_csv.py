"""Reading CSV returns: encodings, delimiters, row numbers, and files that are not tables."""

from __future__ import annotations

import io

import pytest

from validator import InputError, validate
from validator.readers.source import read_table
from validator.synthetic import generate_service

SERVICE = "service-data"


def _service_text(sep: str = ",", notes: str = "") -> str:
    frame = generate_service("E09000030", "2025-26", seed=3, small_counts=False)
    frame.loc[0, "notes"] = notes
    return frame.to_csv(index=False, sep=sep, lineterminator="\r\n")


def _codes(report) -> set[str]:
    return {f.code for f in report.findings}


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("utf-8", "\t")],
)
def test_encodings_and_delimiters_give_the_same_verdict(tmp_path, encoding, sep):
    path = tmp_path / "return.csv"
    path.write_bytes(_service_text(sep, "Costs £1,500 per place").encode(encoding))
    report = validate(path)
    assert report.valid, report.findings
    assert report.type == SERVICE and report.type_inferred


def test_pound_sign_survives_windows_1252(tmp_path):
    frame = generate_service("E09000030", "2025-26", seed=3, small_counts=False)
    frame.loc[0, "status"] = "£final"
    path = tmp_path / "cp1252.csv"
    path.write_bytes(frame.to_csv(index=False).encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "cp1252"
    [finding] = [f for f in validate(path).findings if f.code == "not-in-codelist"]
    assert finding.value == "£final" and finding.row == 2


def test_bom_is_not_part_of_the_first_heading(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(_service_text().encode("utf-8-sig"))
    assert read_table(path).header[0] == "borough"
    assert "header-matched-loosely" not in _codes(validate(path))


def test_ragged_and_blank_rows_keep_spreadsheet_numbering(tmp_path):
    lines = _service_text().split("\r\n")
    header, rows = lines[0], lines[1:-1]
    rows[2] = rows[2] + ",extra"  # row 4: one cell too many
    rows.insert(4, "")  # row 6: an empty line
    rows.insert(6, "," * header.count(","))  # row 8: only commas
    rows[8] = rows[8].replace("final", 'final","multi\nline', 1).rsplit(",", 1)[0]  # row 10
    path = tmp_path / "ragged.csv"
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="utf-8")
    report = validate(path)
    by_code = {f.code: f for f in report.findings}
    assert by_code["ragged-row"].rows == [4]
    assert by_code["blank-row"].rows == [6, 8]
    assert by_code["blank-row"].severity == "warning"
    assert not report.valid


def test_quoted_newlines_do_not_shift_row_numbers(tmp_path):
    frame = generate_service("E09000030", "2025-26", seed=3)
    frame.loc[0, "notes"] = "first line\nsecond line"
    frame.loc[3, "status"] = "wrong"
    path = tmp_path / "newline.csv"
    frame.to_csv(path, index=False)
    [finding] = [f for f in validate(path).findings if f.code == "not-in-codelist"]
    assert finding.rows == [5]


def test_empty_file_is_an_input_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError) as caught:
        validate(path)
    assert caught.value.code == "empty-file"


def test_header_without_rows_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text(_service_text().split("\r\n")[0] + "\r\n", encoding="utf-8")
    report = validate(path)
    assert _codes(report) == {"no-data-rows"} and not report.valid


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not-a-table"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not-a-table"),
        (b"borough,period\nE09000030,\x00\x00\x00\n", "not-a-table"),
        (b"a," * 1500 + b"a\n1\n", "too-many-columns"),
        (b"borough,period\n" + b"x" * (2 << 20) + b"\n", "line-too-long"),
    ],
)
def test_files_that_are_not_tables_get_one_clear_error(tmp_path, content, code):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        validate(path)
    assert caught.value.code == code
    assert caught.value.message and "Traceback" not in caught.value.message


def test_mixed_line_endings_and_formula_like_cells(tmp_path):
    lines = _service_text().split("\r\n")
    lines[3] = lines[3].replace("final", "=1+1", 1)
    text = lines[0] + "\n" + "\r\n".join(lines[1:3]) + "\r" + "\n".join(lines[3:])
    path = tmp_path / "mixed.csv"
    path.write_text(text, encoding="utf-8", newline="")
    report = validate(path)
    [finding] = [f for f in report.findings if f.code == "not-in-codelist"]
    assert (finding.value, finding.rows) == ("=1+1", [4])


# --- a header with no rows and no final newline ---------------------------------------------------


SERVICE_HEADER = (
    "borough,period,measure,breakdown,breakdown_value,numerator,denominator,status,notes"
)


def test_header_only_csv_without_final_newline_has_no_data_rows(tmp_path, finding_codes):
    path = tmp_path / "header.csv"
    path.write_bytes(SERVICE_HEADER.encode())
    assert finding_codes(validate(path)) == ["no-data-rows"]
    assert finding_codes(validate(io.BytesIO(SERVICE_HEADER.encode()))) == ["no-data-rows"]
