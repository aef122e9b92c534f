"""The GLA opens a collection round; officers see it on their home page with the days left."""

from __future__ import annotations

from datetime import date, timedelta

from conftest import Client, officer

from validator.standard import load_standard


def test_the_gla_opens_a_round_and_every_officer_sees_it_due(portal):
    gla = Client(portal.base)
    gla.sign_in("gla.admin@london.gov.uk")
    empty = gla.submit("/rounds/new", {})
    assert "There is a problem" in empty.text
    assert "Enter a name for the round" in empty.text
    assert "Select at least one return" in empty.text
    closes = date.today() + timedelta(days=10)
    form = {
        "name": "Quarterly service return Q3",
        "period": "2025-26",
        "types": "service-data",
        "standard_version": load_standard().version,
        "opens_on": (date.today() - timedelta(days=1)).isoformat(),
        "closes_on": closes.isoformat(),
    }
    wrong = gla.submit("/rounds/new", {**form, "closes_on": "2020-01-01"})
    assert "The closing date must be on or after the opening date" in wrong.text
    opened = gla.submit("/rounds/new", form)
    assert "is open" in opened.text
    assert "Quarterly service return Q3" in opened.text

    client = Client(portal.base)
    home = client.sign_in(officer("E09000012"))
    assert "Quarterly service return Q3" in home.text
    assert f"{(closes - date.today()).days} days left" in home.text
    assert client.get("/rounds/new").status_code == 404  # officers do not manage rounds
