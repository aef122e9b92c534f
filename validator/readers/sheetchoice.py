"""Which sheet of a workbook is the return: the one named, else the one the standard would name.

Kept apart from the workbook reader, and loading nothing heavy, so ``early_open`` can choose the
sheet in its second process or thread before the checks (and pyarrow) are loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

from ..catalogue.inputs import InputError

if TYPE_CHECKING:
    from ..standard import Standard


class Listed(Protocol):
    """A sheet as a workbook lists it (``calamine_reader.SheetEntry``)."""

    name: str
    state: str


S = TypeVar("S", bound=Listed)


def choose_sheet(sheets: list[S], wanted: str | None, standard: Standard) -> S:
    """The named sheet (exact, else ignoring case and spaces); else a visible sheet named after a
    submission type (as the standard's templates name their data sheet); else the first visible
    one. Raises ``InputError`` when the named sheet is missing or every sheet is hidden."""
    if wanted is not None:
        for match in (lambda n: n == wanted, lambda n: n.strip().lower() == wanted.strip().lower()):
            found = [s for s in sheets if match(s.name)]
            if found:
                return found[0]
        raise InputError("no-such-sheet", sheet=wanted, sheets=sheet_names(sheets) or "none")
    visible = [s for s in sheets if s.state == "visible"]
    if not visible:
        raise InputError("every-sheet-hidden", sheets=sheet_names(sheets) or "none")
    kinds = {_normal(name) for name in standard.submission_types}
    return next((s for s in visible if _normal(s.name) in kinds), visible[0])


def sheet_names(sheets: list[Listed]) -> str:
    """The sheets as an error lists them: ``'Data', 'Old' (hidden)``."""
    return ", ".join(f"'{s.name}'" + ("" if s.state == "visible" else " (hidden)") for s in sheets)


def _normal(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(" ", "-")
