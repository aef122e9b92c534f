"""A submission's metadata: what a return says about itself beyond its rows.

The standard's submission metadata (``standard/submission-metadata.schema.json``) names the
borough, kind of return, period, version of the standard and a contact, and for a resident
survey what its weights add up to (the borough's adult population, ``weight_total``) and where
that total comes from. The portal builds it from the upload (borough, kind, round) and the
signed-in officer (contact), adds what the officer typed, and asks the validator whether it is
complete and valid (``validator.check_metadata``): this module only gathers, never judges.
The metadata is stored with the submission; London's figures rescale each borough's weights to
its ``weight_total`` (``figures_store``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# What the officer types, in the order the forms and the API take them.
SURVEY_FIELDS = (
    "weight_total",
    "weight_total_source",
    "survey_name",
    "fieldwork_start",
    "fieldwork_end",
)
TYPED_FIELDS = (*SURVEY_FIELDS, "notes")
# What a new survey return takes from the borough's last accepted one, as a starting point.
CARRIED_OVER = ("weight_total", "weight_total_source", "survey_name")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class Problem:
    """What the validator said is wrong with the metadata, and the property it is about."""

    property: str
    message: str


def is_survey(kind: str) -> bool:
    """Whether a kind of return carries survey weights (and so needs a weight total)."""
    from validator import load_standard

    sub = load_standard().submission_types.get(kind)
    return sub is not None and sub.weighted


def build(
    round_: Mapping[str, Any], kind: str, user: Mapping[str, Any], typed: Mapping[str, Any]
) -> dict[str, Any]:
    """The metadata object for an upload: the upload's own facts, the officer as the contact
    (the account's email address, which is all an account holds), and what the officer typed.
    Blank answers are left out, so the validator can say what is missing."""
    metadata: dict[str, Any] = {
        "borough": user["borough"],
        "submission_type": kind,
        "period": round_["period"],
        "standard_version": round_["standard_version"],
        "contact": {"name": user["email"], "email": user["email"]},
    }
    for name in TYPED_FIELDS if is_survey(kind) else ("notes",):
        value = str(typed.get(name) or "").strip()
        if value:
            metadata[name] = _number(value) if name == "weight_total" else value
    return metadata


def _number(text: str) -> Any:
    """A typed total as a number when it is one ('265,000' and '265 000' are 265000); otherwise
    the text as typed, for the validator to say it is not a number."""
    plain = re.sub(r"[,\s]", "", text)
    if not _NUMBER.fullmatch(plain):
        return text
    number = float(plain)
    return int(number) if number.is_integer() else number


def problem(metadata: dict[str, Any]) -> Problem | None:
    """The validator's verdict on a submission's metadata, which must be complete."""
    from validator import InputError, check_metadata

    try:
        check_metadata(metadata, standard_version=metadata.get("standard_version"), complete=True)
    except InputError as exc:
        return Problem(exc.metadata_property, exc.message)
    return None


def form_field(prop: str) -> str:
    """The form field (and API field) a metadata property is typed in, or '' for one the
    portal fills itself (borough, period, contact)."""
    return prop if prop in TYPED_FIELDS else ""


def stored(submission: Mapping[str, Any]) -> dict[str, Any] | None:
    """A submission's metadata as stored, or None for one sent before metadata was kept."""
    text = submission.get("metadata")
    return json.loads(text) if text else None


def carried_over(conn: sqlite3.Connection, borough: str) -> tuple[int, dict[str, Any]] | None:
    """The borough's newest accepted survey return with metadata (accepted then, perhaps
    superseded since): its id and the answers a new survey return starts from."""
    found = conn.execute(
        "SELECT id, metadata FROM submissions WHERE borough = ? AND metadata IS NOT NULL"
        " AND status IN ('accepted', 'superseded')"
        " AND json_extract(metadata, '$.weight_total') IS NOT NULL ORDER BY id DESC LIMIT 1",
        (borough,),
    ).fetchone()
    if found is None:
        return None
    said = json.loads(found[1])
    return found[0], {name: said[name] for name in CARRIED_OVER if name in said}


def weight_total(submission: Mapping[str, Any]) -> float | None:
    """What a stored survey submission says its weights add up to (None: not said)."""
    said = (stored(submission) or {}).get("weight_total")
    return float(said) if isinstance(said, int | float) and said > 0 else None
