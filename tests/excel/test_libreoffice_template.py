"""A template re-saved by LibreOffice keeps its drop-downs and input messages over the whole table.

LibreOffice (headless) re-saves each template as .xlsx, and converts it to .ods and back; openpyxl
reads the result. LibreOffice keeps a cell's settings, on saving .xlsx, only to 1,000 rows below
the last cell holding something, so without the template's end-of-table note they stopped at row
1,001. Frozen panes: LibreOffice, opening the template in a view, shows the header row frozen;
a headless save writes no view settings at all (for any workbook), so that is checked on opening.
"""

from __future__ import annotations

import pytest
from libreoffice import open_in_calc_frozen, soffice_to
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from validator import validate
from validator.excel.template import CODES_SHEET, TABLE_ROWS
from validator.standard import load_standard

TYPES = sorted(load_standard().submission_types)
LAST = TABLE_ROWS + 1  # the last row of the table: rows 2 to TABLE_ROWS + 1 hold data


def rules_by_column(path, sheet: str) -> dict[str, tuple]:
    """Each column's data validation: (type, formula, prompt title, prompt, last row covered)."""
    ws = load_workbook(path)[sheet]
    found = {}
    for rule in ws.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            letter = get_column_letter(cells.min_col)
            assert cells.min_col == cells.max_col and cells.min_row == 2, cells.coord
            kind = rule.type or "any"
            found[letter] = (kind, rule.formula1 if kind == "list" else None, rule.promptTitle,
                             rule.prompt, cells.max_row)  # fmt: skip
    return found


@pytest.fixture(scope="module", params=TYPES)
def resaved(request, templates, tmp_path_factory):
    """A template, the same re-saved by LibreOffice as .xlsx, and taken through .ods and back."""
    folder = tmp_path_factory.mktemp(f"lo-{request.param}")
    template = templates[request.param]
    as_xlsx = soffice_to(template, "xlsx", folder / "xlsx")
    through_ods = soffice_to(soffice_to(template, "ods", folder / "ods"), "xlsx", folder / "back")
    return request.param, template, {"xlsx": as_xlsx, "ods and back": through_ods}


def test_every_column_keeps_its_drop_down_and_message_over_the_whole_table(resaved):
    type_, template, copies = resaved
    sheet = type_[:31]
    original = rules_by_column(template, sheet)
    fields = load_standard().submission_types[type_].fields
    assert set(original) == {get_column_letter(i) for i in range(1, len(fields) + 1)}
    assert any(rule[0] == "list" for rule in original.values())
    for how, copy in copies.items():
        after = rules_by_column(copy, sheet)
        assert set(after) == set(original), how
        for letter, (kind, formula, title, prompt, _) in original.items():
            kind2, formula2, title2, prompt2, last = after[letter]
            assert (kind2, title2, prompt2) == (kind, title, prompt), (how, letter)
            if kind == "list":
                assert formula2.replace("$", "") == formula.replace("$", ""), (how, letter)
                assert formula2.startswith(f"'{CODES_SHEET}'!")
            assert last >= LAST, f"{how}: column {letter} stops at row {last:,}"


def test_a_resaved_template_still_reads_as_the_same_empty_return(resaved):
    type_, template, copies = resaved
    before = validate(template)
    for how, copy in copies.items():
        after = validate(copy)
        assert after.type == type_ == before.type, how
        assert after.codes == before.codes == {"no-data-rows"}, how


def test_the_end_of_the_table_is_marked_with_a_note(templates):
    ws = load_workbook(templates[TYPES[0]])[TYPES[0][:31]]
    note = ws.cell(LAST + 1, 1).comment
    assert note is not None and f"{TABLE_ROWS:,} rows" in note.text
    assert ws.cell(LAST + 1, 1).value is None


def test_libreoffice_opens_the_template_with_the_header_row_frozen(templates):
    type_ = TYPES[0]
    assert open_in_calc_frozen(templates[type_], type_[:31])
