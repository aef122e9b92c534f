"""Frictionless's cell reader for the fields this standard uses, without loading Frictionless.

The schema layer sends every cell its fast path cannot accept to a cell reader that must answer
exactly as stock Frictionless (frictionless-py 5.21) does: ``Field.create_cell_reader`` with the
value readers of the ``string``, ``integer``, ``number`` and ``date`` fields. Loading Frictionless
to read them costs about half a second, more than checking a 5,000-row return, so for a field
of those kinds written with the default options the same reader is built here, step by step as
Frictionless builds it:

- a cell among the missing values is None; a None cell fails only ``required``;
- the cell's value: ``string`` as it is; ``integer`` ``int(cell.strip())``; ``number``
  ``Decimal(cell.strip())``; ``date`` ``datetime.strptime(cell, "%Y-%m-%d").date()``; a cell
  that cannot be read is a ``type`` note, and then no constraint is looked at;
- the constraints the type supports, in Frictionless's order, each read by the same value
  reader (bounds and ``enum``) or compiled as ``^pattern$`` with Python's ``re``; each that fails
  adds a note named after it.

Any other field (another type or format, ``bareNumber``, ``groupChar``, ``decimalChar``,
``floatNumber``, its own ``missingValues``, a bound Frictionless itself cannot read) returns
None from ``native_cell_reader``, and Frictionless reads its cells as before.
``tests/checks/test_cells.py`` compares both readers on thousands of awkward cells, and
``tests/checks/test_schema_agreement.py`` compares whole reports with stock Frictionless.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

CellReader = Callable[[Any], tuple[Any, dict[str, str] | None]]

_SUPPORTED = {  # each type's supported_constraints, in Frictionless's order
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "integer": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "number": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "date": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
}
_READING_OPTIONS = ("bareNumber", "groupChar", "decimalChar", "floatNumber", "missingValues")
_BOUNDS = {
    "minimum": operator.ge,
    "maximum": operator.le,
    "exclusiveMinimum": operator.gt,
    "exclusiveMaximum": operator.lt,
}
_DATE_PATTERN = "%Y-%m-%d"  # frictionless.settings.DEFAULT_DATE_PATTERN


def _read_string(cell: Any) -> Any:
    return cell if isinstance(cell, str) else None


def _read_integer(cell: Any) -> Any:
    if isinstance(cell, str):
        try:
            return int(cell.strip())
        except Exception:
            return None
    if cell is True or cell is False:
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, Decimal) and cell % 1 == 0:
        return int(cell)
    return None


def _read_number(cell: Any) -> Any:
    if isinstance(cell, str):
        try:
            number = Decimal(cell.strip())
        except Exception:
            return None
        # A signalling NaN ('sNaN') would stop any comparison with an error (Frictionless itself
        # stops there); it is read as the quiet NaN it stands for, so it meets the same checks.
        return Decimal(str(number).replace("sNaN", "NaN")) if number.is_snan() else number
    if isinstance(cell, Decimal):
        return cell
    if cell is True or cell is False:
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return Decimal(str(cell))
    return None


def _read_date(cell: Any) -> Any:
    if not isinstance(cell, str):
        return None  # (Frictionless also takes date and datetime objects; cells here are text)
    if "-" not in cell:  # strptime would fail on the pattern's dashes: no need to load it
        return None
    try:
        return datetime.strptime(cell, _DATE_PATTERN).date()
    except Exception:
        return None


_READERS: dict[str, Callable[[Any], Any]] = {
    "string": _read_string,
    "integer": _read_integer,
    "number": _read_number,
    "date": _read_date,
}


def native_cell_reader(field: dict[str, Any], missing_values: list[str]) -> CellReader | None:
    """Frictionless's cell reader for the field descriptor ``field`` (under a schema whose
    ``missingValues`` are ``missing_values``), or None if this module does not build that one."""
    kind = field.get("type", "any")
    if kind not in _READERS or field.get("format", "default") != "default":
        return None
    if any(option in field for option in _READING_OPTIONS):
        return None
    read = _READERS[kind]
    constraints = field.get("constraints") or {}
    checks: list[tuple[str, Callable[[Any], bool]]] = []
    for name in _SUPPORTED[kind]:
        constraint = constraints.get(name)
        if constraint is None:
            continue
        if name in _BOUNDS:
            bound = read(constraint)
            if bound is None or bound != bound:  # Frictionless would fail or compare with NaN
                return None
            checks.append((name, _bound_check(_BOUNDS[name], bound)))
        elif name == "pattern":
            checks.append((name, _pattern_check(re.compile(f"^{constraint}$"))))
        elif name == "enum":
            if not isinstance(constraint, list):
                return None
            checks.append((name, _enum_check([read(value) for value in constraint])))
        elif name == "required":
            checks.append((name, _required_check(constraint)))
        elif name == "minLength":
            checks.append((name, _length_check(operator.ge, constraint)))
        elif name == "maxLength":
            checks.append((name, _length_check(operator.le, constraint)))
    type_note = f'type is "{kind}/default"'
    constraint_notes = {name: f'constraint "{name}" is "{constraints[name]}"' for name, _ in checks}

    def cell_reader(cell: Any) -> tuple[Any, dict[str, str] | None]:
        notes: dict[str, str] | None = None
        if str(cell) in missing_values:
            cell = None
        if cell is not None:
            cell = read(cell)
            if cell is None:
                notes = {"type": type_note}
        if not notes and checks:
            for name, check in checks:
                if not check(cell):
                    notes = notes or {}
                    notes[name] = constraint_notes[name]
        return cell, notes

    return cell_reader


def _required_check(constraint: Any) -> Callable[[Any], bool]:
    return lambda cell: not (constraint and cell is None)


def _length_check(compare: Callable[[Any, Any], bool], limit: Any) -> Callable[[Any], bool]:
    return lambda cell: cell is None or bool(compare(len(cell), limit))


def _bound_check(compare: Callable[[Any, Any], bool], bound: Any) -> Callable[[Any], bool]:
    def check(cell: Any) -> bool:
        if cell is None:
            return True
        if cell != cell:  # NaN: not comparable, so never within a bound
            return False
        return bool(compare(cell, bound))

    return check


def _pattern_check(pattern: re.Pattern[str]) -> Callable[[Any], bool]:
    return lambda cell: cell is None or bool(pattern.match(cell))


def _enum_check(values: list[Any]) -> Callable[[Any], bool]:
    return lambda cell: cell is None or cell in values
