"""The portal's upload-to-report time for the 10,000-row workbook against `lsids validate` on it.

Issue 8's target: uploading the 10,000-row XLSX return in the portal and getting its report page
takes at most 1.5× the CLI's time on the same file. The workbook is ``bench/data/survey-10000.xlsx``
(``bench/xlsx.py``, written the way Excel writes one; the people suite's file, written here if it
is missing). In pairs, alternating which goes first:

- ``portal``: a seeded portal under gunicorn (2 workers, as deployed; ``bench/portal_server.py``),
  the officer for the file's borough already signed in with the upload form open; timed from
  sending the file to having the report page (the redirect to the submission's page followed);
- ``lsids``: ``lsids validate FILE --type resident-survey --borough E09000030 --period 2025-26
  --format json`` as a new process, start-up included (``bench/people.py``'s launcher), the options
  the portal passes to the validator.

Prints each one's median seconds and range and the median of the per-pair ratios (portal ÷ CLI);
checks that the portal accepted the return and read all its rows.

    .venv/bin/python bench/portal_upload.py              # 5 pairs
    .venv/bin/python bench/portal_upload.py --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import people  # noqa: E402
from portal_server import Session, officer, serve, submission_id  # noqa: E402

from portal.demo import survey_answers  # noqa: E402

ROWS = 10_000
TYPE = "resident-survey"


def workbook(data: Path) -> Path:
    from xlsx import write_survey_xlsx

    path = data / f"survey-{ROWS}.xlsx"
    if not path.exists():
        data.mkdir(parents=True, exist_ok=True)
        write_survey_xlsx(path, people.BOROUGH, people.PERIOD, ROWS, seed=people.SEED)
    return path


def cli(path: Path) -> float:
    command = [*people.lsids_command(path), "--borough", people.BOROUGH, "--period", people.PERIOD]
    seconds, _, _, out = people.timed(command)
    report = json.loads(out)
    if report["summary"]["rows"] != ROWS or not report["valid"]:
        raise SystemExit(f"lsids read {report['summary']['rows']} rows, valid {report['valid']}")
    return seconds


def measure(data: Path, runs: int) -> dict[str, list[float]]:
    """Seconds of each run: ``portal`` and ``lsids``, in alternating pairs."""
    path = workbook(data)
    content = path.read_bytes()
    times: dict[str, list[float]] = {"portal": [], "lsids": []}
    with serve(workers=2) as portal:
        session = Session(portal.base)
        session.sign_in(officer(people.BOROUGH))
        rid = session.round_id()
        answers = survey_answers(people.BOROUGH, people.PERIOD)

        def upload() -> float:
            page, seconds = session.upload(rid, TYPE, path.name, content, answers)
            sid = submission_id(page)
            if page.status_code != 200 or sid is None or "not accepted" in page.text:
                raise SystemExit(f"the portal did not accept the workbook: {page.status_code}")
            answer = session.http.get(f"{portal.base}/submissions/{sid}/report.json", timeout=60)
            read = answer.json()["report"]["summary"]["rows"]
            if read != ROWS:
                raise SystemExit(f"the portal read {read} rows, not {ROWS}")
            return seconds

        upload()  # one untimed upload: the workers' first check loads what a check needs
        for i in range(runs):
            pair = [("portal", upload), ("lsids", lambda: cli(path))]
            if i % 2:
                pair.reverse()
            for name, run in pair:
                times[name].append(run())
                print(f"# {name} run {i + 1}: {times[name][-1]:.2f} s", file=sys.stderr)
    return times


def table(times: dict[str, list[float]]) -> list[str]:
    ratios = [p / c for p, c in zip(times["portal"], times["lsids"], strict=True)]
    lines = [
        "| what | rows | runs | median s | range s | portal ÷ CLI (median of pairs) |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in (("portal", "portal: upload to report page"), ("lsids", "`lsids validate`")):
        s = times[name]
        ratio = f"{statistics.median(ratios):.2f}×" if name == "portal" else ""
        lines.append(
            f"| {label} | {ROWS:,} | {len(s)} | {statistics.median(s):.2f} "
            f"| {min(s):.2f}–{max(s):.2f} | {ratio} |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="pairs of runs (default 5)")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    args = parser.parse_args(argv)
    times = measure(args.data, args.runs)
    print("\n## Portal: upload of the 10,000-row workbook to its report page, against the CLI\n")
    print("\n".join(table(times)))


if __name__ == "__main__":
    main()
