"""The ``lsids`` command line: parse options, call the library, render, and set the exit status.

Exit status: 0 done (every file valid), 1 a file is invalid, 2 could not run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .standard import StandardError

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lsids",
        description="Check and prepare returns for the London Social Integration Data Standard.",
    )
    parser.add_argument("--version", action="version", version=f"lsids {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

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
        choices=["resident-survey", "service-data", "both"],
        default="both",
        help="which returns to write (both)",
    )
    gen.add_argument("--seed", type=int, default=0, help="random seed; same seed, same files (0)")
    gen.set_defaults(func=cmd_generate)

    return parser


def cmd_docs(args: argparse.Namespace) -> int:
    from .reference import stale_docs, write_docs

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

    types = ("resident-survey", "service-data") if args.type == "both" else (args.type,)
    paths = write_returns(
        args.output,
        boroughs=args.boroughs,
        periods=args.periods,
        survey_rows=args.rows,
        types=types,
        seed=args.seed,
    )
    print(f"wrote {len(paths)} returns to {args.output}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_ERROR
    try:
        return args.func(args)
    except StandardError as exc:
        print(f"lsids: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("lsids: stopped", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
