"""The data-collection audit over real HTTP: three boroughs say how they hold the standard's
measures, and the GLA's London matrix and its CSV show exactly that and nothing else; an
officer only ever sees and changes their own borough's answers."""

from __future__ import annotations

import csv
import io
import re
import sqlite3

import pytest
from conftest import Client, officer, start_portal
from html_tables import table

GLA = "gla.admin@london.gov.uk"
BARKING, BARNET, BEXLEY = "E09000002", "E09000003", "E09000004"
FORMULA = '=HYPERLINK("http://evil.example","Click")'


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A portal of its own, so 'every other cell is Not answered' is true whatever ran before."""
    yield from start_portal(tmp_path_factory.mktemp("data-collection"))


def _survey(name: str, year: str, size: str, wording: str) -> dict[str, str]:
    return {
        "source": "survey", "survey_name": name, "survey_year": year,
        "sample_size": size, "wording": wording,
    }  # fmt: skip


def _answer(client: Client, measure: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    page = f"/data-collection/measures/{measure}"
    response = client.submit(page, data)
    assert response.status_code == 200
    assert response.url.split("#")[0].endswith("/data-collection"), re.findall(
        r'govuk-error-message">.*?</span>\s*(.*?)</p>', response.text, re.S
    )
    return response


@pytest.fixture(scope="module")
def measures(standard):
    """Three measures of the standard, picked by where their figures come from."""
    by_source = {}
    for m in standard.measures.values():
        by_source.setdefault(m.source_type, m)
    return by_source["survey"], by_source["service"], list(standard.measures.values())[-1]


@pytest.fixture(scope="module")
def answered(fresh, measures):
    """Barking, Barnet and Bexley fill in the audit; what each said, as the GLA should see it."""
    survey, service, last = measures
    barking, barnet, bexley = (Client(fresh.base) for _ in range(3))
    barking.sign_in(officer(BARKING))
    _answer(barking, survey.id, _survey("Barking Residents' Survey", "2025", "1,200", "yes"))
    _answer(barking, service.id, {"source": "service", "system_name": "Electoral register"})
    _answer(barking, last.id, {"source": "none"})
    barnet.sign_in(officer(BARNET))
    _answer(barnet, survey.id, _survey(FORMULA, "2024", "850", "partly"))
    _answer(barnet, service.id, {"source": "none"})
    bexley.sign_in(officer(BEXLEY))
    _answer(bexley, survey.id, {"source": "none"})  # changed below: the latest answer counts
    _answer(bexley, survey.id, {"source": "service", "system_name": "Bexley CRM"})
    return {
        (BARKING, survey.id): "Survey", (BARKING, service.id): "Service",
        (BARKING, last.id): "Not collected", (BARNET, survey.id): "Survey",
        (BARNET, service.id): "Not collected", (BEXLEY, survey.id): "Service",
    }  # fmt: skip


def test_the_london_matrix_shows_exactly_what_three_boroughs_said(fresh, answered, standard):
    gla = Client(fresh.base)
    gla.sign_in(GLA)
    page = gla.get("/data-collection")
    assert page.status_code == 200
    header, *rows = table(page.text, "matrix")
    names = standard.boroughs.labels()
    labels = ["Survey", "Service", "Not collected", "Not answered"]
    assert header == ["Measure", *labels, *names.values()]
    assert [r[0] for r in rows] == [m.title for m in standard.measures.values()]
    for measure, row in zip(standard.measures.values(), rows, strict=True):
        cells = dict(zip(names, row[5:], strict=True))
        expected = {code: answered.get((code, measure.id), "Not answered") for code in names}
        assert cells == expected, measure.id
        counts = dict(zip(labels, map(int, row[1:5]), strict=True))
        assert counts == {label: list(expected.values()).count(label) for label in labels}
        assert sum(counts.values()) == 33


def test_the_csv_matches_the_answers_and_is_safe_to_open(fresh, answered, standard, measures):
    gla = Client(fresh.base)
    gla.sign_in(GLA)
    response = gla.get("/data-collection/london.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(standard.measures) * 33
    by_key = {(r["borough_code"], r["measure_id"]): r for r in rows}
    assert {k: r["holds_data"] for k, r in by_key.items() if r["holds_data"] != "Not answered"} == (
        answered
    )
    survey, service, _last = measures
    barking = by_key[(BARKING, survey.id)]
    assert (barking["survey_name"], barking["survey_year"], barking["sample_size"]) == (
        "Barking Residents' Survey", "2025", "1200",
    )  # fmt: skip
    assert barking["wording_matches_standard"] == "yes"
    assert barking["answered_by"] == officer(BARKING) and barking["answered_at"]
    assert by_key[(BARKING, service.id)]["system_name"] == "Electoral register"
    assert by_key[(BEXLEY, survey.id)]["system_name"] == "Bexley CRM"
    assert by_key[(BEXLEY, survey.id)]["survey_name"] == ""  # the first answer is replaced
    barnet = by_key[(BARNET, survey.id)]
    assert barnet["survey_name"] == "'" + FORMULA  # read as text by a spreadsheet, not run
    assert barnet["wording_matches_standard"] == "partly"
    assert by_key[("E09000030", survey.id)]["borough_name"] == "Tower Hamlets"


def test_each_answer_and_the_download_are_in_the_audit_log(fresh, answered):
    gla = Client(fresh.base)
    gla.sign_in(GLA)
    gla.get("/data-collection/london.csv")
    conn = sqlite3.connect(f"file:{fresh.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    try:
        found = conn.execute(
            "SELECT borough, count(*) FROM events WHERE action = 'data-collection-answered'"
            " GROUP BY borough ORDER BY borough"
        ).fetchall()
        downloads = conn.execute(
            "SELECT count(*) FROM events WHERE action = 'downloaded-data-collection-audit'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert found == [(BARKING, 3), (BARNET, 2), (BEXLEY, 2)]
    assert downloads >= 1


def test_an_officer_sees_their_own_answers_with_who_and_when(fresh, answered, measures):
    survey, _service, _last = measures
    client = Client(fresh.base)
    client.sign_in(officer(BARKING))
    page = client.get("/data-collection")
    assert "Barking and Dagenham" in page.text
    assert re.search(r"\b3 of \d+ measures answered", page.text)
    assert "Barking Residents&#39; Survey, 2025, 1,200 people" in page.text
    assert f"Answered by {officer(BARKING)}" in page.text
    form = client.get(f"/data-collection/measures/{survey.id}")
    assert 'value="Barking Residents&#39; Survey"' in form.text  # the current answer, to change


def test_bad_answers_get_one_clear_message_each(fresh, measures):
    survey, _service, _last = measures
    client = Client(fresh.base)
    client.sign_in(officer("E09000005"))
    page = f"/data-collection/measures/{survey.id}"
    nothing = client.submit(page, {})
    assert "<title>Error:" in nothing.text
    assert "Select how your borough holds the data for this measure" in nothing.text
    survey_errors = client.submit(page, _survey("", "25", "lots", ""))
    summary = survey_errors.text.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    for message in [
        "Enter the name of the survey",
        "Enter the year of the survey as 4 digits",
        "Enter the sample size as a whole number of people",
        "Select whether the survey&#39;s question matches the standard&#39;s wording",
    ]:
        assert message in summary
    service = client.submit(page, {"source": "service", "system_name": "  "})
    assert "Enter the name of the service system" in service.text
    odd = client.submit(page, {"source": "somewhere-else"})
    assert "Select how your borough holds the data for this measure" in odd.text
    assert client.get("/data-collection/measures/not-a-measure").status_code == 404
    home = client.get("/data-collection")
    assert re.search(r"0 of \d+ measures answered", home.text)  # nothing bad was stored


def test_an_officer_cannot_see_or_change_another_boroughs_answers(fresh, answered, measures):
    survey, _service, _last = measures
    client = Client(fresh.base)
    client.sign_in(officer(BARKING))
    own = client.get("/data-collection").text
    assert "HYPERLINK" not in own and "Bexley CRM" not in own  # Barnet's and Bexley's answers
    for path in [
        "/data-collection/london.csv",
        f"/data-collection/boroughs/{BARNET}",
        f"/data-collection/boroughs/{BARKING}",
    ]:
        assert client.get(path).status_code == 404, path
    assert 'id="matrix"' not in own
    # A borough smuggled into the form is ignored: the answer is stored for the officer's own.
    client.submit(
        f"/data-collection/measures/{survey.id}",
        {"source": "none", "borough": BARNET},
    )
    gla = Client(fresh.base)
    gla.sign_in(GLA)
    barnet = gla.get(f"/data-collection/boroughs/{BARNET}").text
    assert "HYPERLINK" in barnet  # unchanged
    barking = gla.get(f"/data-collection/boroughs/{BARKING}").text
    assert "Barking Residents" not in barking  # Barking's own answer changed to Not collected
    _answer(client, survey.id, _survey("Barking Residents' Survey", "2025", "1200", "yes"))

    viewer = Client(fresh.base)
    viewer.sign_in("viewer@london.gov.uk")
    for path in [
        "/data-collection",
        "/data-collection/london.csv",
        f"/data-collection/measures/{survey.id}",
    ]:
        assert viewer.get(path).status_code == 404, path
