"""Benchmark `lsids validate` against stock Frictionless on the same resident-survey files.

Generates clean and faulty (~1 % of rows with one fault) files with the standard's own generator,
validates each with both tools in fresh processes, and prints rows/s, the throughput ratio, peak
memory and whether both tools found the same (row, field) schema errors.

    .venv/bin/python bench/run.py                    # 100k and 1M rows
    .venv/bin/python bench/run.py --rows 100000      # one size
    .venv/bin/python bench/run.py --rows 10000000 --skip-frictionless   # memory growth at 10M
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument(
        "--skip-frictionless",
        action="store_true",
        help="time lsids only (for sizes where Frictionless would take too long)",
    )
    parser.add_argument("--data", type=Path, default=HERE / "data")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    print(
        f"{'file':<28} {'tool':<13} {'seconds':>8} {'rows/s':>10} {'peak MB':>8} "
        f"{'valid':>6} {'errors':>7}  ratio   same findings"
    )
    for rows in args.rows:
        clean = generate(rows, args.data)
        for path in (clean, inject_faults(clean)):
            ours = measure("lsids", path)
            results = [ours]
            if not args.skip_frictionless:
                results.append(measure("frictionless", path))
            for r in results:
                r["rows_per_s"] = rows / r["seconds"]
            ratio = same = ""
            if len(results) == 2:
                theirs = results[1]
                ratio = f"{theirs['seconds'] / ours['seconds']:.1f}x"
                ours_cells = set(map(tuple, ours["error_cells"]))
                differ = len(ours_cells ^ set(map(tuple, theirs["error_cells"])))
                same = "yes" if not differ else f"NO ({differ} differ)"
            for i, r in enumerate(results):
                print(
                    f"{path.name:<28} {r['tool']:<13} {r['seconds']:>8.2f} "
                    f"{r['rows_per_s']:>10,.0f} "
                    f"{r['peak_mb']:>8.0f} {r['valid']!s:>6} {len(r['error_cells']):>7}  "
                    f"{ratio if i == 0 else '':<7} {same if i == 0 else ''}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
