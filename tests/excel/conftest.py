"""Fixtures for the Excel tests: a blank template of each submission type, written once."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.excel.template import write_template
from validator.standard import load_standard


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    """The path of a blank template of each submission type, by type."""
    folder = tmp_path_factory.mktemp("templates")
    return {t: write_template(t, folder / f"{t}.xlsx") for t in load_standard().submission_types}
