"""Fixtures for the check tests: the one finding of a code, and the codes of the errors."""

from __future__ import annotations

import pytest


@pytest.fixture
def only():
    """The report's single finding with ``code``: ``only(report, code)`` fails unless one."""

    def find(report, code: str):
        found = [f for f in report.findings if f.code == code]
        assert len(found) == 1, report.findings
        return found[0]

    return find


@pytest.fixture
def errors():
    """The codes of a report's errors (warnings left out): ``errors(report)``."""

    def codes(report) -> set[str]:
        return {f.code for f in report.findings if f.severity == "error"}

    return codes
