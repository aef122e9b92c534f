"""Regenerate the "borough's own spellings" files that ``lsids fix`` is tested on.

    python examples/fix/make_fix_examples.py

writes, from the synthetic generator and the standard's own labels:

- ``hackney-own-labels.csv``: a Hackney resident-survey return as a borough's own system exports
  it (Windows-1252, column titles, answer labels, borough names, UK dates, stray spaces). Every
  value can be fixed for certain; the fixed file validates clean.
- ``hackney-own-labels.changes.csv``: the changes ``fix`` must list for it, row by row.
- ``hackney-ambiguous.xlsx``: a short workbook with values the fixer must leave alone (a typing
  slip, a date that does not exist, a two-digit year, an abbreviation of a borough) beside
  values it can fix, and a second sheet and a comment that must survive untouched.

The output is deterministic. Read the diff before you commit regenerated files.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.comments import Comment

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from validator.excel.field_codes import field_codes  # noqa: E402
from validator.excel.fix import changes_to_csv, fix_file  # noqa: E402
from validator.standard import load_standard  # noqa: E402
from validator.synthetic import generate_survey  # noqa: E402

TYPE = "resident-survey"
BOROUGH, PERIOD, ROWS, SEED = "E09000012", "2025-26", 40, 7
BOROUGH_SPELLINGS = [
    "LB Hackney",
    "London Borough of Hackney",
    "Hackney",
    " hackney ",
    "Hackney Council",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip


def _date(iso: str, pick: int) -> str:
    year, month, day = (int(p) for p in iso.split("-"))
    forms = [
        f"{day:02d}/{month:02d}/{year}",
        f"{day}/{month}/{year}",
        f"{day:02d}-{month:02d}-{year}",
        f"{day} {MONTHS[month - 1]} {year}",
        iso,
    ]
    return forms[pick % len(forms)]


def _answer(code: str, label: str, pick: int) -> str:
    forms = [label, label.lower() + " ", code, code.title(), label.replace("'", "’")]
    return forms[pick % len(forms)]


def own_labels_frame():
    standard = load_standard()
    sub = standard.submission_types[TYPE]
    codes = field_codes(standard, TYPE)
    frame = generate_survey(BOROUGH, PERIOD, ROWS, seed=SEED)
    rng = np.random.default_rng(SEED)
    for name in frame.columns:
        picks = rng.integers(0, 1000, len(frame))
        values = frame[name].tolist()
        if name in codes and codes[name].source == standard.boroughs.name:
            values = [BOROUGH_SPELLINGS[p % len(BOROUGH_SPELLINGS)] for p in picks]
        elif name in codes:
            labels = codes[name].codes
            values = [v and _answer(v, labels[v], p) for v, p in zip(values, picks, strict=True)]
        elif sub.field(name).type == "date":
            values = [v and _date(v, p) for v, p in zip(values, picks, strict=True)]
        elif sub.field(name).type == "string":
            values = [v if p % 4 else f" {v} " for v, p in zip(values, picks, strict=True)]
        frame[name] = values
    header = [f.title if i % 3 == 0 else f.name.replace("_", " ").title()
              for i, f in enumerate(sub.fields)]  # fmt: skip
    frame.columns = header
    return frame


def write_own_labels() -> None:
    frame = own_labels_frame()
    path = HERE / "hackney-own-labels.csv"
    with path.open("w", encoding="cp1252", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False))
    result = fix_file(path, HERE / "fixed.tmp.csv", type=TYPE)
    (HERE / "fixed.tmp.csv").unlink()
    changes_to_csv(result.changes, HERE / "hackney-own-labels.changes.csv")


AMBIGUOUS_ROWS = [
    # respondent_id, borough, interview_date, london_good_place, get_on_well
    ("HK-0001", "LB Hackney", "01/04/2025", "Strongly agree", "Tend to agree"),
    ("HK-0002", "RBKC", "04/05/2025", "Strongly agreee", "tend to agree"),
    ("HK-0003", "Hackney", "31/02/2025", "Dont know", "Definitely agree"),
    ("HK-0004", "London Borough of Hackney", "12/03/25", "agree", "Mostly agree"),
]


def write_ambiguous() -> None:
    """A short workbook: fixable values beside ones the fixer must leave alone."""
    standard = load_standard()
    sub = standard.submission_types[TYPE]
    example = {f.name: f.example for f in sub.fields}
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Survey 2025-26"
    sheet.append(sub.field_names)
    for rid, borough, when, good_place, get_on in AMBIGUOUS_ROWS:
        row = dict(example, respondent_id=rid, borough=borough, interview_date=when)
        row.update(london_good_place=good_place, get_on_well=get_on)
        for routed in (f for f in sub.fields if f.asked_when):
            if example[routed.asked_when.field] not in routed.asked_when.values:
                row[routed.name] = None
        sheet.append([row[n] for n in sub.field_names])
    sheet["A1"].comment = Comment("Exported from the borough's survey system", "Hackney")
    sheet.column_dimensions["A"].width = 18
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "Fieldwork by the borough's research team"
    workbook.save(HERE / "hackney-ambiguous.xlsx")


if __name__ == "__main__":
    write_own_labels()
    write_ambiguous()
