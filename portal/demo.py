"""The demonstration: an officer for each of the 33 boroughs, a GLA administrator, a viewer,
the open round "Annual return 2025-26" (and last year's closed one, every borough's returns
accepted, so the figures have a back series), and returns from the standard's own generator.
The London figures are computed from the accepted returns at the end.

Most boroughs have accepted returns, some also a rejected attempt (a return sent as the wrong
borough, refused by the standard's own rule), and the last few have sent nothing yet. Each survey
return comes with its submission metadata: the generator's own adult population for the borough
as what the weights add up to (so the figures' population shares are consistent with the rows).
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import timedelta
from pathlib import Path

from . import db, figures_store, intake, passwords, submission_metadata, times

DEMO_PASSWORD = "demo-password-2025"
GLA_EMAIL = "gla.admin@london.gov.uk"
VIEWER_EMAIL = "viewer@london.gov.uk"
NOTHING_SENT = 3  # the last boroughs in code order have not started
REJECTED_EVERY = 5  # every fifth borough also has a rejected attempt
PREVIOUS_PERIOD = "2024-25"  # a closed round before the open one, for the figures' back series


def officer_email(code: str) -> str:
    return f"officer.{code.lower()}@example.gov.uk"


def seed(conn: sqlite3.Connection, files_root: str, survey_rows: int = 60) -> str:
    """Fill an empty database with the demonstration; return what to print for the operator."""
    from validator import load_standard
    from validator.synthetic import write_returns

    standard = load_standard()
    hashed = passwords.hash_password(DEMO_PASSWORD)  # one hash: argon2 is slow on purpose
    gla = db.create_user(conn, GLA_EMAIL, hashed, "gla", None)
    db.create_user(conn, VIEWER_EMAIL, hashed, "viewer", None)
    officers = {
        code: db.create_user(conn, officer_email(code), hashed, "officer", code)
        for code in standard.boroughs.codes
    }
    today = times.today()
    types = list(standard.submission_types)
    round_id = db.create_round(
        conn,
        {
            "name": "Annual return 2025-26",
            "period": "2025-26",
            "types": types,
            "standard_version": standard.version,
            "opens_on": (today - timedelta(days=14)).isoformat(),
            "closes_on": (today + timedelta(days=30)).isoformat(),
        },
        gla,
    )
    round_ = db.round_by_id(conn, round_id)
    codes = list(officers)
    senders = codes[: len(codes) - NOTHING_SENT]
    with tempfile.TemporaryDirectory(prefix="lsids-demo-") as tmp:
        _last_year(conn, files_root, standard, gla, officers, Path(tmp) / "previous", survey_rows)
        paths = write_returns(tmp, boroughs=senders, periods=["2025-26"], survey_rows=survey_rows)
        by_key = {(p.name.split("_")[1], p.name.split("_")[0]): Path(p) for p in paths}
        rejected = 0
        for number, code in enumerate(senders):
            user = db.user_by_id(conn, officers[code])
            for kind in types:
                if number % REJECTED_EVERY == 0:  # sent another borough's file first
                    wrong = by_key[(senders[(number + 1) % len(senders)], kind)]
                    _send(conn, files_root, round_, kind, user, wrong)
                    rejected += 1
                _send(conn, files_root, round_, kind, user, by_key[(code, kind)])
    rows = figures_store.recompute(conn, files_root)
    lines = [
        f"Seeded {len(officers)} officers, a GLA administrator and a viewer; round "
        f"'{round_['name']}' open until {round_['closes_on']}.",
        f"Accepted returns from {len(senders)} boroughs, {rejected} rejected attempts, "
        f"nothing yet from {NOTHING_SENT}.",
        f"Computed {rows} figures from the accepted returns.",
    ]
    return "\n".join(lines)


def _last_year(conn, files_root, standard, gla, officers, folder, survey_rows):  # type: ignore[no-untyped-def]
    """A closed round for the year before, every borough's returns accepted: the figures'
    back series, so the pages show a change from the previous period."""
    from validator.synthetic import write_returns

    today = times.today()
    round_id = db.create_round(
        conn,
        {
            "name": f"Annual return {PREVIOUS_PERIOD}",
            "period": PREVIOUS_PERIOD,
            "types": list(standard.submission_types),
            "standard_version": standard.version,
            "opens_on": (today - timedelta(days=380)).isoformat(),
            "closes_on": (today - timedelta(days=320)).isoformat(),
        },
        gla,
    )
    round_ = db.round_by_id(conn, round_id)
    paths = write_returns(
        folder, boroughs=list(officers), periods=[PREVIOUS_PERIOD], survey_rows=survey_rows, seed=1
    )
    for path in paths:
        kind, code = path.name.split("_")[:2]
        _send(conn, files_root, round_, kind, db.user_by_id(conn, officers[code]), Path(path))


def _send(conn, files_root, round_, kind, user, path: Path) -> int:  # type: ignore[no-untyped-def]
    survey = submission_metadata.is_survey(kind, round_["standard_version"])
    typed = survey_answers(user["borough"], round_["period"]) if survey else {}
    return intake.receive(
        conn,
        files_root,
        round_=round_,
        kind=kind,
        user=user,
        data=path.read_bytes(),
        filename=path.name,
        checker=intake.in_process,
        metadata=submission_metadata.build(round_, kind, user, typed),
    )


def survey_answers(borough: str, period: str) -> dict[str, str]:
    """What an officer would type for the borough's survey return: the synthetic generator's
    adult population (what its weights add up to), and a plausible survey and fieldwork."""
    from validator import load_standard
    from validator.synthetic import adult_population, period_dates

    start, _ = period_dates(period)
    name = load_standard().boroughs.labels()[borough]
    return {
        "weight_total": str(adult_population(borough, period)),
        "weight_total_source": f"LSIDS synthetic adult population, mid-{start.year}",
        "survey_name": f"{name} Residents' Survey {period}",
        "fieldwork_start": start.replace(month=6, day=1).isoformat(),
        "fieldwork_end": start.replace(month=9, day=30).isoformat(),
    }
