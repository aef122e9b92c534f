"""The ``lsids`` command line: parse options, call the library, render, and set the exit status.

Exit status: 0 done (every file valid), 1 a file is invalid, 2 could not run.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import startup
from .catalogue.findings import CATALOGUE
from .catalogue.inputs import InputError
from .standard import WEIGHT_TOTAL, StandardError, load_standard
from .version import __version__

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lsids",
        description="Check and prepare returns for the London Social Integration Data Standard.",
    )
    parser.add_argument("--version", action="version", version=f"lsids {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    val = sub.add_parser(
        "validate",
        help="check returns against the standard",
        description="Check one or more returns against the standard: CSV or tab-separated "
        "text (UTF-8, Windows-1252 or UTF-16), or a workbook from Excel or LibreOffice Calc "
        "(.xlsx, .xlsm, .ods or .xls), each told by its contents. Exit status: 0 every file valid "
        "(warnings allowed), 1 a file is not valid, 2 a file could not be checked.",
    )
    val.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="returns: CSV, XLSX, ODS or XLS"
    )
    val.add_argument(
        "--type", choices=_type_names(), help="kind of return (worked out if not given)"
    )
    val.add_argument("--borough", metavar="CODE", help="GSS code of the submitting borough")
    val.add_argument("--period", metavar="PERIOD", help="financial year submitted, e.g. 2025-26")
    val.add_argument("--sheet", metavar="NAME", help="workbook sheet (first visible sheet)")
    val.add_argument("--standard-version", metavar="VERSION", help="version of the standard")
    val.add_argument(
        "--metadata", type=Path, metavar="JSON", help="submission metadata file (weight_total…)"
    )
    val.add_argument("--format", choices=["text", "json", "html"], default="text")
    val.add_argument("--output", type=Path, metavar="PATH", help="write the report here")
    val.add_argument(
        "--summary", action="store_true", help="text format: one line per file, no details"
    )
    val.add_argument(
        "--annotate",
        type=Path,
        metavar="OUT.xlsx",
        help="also write a copy of the workbook with each problem marked on its cell and a "
        "Problems sheet (one workbook only; an .ods or .xls comes back as .xlsx)",
    )
    val.set_defaults(func=cmd_validate)

    std = sub.add_parser("standard", help="describe the standard: resources, fields, codes")
    std.add_argument("--standard-version", metavar="VERSION", help="version of the standard")
    std.set_defaults(func=cmd_standard)

    exp = sub.add_parser("explain", help="what a finding code means and how to fix it")
    exp.add_argument("code", help="a finding code, such as not-in-codelist")
    exp.set_defaults(func=cmd_explain)

    docs = sub.add_parser(
        "docs", help="write the reference pages generated from the standard into docs/"
    )
    docs.add_argument("--output", type=Path, default=Path("docs"), help="docs folder (docs)")
    docs.add_argument(
        "--check", action="store_true", help="only report pages that are out of date (exit 1)"
    )
    docs.set_defaults(func=cmd_docs)

    gen = sub.add_parser(
        "generate", help="write realistic synthetic returns for testing and demonstrations"
    )
    gen.add_argument("output", type=Path, help="folder to write the returns into")
    gen.add_argument(
        "--rows", type=int, default=400, help="survey respondents per borough and period (400)"
    )
    gen.add_argument(
        "--boroughs", nargs="+", metavar="CODE", help="GSS codes of the boroughs (all 33)"
    )
    gen.add_argument(
        "--periods", nargs="+", metavar="PERIOD", default=["2025-26"], help="periods (2025-26)"
    )
    gen.add_argument(
        "--type",
        choices=[*(_type_names() or []), "both"],
        default="both",
        help="which returns to write (both)",
    )
    gen.add_argument("--seed", type=int, default=0, help="random seed; same seed, same files (0)")
    gen.set_defaults(func=cmd_generate)

    agg = sub.add_parser(
        "aggregate",
        help="London-wide figures from accepted returns (the output table, rules applied)",
        description="Validate each return, refuse any that is not valid (by name), then "
        "compute every measure's figures for each borough and London, with the publication "
        "rules applied: the same numbers as the portal. A survey return's metadata (weight_total) "
        "is read from a JSON file beside it with the same name (return.csv → return.json). "
        "Exit status: 0 done, 1 a return is not valid, 2 could not run.",
    )
    agg.add_argument("files", nargs="+", type=Path, metavar="FILE", help="accepted returns")
    agg.add_argument("--output", type=Path, metavar="PATH", help="write the table here (CSV)")
    agg.add_argument(
        "--for-people",
        action="store_true",
        help="write the GSS shorthand ([c] withheld, [u] low reliability, [x] not available) "
        "in place of blank cells",
    )
    agg.set_defaults(func=cmd_aggregate)

    tpl = sub.add_parser(
        "template",
        help="write a blank Excel template (or CSV) for a kind of return",
        description="Write an Excel template generated from the standard: dropdowns of codes, "
        "notes with the question wording and a Read me sheet. --csv writes a blank CSV instead.",
    )
    tpl.add_argument("type", choices=_type_names(), help="kind of return")
    tpl.add_argument(
        "--output", type=Path, metavar="PATH", help="file to write (TYPE.xlsx or TYPE.csv)"
    )
    tpl.add_argument("--csv", action="store_true", help="write a blank CSV with the header only")
    tpl.set_defaults(func=cmd_template)

    fix = sub.add_parser(
        "fix",
        help="turn a borough's own labels, names and UK dates into the standard's codes",
        description="Write a copy of FILE with answer labels, borough names, UK dates, header "
        "spellings and stray spaces turned into the standard's codes where the meaning is "
        "certain. Every change is listed; anything uncertain is left alone and reported. "
        "Run 'lsids validate' on the fixed file to see what is left.",
    )
    fix.add_argument(
        "file", type=Path, metavar="FILE", help="return: CSV (or UTF-16 text), XLSX, ODS or XLS"
    )
    fix.add_argument(
        "--output",
        type=Path,
        metavar="PATH",
        required=True,
        help="fixed file (the same format; for an ODS or XLS, PATH.xlsx or PATH.csv)",
    )
    fix.add_argument(
        "--type", choices=_type_names(), help="kind of return (worked out if not given)"
    )
    fix.add_argument("--sheet", metavar="NAME", help="workbook sheet (first visible sheet)")
    fix.add_argument(
        "--changes", type=Path, metavar="CSV", help="also write every change to this CSV file"
    )
    fix.add_argument(
        "--left",
        type=Path,
        metavar="CSV",
        help="also write every value left unchanged, with the reason, to this CSV file",
    )
    fix.set_defaults(func=cmd_fix)

    return parser


def _type_names() -> list[str] | None:
    try:
        return sorted(load_standard().submission_types)
    except StandardError:
        return None


def cmd_validate(args: argparse.Namespace) -> int:
    from .readers import early_open

    early_open.start(args.files[0], args.sheet)  # reads a workbook while the checks load
    early_open.wait_for_checks()  # a thread: its checks alone first, then its read beside imports
    try:
        return _validate(args)
    finally:
        early_open.drop_all()


def _validate(args: argparse.Namespace) -> int:
    from .engine import validate
    from .report.render import Outcome, render_html, render_json, render_text, terminal_safe

    startup.loaded()
    metadata = _metadata(args.metadata)
    check = validate
    if args.annotate:
        from functools import partial

        from .excel.annotate import annotate

        if len(args.files) != 1:
            raise InputError("annotate-one-file")
        check = partial(annotate, output=args.annotate)
    outcomes: list[Outcome] = []
    for path in args.files:
        outcome = Outcome(label=str(path))
        try:
            outcome.report = check(
                path,
                type=args.type,
                borough=args.borough,
                period=args.period,
                standard_version=args.standard_version,
                sheet=args.sheet,
                metadata=metadata,
                progress=_progress(path),
            )
        except InputError as exc:
            outcome.error = exc
        finally:
            _clear_progress()
        outcomes.append(outcome)
    if args.format == "json":
        texts = [render_json(o.report) if o.report else _error_json(o) for o in outcomes]
        text = texts[0] if len(texts) == 1 else "[\n" + ",\n".join(texts) + "\n]"
        text += "\n"
    elif args.format == "html":
        text = render_html(outcomes)
    else:
        colour = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        text = "\n".join(render_text(o, colour=colour, summary=args.summary) for o in outcomes)
        if args.summary:
            text = text.replace("\n\n", "\n")
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.format != "text":  # machine output on stdout; say what could not be read on stderr
        for o in outcomes:
            if o.error:
                print(f"lsids: {terminal_safe(o.label)}: {o.error}", file=sys.stderr)
    if args.annotate and outcomes[0].report:
        from .excel.annotate import copied_note, marked_path

        where = sys.stdout if args.format == "text" else sys.stderr
        written = marked_path(args.files[0], args.annotate)
        print(f"Wrote the annotated workbook to {written}.", file=where)
        note = copied_note(args.files[0])
        if note:
            print(note, file=where)
    if any(o.error for o in outcomes):
        return EXIT_ERROR
    return EXIT_OK if all(o.report and o.report.valid for o in outcomes) else EXIT_INVALID


def _error_json(outcome) -> str:
    import json

    error = outcome.error
    return json.dumps(
        {"source": outcome.label, "error": {"code": error.code, "message": error.message,
                                            "hint": error.hint}},
        indent=2,
        ensure_ascii=False,
    )  # fmt: skip


def _metadata(path: Path | None) -> dict | None:
    import json

    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError("metadata-file-unreadable", path=path, error=str(exc)) from exc
    if not isinstance(data, dict):
        raise InputError("metadata-file-not-an-object", path=path)
    return data


_PROGRESS_MIN_ROWS = 100_000


def _progress(path: Path):
    if not sys.stderr.isatty():
        return None

    def show(rows: int) -> None:
        if rows >= _PROGRESS_MIN_ROWS:
            sys.stderr.write(f"\r{path}: {rows:,} rows checked…")
            sys.stderr.flush()

    return show


def _clear_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def cmd_standard(args: argparse.Namespace) -> int:
    standard = load_standard(args.standard_version)
    out = [f"{standard.package.get('title', 'The standard')} {standard.version}", ""]
    for sub in standard.submission_types.values():
        out.append(f"{sub.name}: {sub.title} — {len(sub.fields)} fields")
        for f in sub.fields:
            notes = ["required"] if f.required else []
            if f.codelist:
                notes.append(f"codes: {f.codelist}")
            if f.asked_when:
                notes.append(f"asked when {f.asked_when.field} is {'/'.join(f.asked_when.values)}")
            extra = f" ({'; '.join(notes)})" if notes else ""
            out.append(f"  {f.name:<28} {f.type:<8} {f.title}{extra}")
        out.append("")
    out.append("Code lists:")
    for name, codelist in standard.codelists.items():
        codes = list(codelist.codes)
        shown = ", ".join(codes[:6]) + (", …" if len(codes) > 6 else "")
        out.append(f"  {name:<24} {len(codes):>3} codes: {shown}")
    out.append("")
    out.append("Measures:")
    for m in standard.measures.values():
        out.append(f"  {m.id:<32} {m.source_type:<8} {m.title}")
    print("\n".join(out))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from .catalogue.words import generic_text

    entry = CATALOGUE.get(args.code.strip().lower())
    if entry is None:
        print(f"lsids: '{args.code}' is not a finding code. The codes are:", file=sys.stderr)
        for code in CATALOGUE:
            print(f"  {code}", file=sys.stderr)
        return EXIT_ERROR
    kind = "stops the file being read" if entry.layer == "input" else entry.severity
    print(f"{entry.code}: {entry.title} ({kind})\n")
    print(generic_text(entry.description))
    if entry.hint:
        print(f"\nHow to fix it: {generic_text(entry.hint)}")
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from .docgen.pages import stale_docs, write_docs

    if args.check:
        stale = stale_docs(args.output)
        for path in stale:
            print(f"out of date: {path}")
        return EXIT_INVALID if stale else EXIT_OK
    for path in write_docs(args.output):
        print(f"wrote {path}")
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from .synthetic import write_returns

    if args.rows < 1:
        raise InputError("generate-too-few-rows")
    types = tuple(_type_names() or ()) if args.type == "both" else (args.type,)
    try:
        paths = write_returns(
            args.output,
            boroughs=args.boroughs,
            periods=args.periods,
            survey_rows=args.rows,
            types=types,
            seed=args.seed,
        )
    except ValueError as exc:
        raise InputError("generate-refused", reason=str(exc)) from exc
    print(f"wrote {len(paths)} returns to {args.output}")
    return EXIT_OK


def cmd_aggregate(args: argparse.Namespace) -> int:
    from .engine import validate
    from .figures import SurveyReturn, aggregate, for_people
    from .readers.by_field import return_frame

    standard = load_standard()
    surveys, services, refused = [], [], []
    unstated = 0
    for path in args.files:
        sidecar = path.with_suffix(".json")
        metadata = _metadata(sidecar) if sidecar.is_file() and sidecar != path else None
        report = validate(path, metadata=metadata)
        if not report.valid:
            refused.append(path)
            continue
        frame = return_frame(path, report.type, standard)
        if standard.submission_types[report.type].weighted:
            weight_total = (metadata or {}).get(WEIGHT_TOTAL)
            unstated += weight_total is None
            surveys.append(SurveyReturn(frame, weight_total))
        else:
            services.append(frame)
    for path in refused:
        print(
            f"lsids: {path} is not valid, so no figures were made. "
            f"Run 'lsids validate {path}' to see why.",
            file=sys.stderr,
        )
    if refused:
        return EXIT_INVALID
    if unstated:
        print(
            f"lsids: {unstated} survey return(s) have no metadata file beside them (RETURN.json "
            "with weight_total): their weights are taken as adding up to the borough's adult "
            "population.",
            file=sys.stderr,
        )
    try:
        table = aggregate(surveys, services, standard=standard)
    except ValueError as exc:
        raise InputError("aggregate-refused", reason=str(exc)) from exc
    if args.for_people:
        table = for_people(table, standard)
    text = table.to_csv(index=False, lineterminator="\n")
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {len(table)} figures to {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from .excel.template import write_blank_csv, write_template

    csv = _template_is_csv(args.output, args.csv)
    output = args.output or Path(f"{args.type}{'.csv' if csv else '.xlsx'}")
    write = write_blank_csv if csv else write_template
    print(f"wrote {write(args.type, output)}")
    return EXIT_OK


def _template_is_csv(output: Path | None, csv: bool) -> bool:
    """Whether to write a blank CSV: asked for with --csv, or named so by --output's suffix."""
    if output is None:
        return csv
    suffix = output.suffix.lower()
    if suffix == ".csv" or (suffix == ".xlsx" and not csv):
        return suffix == ".csv"
    raise InputError(
        "template-csv-misnamed" if csv else "template-workbook-misnamed", file_name=output.name
    )


def cmd_fix(args: argparse.Namespace) -> int:
    from .excel.fix import ambiguous_to_csv, changes_to_csv, fix_file

    if args.output.resolve() == args.file.resolve():
        raise InputError("fix-overwrites-original")
    result = fix_file(args.file, args.output, type=args.type, sheet=args.sheet)
    done = [(c.column, f"{c.before!r} → {c.after!r} ({c.reason})", c.row) for c in result.changes]
    for line in _grouped(done):
        print(line)
    left = [(a.column, f"left unchanged: {_sentence(a.reason)}", a.row) for a in result.ambiguous]
    for line in _grouped(left):
        print(line)
    if args.changes:
        changes_to_csv(result.changes, args.changes)
    if args.left:
        ambiguous_to_csv(result.ambiguous, args.left)
    print(f"{result.summary()} Wrote {args.output}.")
    return EXIT_OK


FIX_ROWS_SHOWN = 5  # rows named on a grouped line of 'lsids fix'; the CSV files list them all


def _grouped(items: Sequence[tuple[str, str, int]]) -> list[str]:
    """One line per (column, what happened), in first-seen order, naming the first few rows.

    A return with the same label in 2,000 rows gets one line saying so, not 2,000 lines.
    """
    rows: dict[tuple[str, str], list[int]] = {}
    for column, text, row in items:
        rows.setdefault((column, text), []).append(row)
    lines = []
    for (column, text), found in rows.items():
        if len(found) == 1:
            lines.append(f"row {found[0]}, {column}: {text}")
            continue
        shown = ", ".join(str(r) for r in found[:FIX_ROWS_SHOWN])
        more = f" and {len(found) - FIX_ROWS_SHOWN} more" if len(found) > FIX_ROWS_SHOWN else ""
        lines.append(f"{len(found)} rows ({shown}{more}), {column}: {text}")
    return lines


def _sentence(text: str) -> str:
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_ERROR
    if args.func is cmd_validate:
        startup.begin()
    try:
        return args.func(args)
    except InputError as exc:  # what went wrong, and what to do about it
        print(f"lsids: {exc}", file=sys.stderr)
        if exc.hint:
            print(f"  {exc.hint}", file=sys.stderr)
        return EXIT_ERROR
    except StandardError as exc:
        print(f"lsids: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("lsids: stopped", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"lsids: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # never a traceback to a user
        print(
            f"lsids: something went wrong inside the validator ({type(exc).__name__}: {exc}). "
            "Please report it to the LSIDS team with the file if you can.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    finally:
        startup.loaded()  # (if the command stopped before loading the checks)


if __name__ == "__main__":
    sys.exit(main())
