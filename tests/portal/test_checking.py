"""The child that checks uploads never sees the user's file name, only a known suffix of it."""

from __future__ import annotations

from portal import checking


def test_only_a_known_suffix_of_the_users_file_name_is_kept():
    assert checking.safe_name("../../etc/passwd.csv") == "upload.csv"
    assert checking.safe_name("Return FINAL (2).XLSX") == "upload.xlsx"
    assert checking.safe_name("report.pdf") == "upload"
    assert checking.safe_name("/dev/zero") == "upload"
