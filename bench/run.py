"""Benchmark `lsids validate` against stock Frictionless on the same resident-survey files.

Four suites, all by default (``make bench``):

``--suite people`` — the sizes people send (``bench/people.py``): 5,000 and 50,000-row CSVs and
10,000 and 100,000-row XLSX workbooks written the way Excel writes them (``bench/xlsx.py``), each
timed as whole processes — the ``lsids validate`` command against the stock ``frictionless
validate`` command on the same file, in repeated pairs, medians reported — plus ``lsids --help``.

``--suite million`` — 100,000 and 1,000,000-row CSVs: generates clean and faulty (~1 % of rows
with one fault) files with the standard's own generator, validates each in fresh processes —
``validate()`` in-process, the ``lsids validate`` command end to end (start-up included) and stock
Frictionless with no error limit — and prints a Markdown table: seconds, rows/s, peak memory, the
throughput ratio to Frictionless, and whether both found the same (row, field, kind) schema
errors.

``--suite portal`` — the portal under gunicorn: the 10,000-row workbook's upload-to-report time
against ``lsids validate`` on it (``bench/portal_upload.py``), and the 33 boroughs uploading at
once while a worker is killed (``bench/portal_load.py``).

``--suite pages`` — the figures pages' throughput against ``/healthz`` under gunicorn, driven by
``wrk`` (a Python client when ``wrk`` is missing; the output says which), and each page's own
server time in-process (``bench/portal_pages.py``, ``bench/portal_request_cost.py``).

    .venv/bin/python bench/run.py                    # all suites (about 22 minutes)
    .venv/bin/python bench/run.py --suite people     # the sizes people send and --help
    .venv/bin/python bench/run.py --suite people --runs 1                  # one run of each
    .venv/bin/python bench/run.py --suite million --rows 100000            # one size
    .venv/bin/python bench/run.py --suite portal     # the portal: upload to report, and load
    .venv/bin/python bench/run.py --suite pages      # figures pages against /healthz (wrk)
    .venv/bin/python bench/run.py --suite million --rows 10000000 --skip-frictionless --clean-only
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TYPE = "resident-survey"
BAD_VALUES = {
    "code": "Strongly agree",
    "weight": "-1",
    "date": "14/06/2025",
    "required": "",
}


def generate(rows: int, data_dir: Path) -> Path:
    from validator.synthetic import write_survey_csv

    path = data_dir / f"survey-{rows}.csv"
    if not path.exists():
        write_survey_csv(path, "E09000030", "2025-26", rows, seed=7)
    return path


def inject_faults(clean: Path, rate: float = 0.01, seed: int = 11) -> Path:
    """Copy a clean file, giving about `rate` of its rows one schema fault Frictionless checks."""
    faulty = clean.with_name(clean.stem + "-faulty.csv")
    if faulty.exists():
        return faulty
    rng = np.random.default_rng(seed)
    from validator.standard import load_standard

    survey = load_standard().submission_types[TYPE]
    coded = [i for i, f in enumerate(survey.fields) if f.codelist and not f.asked_when]
    names = survey.field_names
    weight, date, ident = names.index("weight"), names.index("interview_date"), 0
    required = [i for i, f in enumerate(survey.fields) if f.required]
    with (
        clean.open(newline="", encoding="utf-8") as src,
        faulty.open("w", newline="", encoding="utf-8") as dst,
    ):
        reader, writer = csv.reader(src), csv.writer(dst, lineterminator="\n")
        writer.writerow(next(reader))
        previous_id = None
        for row in reader:
            if rng.random() < rate:
                kind = rng.integers(5)
                if kind == 0:
                    row[coded[rng.integers(len(coded))]] = BAD_VALUES["code"]
                elif kind == 1:
                    row[weight] = BAD_VALUES["weight"]
                elif kind == 2:
                    row[date] = BAD_VALUES["date"]
                elif kind == 3:
                    row[required[rng.integers(len(required))]] = BAD_VALUES["required"]
                elif previous_id is not None:
                    row[ident] = previous_id
            previous_id = row[ident]
            writer.writerow(row)
    return faulty


def measure(tool: str, path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), tool, str(path), TYPE],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{tool} failed on {path}:\n{result.stderr}")
    return json.loads(result.stdout)


def machine() -> list[str]:
    """What the figures were measured on."""
    import frictionless
    import numpy
    import openpyxl
    import pandas
    import pyarrow

    cpu = next(
        (line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if "model name" in line),
        platform.processor() or "unknown CPU",
    )
    return [
        f"{os.cpu_count()} cores ({cpu}), {_memory_gb()} GB RAM, {platform.platform()}",
        f"Python {platform.python_version()}; pyarrow {pyarrow.__version__} "
        f"(memory pool {pyarrow.default_memory_pool().backend_name} once a validation starts); "
        f"numpy {numpy.__version__}; pandas {pandas.__version__}; "
        f"frictionless {frictionless.__version__}; openpyxl {openpyxl.__version__}",
    ]


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): other jobs share these cores."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _memory_gb() -> str:
    kb = next((int(x.split()[1]) for x in _lines("/proc/meminfo") if x.startswith("MemTotal")), 0)
    return f"{kb / 1024 / 1024:.0f}" if kb else "?"


HEADER = ["file", "rows", "tool", "seconds", "rows/s", "peak MB", "valid", "error cells"]
HEADER += ["× Frictionless", "same findings"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--suite",
        choices=["all", "people", "million", "portal", "pages"],
        default="all",
        help="people: 5k/50k CSV, 10k/100k XLSX and --help; million: 100k/1M CSV; "
        "portal: upload to report and the 33 boroughs at once; pages: figures pages against "
        "/healthz (default: all)",
    )
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[100_000, 1_000_000],
        help="sizes of the million suite",
    )
    parser.add_argument(
        "--runs", type=int, help="runs of each measurement in the people suite (default 5 or 3)"
    )
    parser.add_argument(
        "--skip-frictionless",
        action="store_true",
        help="time lsids only (for sizes where Frictionless would take too long)",
    )
    parser.add_argument(
        "--clean-only", action="store_true", help="million suite: skip the faulty copies"
    )
    parser.add_argument("--data", type=Path, default=HERE / "data")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    import validator.readers.source  # noqa: F401  (chooses the memory pool, as every validation does)

    for line in machine():
        print(f"# {line}")
    print(f"# load average at start: {load()}", flush=True)
    started = time.perf_counter()
    if args.suite in ("all", "people"):
        people_suite(args)
    if args.suite in ("all", "million"):
        million_suite(args)
    if args.suite in ("all", "portal"):
        portal_suite(args)
    if args.suite in ("all", "pages"):
        pages_suite(args)
    minutes = (time.perf_counter() - started) / 60
    print(f"\n# load average at end: {load()}; took {minutes:.1f} minutes", flush=True)


def people_suite(args: argparse.Namespace) -> None:
    import people

    results = people.measure(args.data, args.runs, args.skip_frictionless)
    print("\n## The sizes people send (whole processes, medians)\n")
    print("\n".join(people.table(results)), flush=True)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    (out / f"people-{stamp}.json").write_text(json.dumps(people.raw(results), indent=1))


def portal_suite(args: argparse.Namespace) -> None:
    import portal_load
    import portal_upload

    portal_upload.main(
        ["--data", str(args.data)] + (["--runs", str(args.runs)] if args.runs else [])
    )
    portal_load.main([])


def pages_suite(args: argparse.Namespace) -> None:
    import portal_pages
    import portal_request_cost

    portal_pages.main([])
    print("\n## The server's own time per request (in-process)\n", flush=True)
    portal_request_cost.main([])


def million_suite(args: argparse.Namespace) -> None:
    print("\n## 100,000 and 1,000,000 rows\n")
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER), flush=True)
    for rows in args.rows:
        clean = generate(rows, args.data)
        paths = [clean] if args.clean_only else [clean, inject_faults(clean)]
        for path in paths:
            tools = ["lsids", "lsids-cli"] + ([] if args.skip_frictionless else ["frictionless"])
            results = {tool: measure(tool, path) for tool in tools}
            for tool in tools:
                print(_row(path, rows, results, tool), flush=True)


def _row(path: Path, rows: int, results: dict[str, dict], tool: str) -> str:
    r = results[tool]
    ratio = same = ""
    theirs = results.get("frictionless")
    if theirs and tool != "frictionless":
        ratio = f"{theirs['seconds'] / r['seconds']:.0f}×"
    if theirs and tool == "lsids":
        ours_cells = set(map(tuple, r["error_cells"]))
        differ = len(ours_cells ^ set(map(tuple, theirs["error_cells"])))
        agree = not differ and r["valid"] == theirs["valid"]
        same = "yes" if agree else f"NO ({differ} cells differ)"
    cells = f"{len(r['error_cells']):,}" if tool != "lsids-cli" else "–"
    cols = [path.name, f"{rows:,}", tool, f"{r['seconds']:.2f}", f"{rows / r['seconds']:,.0f}"]
    cols += [f"{r['peak_mb']:.0f}", str(r["valid"]).lower(), cells, ratio, same]
    return "| " + " | ".join(cols) + " |"


if __name__ == "__main__":
    main()
