"""The figures' downloads over HTTP: the CSV opens with no cell that a spreadsheet would run as a
formula, the Data Package passes stock Frictionless and names its sources, and each download is
in the audit log."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import Client

from portal.figures_exports import safe_cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


@pytest.fixture
def gla(portal) -> Client:
    client = Client(portal.base)
    client.sign_in("gla.admin@london.gov.uk")
    return client


def last_event(portal) -> dict:
    conn = sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        found = conn.execute(
            "SELECT events.*, users.email FROM events LEFT JOIN users ON users.id = user_id"
            " ORDER BY events.id DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return dict(found)


def test_the_csv_has_the_documented_columns_and_no_cell_starts_a_formula(gla, portal):
    from validator.catalogue.figures import OUTPUT_COLUMNS

    answer = gla.get("/figures/download/figures.csv")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8"), newline="")))
    assert rows[0] == list(OUTPUT_COLUMNS)
    assert len(rows) > 1000
    cells = [cell for row in rows for cell in row]
    risky = [c for c in cells if c.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(c)]
    assert risky == []
    event = last_event(portal)
    assert (event["action"], event["detail"], event["email"]) == (
        "figures-exported",
        "csv",
        "gla.admin@london.gov.uk",
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("E09000001", "E09000001"),
        (-1.5, "-1.5"),  # a negative number stays a number
        (-3, "-3"),
        (None, ""),
    ],
)
def test_a_text_cell_that_could_start_a_formula_is_made_text_and_a_number_stays_one(value, written):
    assert safe_cell(value) == written


def test_the_data_package_passes_stock_frictionless_and_names_its_sources(
    gla, portal, standard, tmp_path: Path
):
    from frictionless import validate

    answer = gla.get("/figures/download/datapackage.zip")
    assert answer.status_code == 200
    event = last_event(portal)  # before any other download below is logged after it
    with zipfile.ZipFile(io.BytesIO(answer.content)) as z:
        z.extractall(tmp_path)
    descriptor = tmp_path / "datapackage.json"
    report = validate(str(descriptor))
    assert report.valid, report.flatten(["type", "note"])[:5]
    cli = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", str(descriptor)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert cli.returncode == 0, cli.stdout[-2000:]

    import json

    meta = json.loads(descriptor.read_text())
    assert meta["lsids"]["standard_version"] == standard.version
    assert standard.version in meta["description"]
    built_from = meta["lsids"]["submissions"]
    assert len(built_from) >= 60  # every accepted return of both demonstration rounds
    first = built_from[0]
    shown = gla.get(f"/submissions/{first['id']}/report.json").json()
    assert (shown["status"], shown["sha256"]) == ("accepted", first["sha256"])
    assert f"Submission {first['id']} (SHA-256 {first['sha256']})" in [
        s["title"] for s in meta["sources"]
    ]
    assert (event["action"], event["detail"]) == ("figures-exported", "data package")
