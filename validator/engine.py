"""Run the checks on one return and give the verdict: the one core the CLI, the Python API and
the portal all call.

Layers run in order. Structure first: if the columns are wrong, the report says so alone and no
cell is checked. Then, chunk by chunk in bounded memory, the Table Schema, the standard's own
rules, privacy and disclosure. Findings come back grouped and in a stable order.

Speed: the reader parses on one background thread; a second works out the column views the
checks share (``prepare``: code lookups, blank masks, pattern screens) for the next chunk while
this thread runs the checks, which alone keep state and add findings. A key that matched an
earlier chunk's only by its hash is confirmed by reading the return once more (rare).
See ``bench/README.md`` for the figures.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .addresses import column_letter
from .arrow import from_numpy, pc, scalar, to_numpy
from .catalogue.inputs import InputError
from .checks.disclosure import DisclosureCheck
from .checks.privacy import PrivacyCheck
from .checks.rules import RulesCheck
from .checks.schema import SchemaCheck
from .checks.structure import match_header
from .periods import financial_year
from .readers.headers import check_not_readme, infer_type
from .readers.readahead import read_ahead
from .readers.source import read_table, require_binary, rewindable
from .readers.table import Chunk, Table
from .report.collector import Collector
from .report.model import Report
from .standard import Standard, StandardError, available_versions, load_standard

Progress = Callable[[int], None]


def validate(
    source: Any,
    *,
    type: str | None = None,
    borough: str | None = None,
    period: str | None = None,
    standard_version: str | None = None,
    sheet: str | None = None,
    metadata: dict[str, Any] | None = None,
    progress: Progress | None = None,
    all_rows: bool = False,
) -> Report:
    """Check a return against the standard and return the ``Report``.

    ``source`` is a path, a binary file object or a pandas DataFrame. ``type`` is inferred from
    the columns when not given (the report says so). ``borough`` and ``period`` are what the
    return is submitted as; ``metadata`` is the submission metadata (``weight_total`` is used).
    ``progress`` is called with the number of rows read so far. A repeated finding lists its
    first 100 rows, or with ``all_rows`` every one (as the annotated workbook needs).
    Bad data comes back as findings; only an unusable call or an unreadable input raises
    ``InputError``.
    """
    if metadata is not None and not isinstance(metadata, dict):
        raise InputError("metadata-not-an-object")
    meta = metadata or {}
    standard_version = _agree("standard_version", standard_version, meta)
    standard = _standard(standard_version)
    _check_metadata(standard, meta)
    type = _agree("submission_type", type, meta)
    borough = _agree("borough", borough, meta)
    period = _agree("period", period, meta)
    _check_options(standard, type, borough, period)
    copy = None
    if hasattr(source, "read"):  # a key repeated across chunks may need a second read
        require_binary(source)
        copy = rewindable(source)
        source, copy = copy, (copy if copy is not source else None)
    try:
        stamp = _template_stamp(source)
        table = read_table(source, sheet=sheet, standard=standard)
        try:
            return _run(
                standard, table, type, borough, period, metadata, progress, source, all_rows,
                stamp,
            )  # fmt: skip
        finally:
            close = getattr(table.chunks, "close", None)
            if close:
                close()
    finally:
        if copy is not None:
            copy.close()


def _template_stamp(source: Any) -> tuple[str, str] | None:
    """The (type, version) stamp of a workbook made from the standard's template, if it is one."""
    if not (isinstance(source, str | os.PathLike) or hasattr(source, "read")):
        return None  # a DataFrame
    if not _starts_like_zip(source):
        return None  # a CSV, an .xls: no stamp, and no zip or XML library loaded to look for one
    from .readers.stamp import template_version

    return template_version(source)


_ZIP_MAGIC = b"PK\x03\x04"  # the first bytes of every .xlsx and .ods (``readers.archive``)


def _starts_like_zip(source: Any) -> bool:
    """Whether a path's or a binary file object's first bytes are a zip's (the object's position
    is left where it was). A path ``early_open`` has open already is not opened again."""
    from .readers.early_open import opened_zip

    if hasattr(source, "read"):
        start = source.tell()
        try:
            return source.read(4) == _ZIP_MAGIC
        finally:
            source.seek(start)
    if opened_zip(source):  # the command line's early open has it open already
        return True
    try:
        with open(source, "rb") as fh:
            return fh.read(4) == _ZIP_MAGIC
    except OSError:
        return False  # read_table says why


def _standard(version: str | None) -> Standard:
    try:
        return load_standard(version)
    except StandardError as exc:
        raise InputError("unknown-standard-version", reason=str(exc)) from exc


_OPTION_NAMES = {
    "standard_version": "version of the standard",
    "submission_type": "kind of return",
    "borough": "borough",
    "period": "period",
}


def _agree(name: str, option: str | None, metadata: dict[str, Any]) -> str | None:
    """The option, or the metadata's value when the option is not given; both must agree."""
    said = metadata.get(name)
    if option is None or said is None:
        return option if option is not None else said
    if option != said:
        raise InputError(
            "option-disagrees-with-metadata",
            option_name=_OPTION_NAMES[name],
            option=option,
            said=said,
            property=name,
        )
    return option


def check_metadata(
    metadata: dict[str, Any], *, standard_version: str | None = None, complete: bool = False
) -> None:
    """Raise ``InputError`` if the submission metadata is not valid for the standard's schema.

    ``validate`` runs the same check on the properties given. With ``complete``, a property the
    schema requires (the contact; for a resident survey, ``weight_total`` and its source) must
    be there too: the portal asks this of a submission. The error's ``metadata_property``
    names the property at fault ('weight_total', 'contact.email'), for a form to point at.
    """
    if not isinstance(metadata, dict):
        raise InputError("metadata-not-an-object")
    _check_metadata(_standard(standard_version), metadata, complete=complete)


def _check_metadata(standard: Standard, metadata: dict[str, Any], complete: bool = False) -> None:
    """Each property the metadata gives must be valid for the standard's metadata schema.

    Properties the schema requires may be missing unless ``complete``: a return can be checked
    before the submission is complete (the portal asks for the contact when it is submitted).
    """
    if not metadata and not complete:
        return
    import jsonschema

    checker = jsonschema.Draft202012Validator(
        standard.metadata_schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [e for e in checker.iter_errors(metadata) if complete or e.validator != "required"]
    error = min(errors, key=lambda e: [str(p) for p in e.path], default=None)
    if error is None:
        return
    where = ".".join(str(p) for p in error.path)
    if error.validator == "required":
        subject = f"the property '{where}'" if where else "it"
        first = next(n for n in error.validator_value if n not in error.instance)
        missing = _missing(error, subject, standard.metadata_schema)
        raise missing.in_metadata(f"{where}.{first}" if where else first)
    raise _metadata_problem(error, where).in_metadata(where)


_TYPE_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "object": "a group of properties in braces, { }",
    "array": "a list in brackets, [ ]",
    "boolean": "true or false",
    "null": "null",
}
_FORMAT_WORDS = {"email": "an email address", "date": "a date written like 2025-04-01"}


def _metadata_problem(error: Any, where: str) -> InputError:
    """What is wrong with the metadata property at ``where`` ('contact.email'), in the
    catalogue's words: jsonschema's own messages are written for programmers."""
    rule, expected, schema = error.validator, error.validator_value, error.schema
    subject = f"the property '{where}'" if where else "it"
    given = _shown(error.instance)
    if rule == "additionalProperties":
        known = list(schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(known))
        names = ", ".join(f"'{name}'" for name in unknown)
        properties = ", ".join(known)
        if where:
            return InputError(
                "metadata-unknown-property-inside"
                if len(unknown) == 1
                else "metadata-unknown-properties-inside",
                names=names,
                parent=where,
                known=properties,
            )
        return InputError(
            "metadata-unknown-property" if len(unknown) == 1 else "metadata-unknown-properties",
            names=names,
            known=properties,
        )
    if rule == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        words = " or ".join(_TYPE_WORDS.get(kind, kind) for kind in kinds)
        return InputError("metadata-wrong-type", subject=subject, kinds=words, given=given)
    if rule in ("enum", "const"):
        allowed = ", ".join(str(v) for v in (expected if rule == "enum" else [expected]))
        return InputError(
            "metadata-not-allowed", subject=subject, given=given, allowed_values=allowed
        )
    if rule == "pattern":
        examples = schema.get("examples") or []
        if examples:
            return InputError(
                "metadata-not-like-example", subject=subject, like=examples[0], given=given
            )
        return InputError("metadata-wrong-form", subject=subject, given=given)
    if rule == "format":
        words = _FORMAT_WORDS.get(expected, expected)
        return InputError("metadata-wrong-format", subject=subject, format_words=words, given=given)
    if rule == "exclusiveMinimum":
        return InputError("metadata-not-above", subject=subject, least=expected, given=given)
    if rule == "minimum":
        return InputError("metadata-below-minimum", subject=subject, least=expected, given=given)
    if rule == "minLength":
        if expected == 1:
            return InputError("metadata-empty", subject=subject)
        return InputError("metadata-too-short", subject=subject, characters=expected)
    if rule == "maxLength":
        return InputError("metadata-too-long", subject=subject, characters=f"{expected:,}")
    return InputError("metadata-not-valid", subject=subject, given=given)


def _missing(error: Any, subject: str, root: dict[str, Any]) -> InputError:
    """A required property left out: named with its title from the schema, and, when only a
    kind of return needs it (a resident survey's weight total), which kind."""
    properties = error.schema.get("properties") or root.get("properties", {})
    missing = [n for n in error.validator_value if n not in error.instance]
    titles = {n: properties.get(n, {}).get("title") for n in missing}
    names = " and ".join(f"'{n}' ({t.lower()})" if t else f"'{n}'" for n, t in titles.items())
    if "then" in error.schema_path:  # required by an if/then: only some kinds of return need it
        kind = str(error.instance.get("submission_type"))
        return InputError("metadata-missing-for-type", subject=subject, names=names, type=kind)
    return InputError("metadata-missing-property", subject=subject, names=names)


def _shown(value: Any) -> str:
    """A metadata value as a person would read it in a message, cut short if long."""
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _check_options(standard: Standard, kind: str | None, borough: str | None, period: str | None):
    if kind is not None and kind not in standard.submission_types:
        known = ", ".join(sorted(standard.submission_types))
        raise InputError("unknown-type", value=kind, types=known)
    if borough is not None and borough not in standard.boroughs.codes:
        raise InputError("unknown-borough", value=borough, codes=_code_range(standard))
    if period is not None and financial_year(period) is None:
        raise InputError("unknown-period", value=period)


def _code_range(standard: Standard) -> str:
    """The boroughs' codes as a person would say them: 'E09000001 to E09000033'."""
    codes = sorted(standard.boroughs.codes)
    return f"{codes[0]} to {codes[-1]}" if len(codes) > 1 else codes[0]


def _run(
    standard, table: Table, kind, borough, period, metadata, progress, source,
    all_rows: bool = False, stamp: tuple[str, str] | None = None,
) -> Report:  # fmt: skip
    inferred = kind is None
    check_not_readme(table.header, standard)
    kind = kind or infer_type(table.header, standard, table.header_row)
    sub = standard.submission_types[kind]
    collector = Collector(sheet=table.sheet, all_rows=all_rows)
    _check_stamp(standard, stamp, table, sub, collector)
    if collector.has_errors("structure"):  # a template of another kind: its columns cannot fit
        positions, trailing = {}, []
    else:
        positions, trailing = match_header(
            table.header, sub, collector, header_row=table.header_row
        )
    collector.set_columns(positions)
    rows = 0
    if collector.has_errors("structure"):
        rows = sum(len(chunk) for chunk in table.chunks)
    else:
        checks = [
            SchemaCheck(standard, sub, positions),
            RulesCheck(standard, sub, positions, borough=borough, period=period,
                       metadata=metadata),
            PrivacyCheck(standard, sub, positions),
            DisclosureCheck(standard, sub, positions),
        ]  # fmt: skip
        _, data_rows = _check_chunks(table, checks, trailing, collector, progress)
        ragged = _report_issues(table, collector)
        # the rows that hold data: blank rows are reported and ignored, so they are not counted
        rows = data_rows + (0 if table.ragged_rows_kept else ragged)
        if data_rows + ragged == 0:
            collector.add("no-data-rows")
        elif data_rows:
            schema = checks[0]
            if isinstance(schema, SchemaCheck) and schema.needs_second_read:
                schema.second_read(_read_again(source, table.sheet, standard))
            for check in checks:
                finish = getattr(check, "finish", None)
                if finish:
                    finish(collector)
    for note in table.notes:  # complete only once the chunks are read; worded by the catalogue
        collector.add(note.code, rows=note.rows or None, **note.values)
    findings = collector.findings()
    errors = sum(f.count for f in findings if f.severity == "error")
    warnings = sum(f.count for f in findings if f.severity == "warning")
    from .version import __version__

    return Report(
        valid=errors == 0,
        type=kind,
        type_inferred=inferred,
        standard_version=standard.version,
        validator_version=__version__,
        summary={
            "rows": rows,
            "errors": errors,
            "warnings": warnings,
            "truncated": collector.dropped or any(f.truncated for f in findings),
        },
        findings=findings,
        source=table.name or _source_name(source),
        format=table.format,
        sheet=table.sheet,
    )


def _check_stamp(
    standard: Standard, stamp: tuple[str, str] | None, table: Table, sub: Any,
    collector: Collector,
) -> None:  # fmt: skip
    """Say when a workbook made from the template is checked as another kind or version.

    A template of another kind is one error instead of a missing-column error per field; but
    when its columns were replaced with the right ones, the stamp is stale and says nothing.
    """
    if not stamp:
        return
    template_type, template_version = stamp
    if template_version != standard.version:
        if template_version in available_versions():
            other = (
                f", or check the file against version {template_version} if that is the "
                "version this return follows"
            )
        else:
            other = ""
        collector.add(
            "template-other-version",
            template_version=template_version,
            version=standard.version,
            other_version=other,
        )
    if template_type == sub.name or template_type not in standard.submission_types:
        return
    trial = Collector()
    match_header(table.header, sub, trial, header_row=table.header_row)
    if trial.has_errors("structure"):
        collector.add("template-other-type", template_type=template_type, type=sub.name)


def _check_chunks(
    table: Table, checks: list, trailing: list[int], collector: Collector, progress
) -> tuple[int, int]:
    """Run every check on every chunk; returns the rows read and the data rows among them.

    A background stage drops blank rows and works out the column views the checks share
    (``prepare``) for the next chunk while the checks run on this one: two cores, one pass.
    """
    width = len(table.header)
    preparers = [check.prepare for check in checks if hasattr(check, "prepare")]

    def prepare(chunk: Chunk) -> Chunk:  # on the background thread: no findings, no state
        kept, blank_rows = _without_blank_rows(chunk, width)
        kept.cache[_READ] = (len(chunk), blank_rows)
        if len(kept):
            for prepare_chunk in preparers:
                prepare_chunk(kept)
        return kept

    rows = data_rows = 0
    chunks = read_ahead(table.chunks, prepare)
    try:
        for chunk in chunks:
            read, blank_rows = chunk.cache.pop(_READ)
            rows += read
            if len(blank_rows):
                collector.add("blank-row", rows=blank_rows)
            _trailing_data(chunk, trailing, collector, table.header_row)
            data_rows += len(chunk)
            if len(chunk):
                for check in checks:
                    check.check(chunk, collector)
            if progress:
                progress(rows)
    finally:
        close = getattr(chunks, "close", None)
        if close:
            close()
    return rows, data_rows


_READ = "engine:read"  # cache entry: (rows the reader gave, blank rows dropped)


def _read_again(source: Any, sheet: str | None, standard: Standard) -> Iterator[Chunk]:
    """The return's chunks once more, from the start (blank rows included)."""
    if hasattr(source, "seek"):
        source.seek(0)
    again = read_table(source, sheet=sheet, standard=standard)
    try:
        yield from again.chunks
    finally:
        close = getattr(again.chunks, "close", None)
        if close:
            close()


def _report_issues(table: Table, collector: Collector) -> int:
    """Ragged and blank rows the reader set aside; returns how many rows were ragged."""
    ragged = 0
    for issue in table.issues:
        if issue.kind == "blank":
            collector.add("blank-row", rows=[issue.row])
        else:
            ragged += 1
            collector.add(
                "ragged-row", rows=[issue.row], expected=issue.expected, actual=issue.actual
            )
    return ragged


def _source_name(source: Any) -> str | None:
    if isinstance(source, str | os.PathLike):
        return os.path.basename(os.fspath(source))
    return None


def _without_blank_rows(chunk: Chunk, width: int) -> tuple[Chunk, np.ndarray]:
    """The chunk without its blank rows (every cell empty), and those rows' numbers."""
    blank = np.ones(len(chunk), dtype=bool)
    for i in range(width):
        blank &= to_numpy(pc.equal(chunk.column(i), scalar("")), fill=False)
        if not blank.any():
            return chunk, chunk.rows[:0]
    keep = from_numpy(~blank)
    kept = Chunk(
        rows=chunk.rows[~blank], arrays=[pc.filter(chunk.column(i), keep) for i in range(width)]
    )
    return kept, chunk.rows[blank]


def _trailing_data(
    chunk: Chunk, trailing: list[int], collector: Collector, header_row: int
) -> None:
    for i in trailing:
        filled = ~to_numpy(pc.equal(chunk.column(i), scalar("")), fill=True)
        if filled.any():
            collector.add(
                "blank-header",
                column=i,
                rows=chunk.rows[filled][:1],
                letter=column_letter(i),
                header_row=header_row,
            )
