"""Find, load and cache a published version of the standard as typed objects.

Everything the validator, the templates, the docs and the aggregator know about fields, codes and
measures comes from here, read from ``standard/`` — never from a second copy in code.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .standard_cache import Sources

PACKAGE_FILE = "datapackage.json"
DERIVATIONS = "breakdown-derivations"  # which survey answers give each breakdown value


class StandardError(Exception):
    """The standard itself cannot be found or read (an installation problem, not bad data)."""


@dataclass(frozen=True)
class Code:
    """One entry of a code list: the machine code, its label and any extra columns."""

    code: str
    label: str
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Codelist:
    """A code list resource of the standard (answer codes, boroughs, status, …)."""

    name: str
    title: str
    description: str
    codes: dict[str, Code]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def labels(self) -> dict[str, str]:
        return {c.code: c.label for c in self.codes.values()}


@dataclass(frozen=True)
class AskedWhen:
    """Routing: a question is asked only when another field holds one of these codes."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Field:
    """One column of a submission type, as its Table Schema declares it."""

    name: str
    title: str
    description: str
    type: str
    example: str
    constraints: dict[str, Any]
    codelist: str | None = None
    asked_when: AskedWhen | None = None
    role: str | None = None

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required"))


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class SubmissionType:
    """A kind of return a borough sends: its Table Schema and what it means."""

    name: str
    title: str
    description: str
    schema: dict[str, Any]
    schema_path: Path
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def role(self, role: str) -> str | None:
        """The name of the field that plays ``role`` (the schema's ``role`` property), if any."""
        return next((f.name for f in self.fields if f.role == role), None)

    @property
    def weighted(self) -> bool:
        """Whether its rows carry survey weights (a field plays the role 'weight'): a resident
        survey, whose figures are weighted estimates and whose metadata says what the weights
        add up to. The one test of 'is this a survey return' the validator and portal share."""
        return self.role("weight") is not None


# the measures' source_type values: where a measure's figures come from
SURVEY_SOURCE = "survey"  # the resident survey: computed from a survey question's answers
SERVICE_SOURCE = "service"  # service data: each borough returns its numerator and denominator
NATIONAL_SOURCE = "national"  # a national statistic, not returned by boroughs

# the submission metadata property saying what a survey return's weights add up to (the schema
# requires it of a resident survey); the weights check and London's figures are scaled to it
WEIGHT_TOTAL = "weight_total"


@dataclass(frozen=True)
class Measure:
    """A row of the measures code list: what the measure is and how to compute and publish it."""

    id: str
    title: str
    theme: str
    source_type: str
    unit: str
    multiplier: int | None
    definition: str
    survey_field: str | None
    numerator_codes: tuple[str, ...]
    excluded_codes: tuple[str, ...]
    breakdowns: tuple[str, ...]
    numerator_definition: str
    denominator_definition: str
    min_base: int | None
    low_reliability_base: int | None
    small_count_threshold: int | None
    national_source: str
    strategy_reference: str

    @property
    def has_denominator(self) -> bool:
        """Whether the measure is a rate over a denominator (it has a multiplier), not a count."""
        return self.multiplier is not None


@dataclass(frozen=True)
class Breakdown:
    code: str
    label: str
    description: str
    parts_sum_to_total: bool
    values: dict[str, str]


@dataclass(frozen=True)
class AnswerTest:
    """One row of a condition: the answer to ``field`` (read through the code-list column
    ``via``, when one is named) is one of ``codes``."""

    field: str
    via: str | None
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ValueRule:
    """One condition for a breakdown value: every test must hold."""

    value: str
    tests: tuple[AnswerTest, ...]


@dataclass(frozen=True)
class SurveyBreakdown:
    """How a survey respondent's answers give their part of a breakdown (the
    breakdown-derivations table): the first rule that holds names it, else ``otherwise``."""

    code: str
    rules: tuple[ValueRule, ...]
    otherwise: str


@dataclass(frozen=True)
class Standard:
    """One published version of the standard, loaded from its Data Package."""

    version: str
    path: Path
    package: dict[str, Any]
    codelists: dict[str, Codelist]
    submission_types: dict[str, SubmissionType]
    measures: dict[str, Measure]
    breakdowns: dict[str, Breakdown]
    metadata_schema: dict[str, Any]
    rules: dict[str, float] = field(default_factory=dict)
    tables: dict[str, tuple[dict[str, str], ...]] = field(default_factory=dict)
    # breakdowns survey measures are given by beyond the total, in order (none before 1.1.0)
    survey_breakdowns: dict[str, SurveyBreakdown] = field(default_factory=dict)

    def key_values(self, resource: str, fields: tuple[str, ...], sep: str) -> frozenset[str]:
        """Every value of ``fields`` in a code-list resource (joined by ``sep``): what a foreign
        key into it allows."""
        return frozenset(sep.join(row[f] for f in fields) for row in self.tables[resource])

    @property
    def package_path(self) -> Path:
        return self.path / PACKAGE_FILE

    @property
    def boroughs(self) -> Codelist:
        return self.codelists["boroughs"]

    @property
    def total_breakdowns(self) -> frozenset[str]:
        """The breakdowns that are the whole (one value, its own code: total/total), not a part."""
        return frozenset(b.code for b in self.breakdowns.values() if list(b.values) == [b.code])

    @property
    def total_breakdown(self) -> str:
        """The breakdown code a return's whole-population row carries."""
        if not self.total_breakdowns:
            raise StandardError("The standard has no total breakdown (one value, its own code).")
        return min(self.total_breakdowns)

    @property
    def metadata_properties(self) -> tuple[str, ...]:
        """The submission metadata's properties, in the schema's order."""
        return tuple(self.metadata_schema.get("properties", {}))

    def metadata_type(self, name: str) -> str:
        """The JSON type the metadata schema gives a property ('number', 'string', …)."""
        return str(self.metadata_schema["properties"][name].get("type", ""))

    def metadata_required(self, kind: str | None = None) -> tuple[str, ...]:
        """The metadata properties a return of ``kind`` must give, in the schema's order: those
        every return gives (its ``required``) and those its if/then rules add for the kind (a
        resident survey's ``weight_total`` and its source). Without a kind, only the first."""
        import jsonschema

        needed = set(self.metadata_schema.get("required", []))
        for rule in self.metadata_schema.get("allOf", []) if kind else ():
            when = rule.get("if")
            if when is not None and jsonschema.Draft202012Validator(when).is_valid(
                {"submission_type": kind}
            ):
                needed |= set(rule.get("then", {}).get("required", []))
        return tuple(name for name in self.metadata_properties if name in needed)

    def resource(self, name: str) -> dict[str, Any]:
        for res in self.package["resources"]:
            if res["name"] == name:
                return res
        raise KeyError(name)


def standard_root() -> Path:
    """The folder holding the current standard: inside the installed package, or the checkout's."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_standard", here.parent / "standard"):
        if (candidate / PACKAGE_FILE).is_file():
            return candidate
    raise StandardError(
        "The LSIDS standard files are missing from this installation. Reinstall the lsids package."
    )


def _version_dirs() -> dict[str, Path]:
    root = standard_root()
    dirs = {_read_json(root / PACKAGE_FILE)["version"]: root}
    archive = root / "archive"
    if archive.is_dir():
        for sub in sorted(archive.iterdir()):
            if (sub / PACKAGE_FILE).is_file():
                dirs.setdefault(_read_json(sub / PACKAGE_FILE)["version"], sub)
    return dirs


def available_versions() -> list[str]:
    """Every published version this installation can validate against, oldest first."""
    return sorted(_version_dirs(), key=lambda v: tuple(int(p) for p in v.split(".")))


def current_version() -> str:
    return _read_json(standard_root() / PACKAGE_FILE)["version"]


@lru_cache(maxsize=8)
def load_standard(version: str | None = None) -> Standard:
    """Load (once) the named version of the standard, or the current one when none is named."""
    if not version:  # load_standard() and load_standard(None) share the one load of the version
        return load_standard(current_version())
    dirs = _version_dirs()
    if version not in dirs:
        known = ", ".join(available_versions())
        raise StandardError(
            f"Version {version} of the standard is not known to this validator (it knows {known})."
        )
    return _load(dirs[version])


def _read_json(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise StandardError(f"Cannot read the standard file {path}: {exc}") from exc


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _schema(files: Sources, resource: dict[str, Any]) -> tuple[dict[str, Any], Path]:
    schema = resource["schema"]
    if isinstance(schema, str):
        return files.get(schema, _read_json), files.root / schema
    return schema, files.root / PACKAGE_FILE


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(";") if v)


def _int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


def _load(root: Path) -> Standard:
    files = Sources(root)  # the parsed files, from one cache file when it is current
    standard = _build(files)
    files.save()
    return standard


def _build(files: Sources) -> Standard:
    root = files.root
    package = files.get(PACKAGE_FILE, _read_json)
    codelists: dict[str, Codelist] = {}
    submission_types: dict[str, SubmissionType] = {}
    tables: dict[str, tuple[dict[str, str], ...]] = {}
    for res in package["resources"]:
        if res.get("role") == "codelist":
            rows = tables[res["name"]] = tuple(files.get(res["path"], _read_csv))
            schema, _ = _schema(files, res)
            if len(schema["primaryKey"]) != 1:
                continue  # breakdown values are keyed by (breakdown, code): see Standard.breakdowns
            key = schema["primaryKey"][0]
            codes = {}
            for row in rows:
                extra = {k: v for k, v in row.items() if k not in (key, "label", "description")}
                label = row.get("label") or row.get("title") or row.get("name") or ""
                codes[row[key]] = Code(row[key], label, row.get("description", ""), extra)
            codelists[res["name"]] = Codelist(
                res["name"], res.get("title", ""), res.get("description", ""), codes
            )
        elif res.get("role") == "submission":
            schema, schema_path = _schema(files, res)
            submission_types[res["name"]] = _submission_type(res, schema, schema_path)
    measures = {
        row["id"]: Measure(
            id=row["id"],
            title=row["title"],
            theme=row["theme"],
            source_type=row["source_type"],
            unit=row["unit"],
            multiplier=_int(row["multiplier"]),
            definition=row["definition"],
            survey_field=row["survey_field"] or None,
            numerator_codes=_split(row["numerator_codes"]),
            excluded_codes=_split(row["excluded_codes"]),
            breakdowns=_split(row["breakdowns"]),
            numerator_definition=row["numerator_definition"],
            denominator_definition=row["denominator_definition"],
            min_base=_int(row["min_base"]),
            low_reliability_base=_int(row["low_reliability_base"]),
            small_count_threshold=_int(row["small_count_threshold"]),
            national_source=row["national_source"],
            strategy_reference=row["strategy_reference"],
        )
        for row in tables["measures"]
    }
    values: dict[str, dict[str, str]] = {}
    for row in tables["breakdown-values"]:
        values.setdefault(row["breakdown"], {})[row["code"]] = row["label"]
    breakdowns = {
        row["code"]: Breakdown(
            row["code"],
            row["label"],
            row["description"],
            row["parts_sum_to_total"] == "true",
            values.get(row["code"], {}),
        )
        for row in tables["breakdowns"]
    }
    metadata_schema = files.get(package["submissionMetadataSchema"], _read_json)
    return Standard(
        version=package["version"],
        path=root,
        package=package,
        codelists=codelists,
        submission_types=submission_types,
        measures=measures,
        breakdowns=breakdowns,
        metadata_schema=metadata_schema,
        rules={r["name"]: r["value"] for r in package.get("validationRules", [])},
        tables=tables,
        survey_breakdowns=_survey_breakdowns(tables.get(DERIVATIONS, ())),
    )


def _survey_breakdowns(rows: tuple[dict[str, str], ...]) -> dict[str, SurveyBreakdown]:
    """The breakdown-derivations rows as one SurveyBreakdown per breakdown, in table order."""
    conditions: dict[str, dict[tuple[str, str], list[AnswerTest]]] = {}
    otherwise: dict[str, str] = {}
    for row in rows:
        rules = conditions.setdefault(row["breakdown"], {})
        if not row["condition"]:
            otherwise[row["breakdown"]] = row["value"]
            continue
        test = AnswerTest(row["field"], row["via"] or None, _split(row["codes"]))
        rules.setdefault((row["value"], row["condition"]), []).append(test)
    return {
        code: SurveyBreakdown(
            code,
            tuple(ValueRule(value, tuple(tests)) for (value, _), tests in rules.items()),
            otherwise.get(code, ""),
        )
        for code, rules in conditions.items()
    }


def _submission_type(
    res: dict[str, Any], schema: dict[str, Any], schema_path: Path
) -> SubmissionType:
    fks = tuple(
        ForeignKey(
            tuple(fk["fields"]), fk["reference"]["resource"], tuple(fk["reference"]["fields"])
        )
        for fk in schema.get("foreignKeys", [])
    )
    single = {fk.fields[0]: fk.resource for fk in fks if len(fk.fields) == 1}
    fields = []
    for f in schema["fields"]:
        asked = f.get("askedWhen")
        fields.append(
            Field(
                name=f["name"],
                title=f.get("title", f["name"]),
                description=f.get("description", ""),
                type=f.get("type", "string"),
                example=str(f.get("example", "")),
                constraints=dict(f.get("constraints", {})),
                codelist=single.get(f["name"]),
                asked_when=AskedWhen(asked["field"], tuple(asked["values"])) if asked else None,
                role=f.get("role"),
            )
        )
    return SubmissionType(
        name=res["name"],
        title=res.get("title", res["name"]),
        description=res.get("description", ""),
        schema=schema,
        schema_path=schema_path,
        fields=tuple(fields),
        primary_key=tuple(schema.get("primaryKey", [])),
        foreign_keys=fks,
    )
