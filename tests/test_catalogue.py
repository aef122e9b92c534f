"""The catalogue: every finding type has a stable code, a severity and its words."""

from __future__ import annotations

from validator.catalogue import CATALOGUE


def test_every_catalogue_entry_is_complete():
    for code, entry in CATALOGUE.items():
        assert code == entry.code and code == code.lower() and " " not in code
        assert entry.severity in ("error", "warning")
        assert entry.title and entry.description and entry.message
