"""Which codes each column of a submission type accepts, with a label for each, from the standard.

A column takes its codes from its foreign key. A single-column key points at a code list
(``Standard.codelists``). A composite key (``breakdown`` + ``breakdown_value`` into the breakdown
values) gives each of its columns the distinct values of the matching reference column; their
labels come from the resource's own ``label`` column, or from the code list whose codes they are.
The template's dropdowns and the fixer's label matching both read this, so they always agree.

The column that names a measure (role ``measure``) accepts only the measures a borough reports
from its services (``source_type`` service, as the ``measure-not-service`` rule checks): offering
survey or national measures would only invite a finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from ..standard import SERVICE_SOURCE, Standard


@dataclass(frozen=True)
class FieldCodes:
    """The codes one column accepts, in the standard's order, each with a label to show."""

    field: str
    source: str  # the code-list resource the codes come from
    codes: dict[str, str]  # code -> label to show
    plain: dict[str, tuple[str, ...]] = dataclass_field(
        default_factory=dict
    )  # code -> labels as written

    def labels_of(self, code: str) -> tuple[str, ...]:
        """The labels a person might write for ``code`` (more than one for a shared value)."""
        return self.plain.get(code) or ((self.codes[code],) if self.codes.get(code) else ())


def field_codes(standard: Standard, submission_type: str) -> dict[str, FieldCodes]:
    """Every coded column of ``submission_type`` (in schema order) with the codes it accepts."""
    sub = standard.submission_types[submission_type]
    found: dict[str, FieldCodes] = {}
    for fk in sub.foreign_keys:
        if len(fk.fields) == 1 and fk.resource in standard.codelists:
            found[fk.fields[0]] = FieldCodes(
                fk.fields[0], fk.resource, standard.codelists[fk.resource].labels()
            )
        elif len(fk.fields) > 1:
            found.update(_composite(standard, fk.fields, fk.resource, fk.reference_fields))
    measure = sub.role("measure")
    if measure in found:
        found[measure] = _service_measures(standard, found[measure])
    return {name: found[name] for name in sub.field_names if name in found}


def _service_measures(standard: Standard, fc: FieldCodes) -> FieldCodes:
    """Only the measures a borough reports from its services, in the standard's order."""
    keep = {
        code: label
        for code, label in fc.codes.items()
        if code in standard.measures and standard.measures[code].source_type == SERVICE_SOURCE
    }
    plain = {code: labels for code, labels in fc.plain.items() if code in keep}
    return FieldCodes(fc.field, fc.source, keep, plain)


def _composite(
    standard: Standard, fields: tuple[str, ...], resource: str, references: tuple[str, ...]
) -> dict[str, FieldCodes]:
    rows = standard.tables[resource]
    result = {}
    last = len(fields) - 1
    for i, (name, ref) in enumerate(zip(fields, references, strict=True)):
        values = list(dict.fromkeys(row[ref] for row in rows))
        plain: dict[str, tuple[str, ...]] = {}
        if i == last:
            labels = _qualified_labels(standard, rows, ref, references[:last])
            for row in rows:
                if row.get("label") and row["label"] not in plain.get(row[ref], ()):
                    plain[row[ref]] = (*plain.get(row[ref], ()), row["label"])
        else:
            labels = _labels_from_codelist(standard, values)
        codes = {v: labels.get(v, "") for v in values}
        result[name] = FieldCodes(name, resource, codes, plain)
    return result


def _labels_from_codelist(standard: Standard, values: list[str]) -> dict[str, str]:
    """Labels for the leading column of a composite key: the code list that holds all its values."""
    for codelist in standard.codelists.values():
        if set(values) <= set(codelist.codes):
            return codelist.labels()
    return {}


def _qualified_labels(
    standard: Standard, rows: list[dict[str, str]], ref: str, parents: tuple[str, ...]
) -> dict[str, str]:
    """'Female (Sex)': a value's label with the group it belongs to, as one value can serve many."""
    parent_labels: dict[str, str] = {}
    for parent in parents:
        parent_labels.update(_labels_from_codelist(standard, [row[parent] for row in rows]))
    groups: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        label = row.get("label", "")
        where = [parent_labels.get(row[p]) or row[p] for p in parents]
        groups.setdefault(row[ref], {}).setdefault(label, []).extend(where)
    return {
        code: "; ".join(f"{label} ({', '.join(where)})" for label, where in by_label.items())
        for code, by_label in groups.items()
    }
