"""London's figures in the portal, over HTTP against gunicorn: after seed-demo every measure has
its London figure; a measure's page gives the interval, coverage, charts with text alternatives
and a tile map of 33 boroughs whose printed numbers are the table's; an accepted upload changes
the stored figures at once."""

from __future__ import annotations

import html
import re
import time

import pytest
from conftest import Client, officer, round_id, submission_id

LONDON = "E12000007"
MEASURE = "rel_lonely_often"  # a survey measure: a percentage with an interval
NEWCOMER = "E09000033"  # the demonstration's boroughs at the end of the list have sent nothing


@pytest.fixture
def viewer(portal) -> Client:
    client = Client(portal.base)
    client.sign_in("viewer@london.gov.uk")
    return client


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def overview_rows(client: Client) -> dict[str, list[str]]:
    page = client.get("/figures")
    assert page.status_code == 200
    rows = re.findall(r'<tr class="govuk-table__row" data-measure="([^"]+)">(.*?)</tr>', page.text,
                      re.S)  # fmt: skip
    return {
        measure: [text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)]
        for measure, body in rows
    }


def table_figures(page_html: str) -> dict[str, str]:
    """The map's table: GSS code → the figure printed for that borough."""
    table = page_html[page_html.index('id="borough-table"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'data-area="([^"]+)">(.*?)</tr>', table, re.S)
    return {code: text(re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)[0]) for code, body in rows}


def test_after_seeding_the_overview_gives_every_borough_measure_a_london_figure(viewer, standard):
    rows = overview_rows(viewer)
    assert set(rows) == set(standard.measures)
    for measure in standard.measures.values():
        title, period, figure, change, coverage = rows[measure.id]
        assert title == measure.title
        if measure.source_type == "national":
            assert figure == "[x]"  # not a borough return: the GLA takes it elsewhere
            continue
        assert period == "2025-26"
        assert re.fullmatch(r"[\d,.]+(%| per 1,000)?( \[u\])?", figure), (measure.id, figure)
        assert "since 2024-25" in change and change != "[x]"  # last year's round is the base
        assert re.match(r"\d+ of 33 boroughs", coverage)


def test_a_measure_page_shows_londons_interval_coverage_charts_and_a_map_of_33_boroughs(
    viewer,
):
    page = viewer.get(f"/figures/{MEASURE}")
    assert page.status_code == 200
    london = text(re.search(r'id="london-interval">(.*?)</dd>', page.text).group(1))
    assert re.fullmatch(r"\d+\.\d% to \d+\.\d%", london)
    coverage = text(re.search(r'id="london-coverage">(.*?)</dd>', page.text).group(1))
    assert re.match(r"\d+ of 33 boroughs", coverage)

    images = dict(re.findall(r'<img src="([^"]+)" alt="([^"]+)"', page.text))
    assert len(images) == 3  # boroughs, map, time series: each with a text alternative
    for src, alt in images.items():
        assert len(alt) > 60, alt
        chart = viewer.get(html.unescape(src))
        assert chart.status_code == 200
        assert chart.headers["Content-Type"].startswith("image/svg+xml")
        assert "<svg" in chart.text and "<script" not in chart.text

    map_src = next(html.unescape(s) for s in images if "/map.svg" in s)
    svg = viewer.get(map_src).text
    tiles = re.findall(r'<g id="tile-(E09\d{6})"', svg)
    assert len(set(tiles)) == 33
    labels = re.findall(r'<g id="value-(E09\d{6})">.*?<text[^>]*>([^<]*)</text>', svg, re.S)
    printed = {code: html.unescape(value) for code, value in labels}
    assert printed == table_figures(page.text)  # the map and its table hold the same numbers
    assert "[c]" in printed.values() or "[x]" in printed.values()  # some withheld or missing


def test_the_filters_choose_the_period_and_the_group_of_people(viewer):
    latest = viewer.get(f"/figures/{MEASURE}")
    earlier = viewer.get(f"/figures/{MEASURE}?period=2024-25&group=sex:female")
    assert earlier.status_code == 200
    assert "London, 2024-25: Sex: Female" in text(earlier.text)
    assert table_figures(earlier.text) != table_figures(latest.text)
    assert viewer.get(f"/figures/{MEASURE}?period=1999-00").status_code == 404
    assert viewer.get("/figures/no_such_measure").status_code == 404


def test_figures_need_a_signed_in_person(portal):
    anonymous = Client(portal.base)
    page = anonymous.get("/figures")
    assert page.url.endswith("/sign-in") or "Sign in" in page.text


def test_an_accepted_upload_changes_the_stored_figures(portal, returns):
    measure = "rel_hate_crime_rate"  # a service measure: the newcomer's rate shows at once
    gla = Client(portal.base)
    gla.sign_in("gla.admin@london.gov.uk")
    before = gla.get(f"/figures/{measure}")
    assert table_figures(before.text)[NEWCOMER] == "[x]"
    london_before = text(re.search(r'id="london-figure">(.*?)</dd>', before.text).group(1))

    sender = Client(portal.base)
    sender.sign_in(officer(NEWCOMER))
    sent = sender.upload(
        round_id(sender), "service-data", "service.csv", returns[(NEWCOMER, "service-data")]
    )
    assert "Accepted" in sent.text or "accepted" in sent.text
    new_id = submission_id(sent)
    # the sums run once the upload's answer is sent: wait for the build that includes it
    for _ in range(600):
        package = gla.get("/figures/download/datapackage.zip")
        if f"Submission {new_id} " in package_descriptor(package.content):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"the figures were never rebuilt with submission {new_id}")

    after = gla.get(f"/figures/{measure}")
    assert re.fullmatch(r"[\d.]+ per 1,000", table_figures(after.text)[NEWCOMER])
    coverage = text(re.search(r'id="london-coverage">(.*?)</dd>', after.text).group(1))
    assert coverage.startswith("31 of 33 boroughs") or coverage.startswith("32 of 33")
    london_after = text(re.search(r'id="london-figure">(.*?)</dd>', after.text).group(1))
    assert london_after != london_before


def package_descriptor(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("datapackage.json").decode()


def test_figures_json_gives_one_measure_and_period_from_the_stored_table(portal, standard):
    from portal import db
    from portal.figures_store import figures_json

    conn = db.connect(portal.env["PORTAL_DATABASE"])
    try:
        body = figures_json(conn, MEASURE, "2025-26")
    finally:
        conn.close()
    assert body["standard_version"] == standard.version
    assert body["submissions"] and all(len(s["sha256"]) == 64 for s in body["submissions"])
    assert {f["measure_id"] for f in body["figures"]} == {MEASURE}
    assert {f["period"] for f in body["figures"]} == {"2025-26"}
    london = [f for f in body["figures"] if f["area_code"] == LONDON and f["breakdown"] == "total"]
    assert len(london) == 1 and 0 <= london[0]["value"] <= 100
    withheld = [f for f in body["figures"] if f["status"] == "suppressed"]
    assert withheld and all(f["value"] is None for f in withheld)
