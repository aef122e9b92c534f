"""The sizes people send: whole `lsids` processes against whole stock `frictionless` processes.

Boroughs send returns of 2,000–10,000 respondents, mostly as Excel workbooks (issue 8). For each
file this times, as a fresh process each time and start-up included:

- ``lsids validate FILE --type resident-survey --format json`` (the JSON report on stdout);
- stock ``frictionless validate`` on the same file inside the standard's Data Package, no error
  limit, JSON report (``frictionless validate PACKAGE.json --resource-name resident-survey
  --trusted --json --limit-errors 0``);

and ``lsids --help`` on its own. The two tools on a file are run in pairs, alternating which goes
first; the table gives each tool's median seconds over the runs, its highest peak resident memory
(``ru_maxrss`` of that one child, read by the small launcher ``bench/spawn.py``), and the median of
the per-pair ratios.

Why a package file and not ``validator.stock.stock_validate``: that function keeps the template
resource's ``"format": "csv"``, so on a workbook stock Frictionless reads the zip as CSV text and
stops at an encoding error. Here the package descriptor is ``validator.stock.package_descriptor``
with the return's format set to its extension (``xlsx``: Frictionless reads it with openpyxl) and
every other path made absolute, written next to the return in ``bench/data/``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

TYPE = "resident-survey"
BOROUGH, PERIOD, SEED = "E09000030", "2025-26", 7  # as bench/run.py writes its CSVs
CSV_ROWS = (5_000, 50_000)
XLSX_ROWS = (10_000, 100_000)
HELP_RUNS = 5


def default_runs(rows: int) -> int:
    """Several runs where a run is short, fewer where it is long."""
    return 5 if rows <= 10_000 else 3 if rows <= 100_000 else 1


@dataclass
class Run:
    seconds: float
    peak_mb: float
    valid: bool | None
    rows: int | None


@dataclass
class Timings:
    label: str
    rows: int | None
    tool: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)


def timed(command: list[str]) -> tuple[float, float, int, bytes]:
    """Run ``command`` as a new process: wall seconds, its own peak RSS in MB, exit code, stdout.

    It is started by ``bench/spawn.py``, which times it from just before it starts to just after
    it ends (so the launcher's own start-up is not counted) and reads its own peak memory.
    """
    spawn = [sys.executable, str(Path(__file__).with_name("spawn.py"))]
    with (
        tempfile.TemporaryDirectory() as tmp,
        open(Path(tmp) / "out", "w+b") as out,
        open(Path(tmp) / "err", "w+b") as err,
    ):
        result = Path(tmp) / "result.json"
        subprocess.run([*spawn, str(result), *command], stdout=out, stderr=err, check=True)
        figures = json.loads(result.read_text(encoding="utf-8"))
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    code = figures["returncode"]
    if code not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({code}):\n{stderr.decode()[-2000:]}")
    return figures["seconds"], figures["peak_kb"] / 1024, code, stdout


def lsids_command(path: Path) -> list[str]:
    lsids = Path(sys.executable).with_name("lsids")
    return [str(lsids), "validate", str(path), "--type", TYPE, "--format", "json"]


def frictionless_command(path: Path) -> list[str]:
    frictionless = Path(sys.executable).with_name("frictionless")
    package = stock_package(path)
    options = ["--resource-name", TYPE, "--trusted", "--json", "--limit-errors", "0"]
    return [str(frictionless), "validate", str(package), *options]


def stock_package(path: Path) -> Path:
    """The standard's Data Package with ``path`` as its return, in a file Frictionless opens."""
    from validator.standard import load_standard
    from validator.stock import package_descriptor

    standard = load_standard()
    descriptor = package_descriptor(path, TYPE, standard)
    for resource in descriptor["resources"]:
        if resource["name"] == TYPE:
            resource["format"] = path.suffix.lstrip(".").lower()
            resource.pop("mediatype", None)
        else:
            resource["path"] = str((standard.path / resource["path"]).resolve())
        if isinstance(resource.get("schema"), str):
            resource["schema"] = str((standard.path / resource["schema"]).resolve())
    package = path.with_name(path.name + ".datapackage.json")
    package.write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    return package


def run_lsids(path: Path) -> Run:
    seconds, peak, _, out = timed(lsids_command(path))
    report = json.loads(out)
    return Run(seconds, peak, report["valid"], report["summary"]["rows"])


def run_frictionless(path: Path) -> Run:
    seconds, peak, _, out = timed(frictionless_command(path))
    report = json.loads(out)
    rows = sum(task["stats"].get("rows", 0) for task in report["tasks"])
    return Run(seconds, peak, report["valid"], rows)


def run_help() -> Run:
    lsids = Path(sys.executable).with_name("lsids")
    seconds, peak, _, _ = timed([str(lsids), "--help"])
    return Run(seconds, peak, None, None)


def files(data: Path) -> list[tuple[Path, int]]:
    """The CSVs and workbooks of the sizes people send, written once and kept in ``data``."""
    from xlsx import write_survey_xlsx

    from validator.synthetic import write_survey_csv

    made = []
    for rows in CSV_ROWS:
        path = data / f"survey-{rows}.csv"
        if not path.exists():
            write_survey_csv(path, BOROUGH, PERIOD, rows, seed=SEED)
        made.append((path, rows))
    for rows in XLSX_ROWS:
        path = data / f"survey-{rows}.xlsx"
        if not path.exists():
            _note(f"writing {path.name} …")
            write_survey_xlsx(path, BOROUGH, PERIOD, rows, seed=SEED)
        made.append((path, rows))
    return made


def measure(data: Path, runs: int | None, skip_frictionless: bool) -> list[Timings]:
    """Every measurement of the suite, in the order of the table."""
    results = []
    help_timings = Timings("`lsids --help`", None, "lsids")
    for i in range(runs or HELP_RUNS):
        help_timings.runs.append(run_help())
        _note(f"lsids --help run {i + 1}: {help_timings.runs[-1].seconds:.2f} s")
    results.append(help_timings)
    for path, rows in files(data):
        ours = Timings(path.name, rows, "lsids")
        theirs = Timings(path.name, rows, "frictionless")
        for i in range(runs or default_runs(rows)):
            pair = [(ours, run_lsids)] + ([] if skip_frictionless else [(theirs, run_frictionless)])
            if i % 2:
                pair.reverse()  # alternate which tool goes first
            for timings, run in pair:
                timings.runs.append(run(path))
                _note(f"{path.name} {timings.tool} run {i + 1}: {timings.runs[-1].seconds:.2f} s")
        results += [ours] + ([] if skip_frictionless else [theirs])
    return results


HEADER = ["what", "rows", "tool", "runs", "median s", "range s", "peak MB", "valid", "rows read"]
HEADER += ["× Frictionless (median of pairs)"]


def table(results: list[Timings]) -> list[str]:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    by_file = {(t.label, t.tool): t for t in results}
    for t in results:
        seconds = [r.seconds for r in t.runs]
        ratio = ""
        theirs = by_file.get((t.label, "frictionless"))
        if t.tool == "lsids" and theirs:
            pairs = [f.seconds / o.seconds for o, f in zip(t.runs, theirs.runs, strict=True)]
            ratio = _ratio(statistics.median(pairs))
        valid = {r.valid for r in t.runs}
        read = {r.rows for r in t.runs}
        cols = [
            t.label,
            f"{t.rows:,}" if t.rows else "–",
            t.tool,
            str(len(t.runs)),
            f"{t.median:.2f}",
            f"{min(seconds):.2f}–{max(seconds):.2f}",
            f"{max(r.peak_mb for r in t.runs):.0f}",
            "–" if valid == {None} else "/".join(str(v).lower() for v in sorted(valid)),
            "–" if read == {None} else "/".join(f"{n:,}" for n in sorted(read)),
            ratio,
        ]
        lines.append("| " + " | ".join(cols) + " |")
    return lines


def raw(results: list[Timings]) -> list[dict]:
    """Every run's figures, for ``bench/results/``."""
    return [
        {"what": t.label, "rows": t.rows, "tool": t.tool, "runs": [vars(r) for r in t.runs]}
        for t in results
    ]


def _ratio(value: float) -> str:
    return f"{value:.1f}×" if value < 10 else f"{value:.0f}×"


def _note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
