"""A return's submission metadata in the portal, over HTTP against gunicorn and its real SQLite
file: a survey return says what its weights add up to; the validator judges what the officer
typed (its words on the form, or the API's 422), the metadata is stored, shown and served, and
London's figures rescale each borough's weights to it."""

from __future__ import annotations

import html
import json
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pandas as pd
import pytest
import requests
from conftest import ROOT, Client, officer, round_id, submission_id

from validator import InputError, check_metadata, load_standard, return_frame
from validator.figures import SurveyReturn, aggregate
from validator.synthetic import adult_population

SURVEY, SERVICE = "resident-survey", "service-data"
LONDON = "E12000007"
SHOWN = "E09000016"  # boroughs no other test of the shared portal sends for
REFUSED = "E09000008"
RESCALED = "E09000019"


@contextmanager
def database(portal) -> Iterator[sqlite3.Connection]:  # type: ignore[no-untyped-def]
    with closing(
        sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    ) as conn:
        conn.row_factory = sqlite3.Row
        yield conn


def submission_count(portal) -> int:  # type: ignore[no-untyped-def]
    with database(portal) as conn:
        return conn.execute("SELECT count(*) FROM submissions").fetchone()[0]


def token_for(portal, email: str) -> str:  # type: ignore[no-untyped-def]
    flask = str(Path(sys.executable).parent / "flask")
    made = subprocess.run(
        [flask, "--app", "portal", "create-token", email],
        env=portal.env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return made.stdout.strip()


def api(portal, email: str) -> requests.Session:  # type: ignore[no-untyped-def]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token_for(portal, email)}"
    return session


def validator_words(**survey_answers: object) -> str:
    """What the validator itself says about a survey return's metadata with these answers."""
    metadata = {
        "borough": REFUSED,
        "submission_type": SURVEY,
        "period": "2025-26",
        "standard_version": load_standard().version,
        "contact": {"name": officer(REFUSED), "email": officer(REFUSED)},
        **survey_answers,
    }
    with pytest.raises(InputError) as caught:
        check_metadata(metadata, complete=True)
    return caught.value.message


def test_a_survey_upload_keeps_its_metadata_shows_it_and_the_api_serves_it(portal, returns):
    client = Client(portal.base)
    client.sign_in(officer(SHOWN))
    form = client.get("/upload").text
    # the demonstration's accepted survey return for this borough said its adult population
    earlier = f"{adult_population(SHOWN, '2025-26'):,}"
    assert re.search(rf'name="weight_total" type="text" value="{earlier}"', form)
    assert "We have filled in what your last accepted survey return said" in form

    total = adult_population(SHOWN, "2025-26")
    page = client.upload(
        round_id(client), SURVEY, "survey.csv", returns[(SHOWN, SURVEY)],
        weight_total=f"{total:,}", weight_total_source="ONS mid-year estimates, mid-2025",
        survey_name="Havering Residents' Survey", fieldwork_start="2025-05-01",
        fieldwork_end="2025-08-31", notes="Boosted sample in Romford.",
    )  # fmt: skip
    assert "Return accepted" in page.text
    pk = submission_id(page)
    about = page.text[page.text.index('id="submission-metadata"') :]
    for shown in (f"{total:,} adults", "ONS mid-year estimates, mid-2025",
                  "Havering Residents&#39; Survey", "2025-05-01 to 2025-08-31",
                  "Boosted sample in Romford.", officer(SHOWN)):  # fmt: skip
        assert shown in about[: about.index("</dl>")]

    expected = {
        "borough": SHOWN,
        "submission_type": SURVEY,
        "period": "2025-26",
        "standard_version": load_standard().version,
        "contact": {"name": officer(SHOWN), "email": officer(SHOWN)},
        "weight_total": total,
        "weight_total_source": "ONS mid-year estimates, mid-2025",
        "survey_name": "Havering Residents' Survey",
        "fieldwork_start": "2025-05-01",
        "fieldwork_end": "2025-08-31",
        "notes": "Boosted sample in Romford.",
    }
    with database(portal) as conn:
        stored = conn.execute("SELECT metadata FROM submissions WHERE id = ?", (pk,)).fetchone()
    assert json.loads(stored[0]) == expected
    served = api(portal, officer(SHOWN)).get(f"{portal.base}/api/v1/submissions/{pk}").json()
    assert served["metadata"] == expected
    # the weights add up to the total given, so the validator has no weights-total warning
    assert "weights-total" not in {f["code"] for f in served["report"]["findings"]}


@pytest.mark.parametrize(
    "typed, given",
    [
        ("0", {"weight_total": 0}),
        ("about a quarter of a million", {"weight_total": "about a quarter of a million"}),
        ("", {}),
    ],
)
def test_a_bad_weight_total_gets_the_validators_words_and_nothing_is_lost(
    portal, returns, typed, given
):
    client = Client(portal.base)
    client.sign_in(officer(REFUSED))
    before = submission_count(portal)
    page = client.upload(
        round_id(client), SURVEY, "survey.csv", returns[(REFUSED, SURVEY)],
        weight_total=typed, weight_total_source="ONS, mid-2025", survey_name="Kept as typed",
    )  # fmt: skip
    words = validator_words(weight_total_source="ONS, mid-2025", survey_name="Kept as typed",
                            **given)  # fmt: skip
    assert page.status_code == 200 and page.url.endswith("/upload")
    summary = re.findall(r'<li><a href="(#[^"]+)">(.*?)</a></li>', page.text)
    assert [(link, html.unescape(text)) for link, text in summary] == [("#weight_total", words)]
    field = re.search(r'id="weight_total-error"[^>]*>(.*?)</p>', page.text, re.S)
    assert field and words in html.unescape(field.group(1))
    assert 'name="survey_name" type="text" value="Kept as typed"' in page.text
    assert f'name="weight_total" type="text" value="{typed}"' in page.text
    assert submission_count(portal) == before

    script = api(portal, officer(REFUSED))
    answer = script.post(
        f"{portal.base}/api/v1/submissions",
        data={"type": SURVEY, "round": round_id(client), "weight_total": typed,
              "weight_total_source": "ONS, mid-2025", "survey_name": "Kept as typed"},
        files={"file": ("survey.csv", returns[(REFUSED, SURVEY)])},
        timeout=120,
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_metadata"
    assert answer.json()["error"]["message"] == words
    assert submission_count(portal) == before


def test_a_service_return_needs_no_weight_total(portal, returns):
    client = Client(portal.base)
    client.sign_in(officer(REFUSED))
    page = client.upload(
        round_id(client), SERVICE, "service.csv", returns[(REFUSED, SERVICE)], weight_total=""
    )
    assert "Return accepted" in page.text
    with database(portal) as conn:
        said = conn.execute(
            "SELECT metadata FROM submissions WHERE id = ?", (submission_id(page),)
        ).fetchone()[0]
    assert "weight_total" not in json.loads(said)


def wait_for_build_with(portal, pk: int) -> list[int]:  # type: ignore[no-untyped-def]
    """The ids the figures were built from, once a build includes submission ``pk``."""
    for _ in range(900):
        with database(portal) as conn:
            found = conn.execute("SELECT submissions FROM figures_build WHERE id = 1").fetchone()
        ids = [s["id"] for s in json.loads(found[0])] if found else []
        if pk in ids:
            return ids
        time.sleep(0.5)
    pytest.fail(f"the figures were never rebuilt with submission {pk}")


def built_from(portal, ids: list[int]) -> tuple[list, list, list, dict]:  # type: ignore[no-untyped-def]
    """The stored returns a build used: the survey returns as sent, the same with their weights
    rescaled here, in the test, to the weight total each one's metadata states, the service
    returns, and those totals by (borough, period)."""
    standard = load_standard()
    sent, rescaled, services, totals = [], [], [], {}
    files = Path(portal.env["PORTAL_FILES"])
    with database(portal) as conn:
        marks = ",".join("?" * len(ids))
        rows = conn.execute(
            "SELECT s.id, s.type, s.sha256, s.metadata, s.borough, r.period FROM submissions s"
            f" JOIN rounds r ON r.id = s.round_id WHERE s.id IN ({marks})",
            ids,
        ).fetchall()
    for row in rows:
        frame = return_frame(files / row["sha256"][:2] / row["sha256"], row["type"], standard)
        weight = standard.submission_types[row["type"]].role("weight")
        if not weight:
            services.append(frame)
            continue
        total = json.loads(row["metadata"])["weight_total"]
        weights = pd.to_numeric(frame[weight])
        scaled = frame.copy()
        scaled[weight] = (weights * (total / weights.sum())).map(repr)
        sent.append(SurveyReturn(frame, None))
        rescaled.append(SurveyReturn(scaled, None))
        totals[(row["borough"], row["period"])] = total
    return sent, rescaled, services, totals


def london_survey_rows(table: pd.DataFrame, period: str) -> pd.DataFrame:
    survey = {m.id for m in load_standard().measures.values() if m.source_type == "survey"}
    rows = table[(table.area_code == LONDON) & (table.period == period)]
    rows = rows[rows.measure_id.isin(survey)]
    return rows.set_index(["measure_id", "breakdown", "breakdown_value"]).sort_index()


def test_londons_figures_rescale_each_boroughs_weights_to_its_stated_population(portal, returns):
    client = Client(portal.base)
    client.sign_in(officer(RESCALED))
    stated = 3 * adult_population(RESCALED, "2025-26")  # not what the weights add up to
    page = client.upload(
        round_id(client), SURVEY, "survey.csv", returns[(RESCALED, SURVEY)],
        weight_total=str(stated), weight_total_source="A deliberately different total",
    )  # fmt: skip
    assert "Return accepted" in page.text
    assert "The weights add up to" in page.text  # the validator's weights-total warning
    ids = wait_for_build_with(portal, submission_id(page))

    with database(portal) as conn:
        stored = pd.read_sql("SELECT * FROM figures", conn)
    sent, rescaled, services, totals = built_from(portal, ids)
    want = london_survey_rows(aggregate(rescaled, services, populations=totals), "2025-26")
    got = london_survey_rows(stored, "2025-26")
    assert list(got.index) == list(want.index) and len(got) > 0
    for column in ("value", "standard_error", "ci_lower", "ci_upper", "n_effective"):
        assert got[column].to_numpy(float) == pytest.approx(
            want[column].to_numpy(float), rel=1e-9, abs=1e-12, nan_ok=True
        ), column
    # the rescaling matters: the weights as the files have them give another London figure
    unscaled = london_survey_rows(aggregate(sent, services), "2025-26")
    assert got["value"].to_numpy(float) != pytest.approx(
        unscaled["value"].to_numpy(float), rel=1e-9, nan_ok=True
    )


def test_population_shares_are_filled_when_every_boroughs_population_is_known(portal):
    with database(portal) as conn:
        stored = pd.read_sql("SELECT * FROM figures WHERE breakdown = 'total'", conn)
        said = conn.execute(
            "SELECT s.borough, s.metadata FROM submissions s JOIN rounds r ON r.id = s.round_id"
            " WHERE r.period = '2024-25' AND s.status = 'accepted' AND s.type = ?",
            (SURVEY,),
        ).fetchall()
    totals = {b: json.loads(m)["weight_total"] for b, m in said}
    assert len(totals) == 33  # the demonstration's closed round: every borough's survey
    measure = next(m.id for m in load_standard().measures.values() if m.source_type == "survey")
    last_year = stored[(stored.period == "2024-25") & (stored.measure_id == measure)]
    shares = dict(zip(last_year.area_code, last_year.population_share, strict=True))
    assert shares.pop(LONDON) == pytest.approx(1.0)
    everyone = sum(totals.values())
    assert shares == pytest.approx({b: t / everyone for b, t in totals.items()}, rel=1e-9)
    # this year 3 boroughs have sent nothing: London's adult population is not known
    this_year = stored[(stored.period == "2025-26") & (stored.measure_id == measure)]
    assert this_year.population_share.isna().all()


def test_a_typed_total_is_read_as_a_person_writes_numbers():
    from portal import submission_metadata

    round_ = {"period": "2025-26", "standard_version": load_standard().version}
    user = {"borough": SHOWN, "email": officer(SHOWN)}

    def total(typed: str) -> object:
        built = submission_metadata.build(
            round_, SURVEY, user, {"weight_total": typed, "weight_total_source": "ONS"}
        )
        return built.get("weight_total")

    assert total("265,000") == total("265 000") == total(" 265000 ") == 265000
    assert total("8031.5") == 8031.5
    assert total("") is None
    negative = submission_metadata.problem(
        submission_metadata.build(round_, SURVEY, user, {"weight_total": "-5",
                                                          "weight_total_source": "ONS"})
    )  # fmt: skip
    assert negative and negative.property == "weight_total"
    assert "should be more than 0, not -5" in negative.message
    service = submission_metadata.build(round_, SERVICE, user, {"weight_total": "5", "notes": "x"})
    assert "weight_total" not in service and service["notes"] == "x"


def test_what_an_officer_types_comes_from_the_rounds_version_of_the_standard():
    from portal import submission_metadata
    from portal.forms import UploadForm
    from validator import StandardError, available_versions

    for version in available_versions():
        standard = load_standard(version)
        survey = submission_metadata.typed(SURVEY, version)
        assert set(survey) == set(standard.metadata_properties) - set(standard.metadata_required())
        assert {"weight_total", "weight_total_source"} <= set(survey)
        assert submission_metadata.typed(SERVICE, version) == ("notes",)
        assert submission_metadata.is_survey(SURVEY, version)
        assert not submission_metadata.is_survey(SERVICE, version)
        assert submission_metadata.form_field("contact.email", version) == ""
        assert submission_metadata.form_field("weight_total", version) == "weight_total"
        assert all(hasattr(UploadForm, name) for name in survey), "a field to type it in"
    with pytest.raises(StandardError):  # the named version is the one read, not the current one
        submission_metadata.is_survey(SURVEY, "9.9.9")
