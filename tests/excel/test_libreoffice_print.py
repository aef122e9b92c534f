"""The marked workbook on paper: printed (to PDF) by LibreOffice, every problem's reason is there.

The workbook is the borough's return of ``test_annotate`` with more mistakes, so that its
Problems sheet runs over several pages; LibreOffice (headless) prints it to PDF and ``pdftotext``
reads the pages back, as an officer would read the printout.
"""

from __future__ import annotations

import os
import stat

import pytest
from libreoffice import pdf_pages, soffice_to
from openpyxl import load_workbook

from validator.excel.annotate import PRINT_NOTE, annotate

from .test_annotate import DATA, build_workbook

BAD_MODES = range(20, 100)  # each row a different wrong mode: a finding each, pages of problems


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    source = build_workbook(folder / "return.xlsx")
    wb = load_workbook(source)
    mode = [c.value for c in wb[DATA][1]].index("mode") + 1
    for row in BAD_MODES:
        wb[DATA].cell(row, mode, f"by carrier pigeon {row}")
    wb.save(source)
    output = folder / "marked.xlsx"
    report = annotate(source, output, metadata={"weight_total": 1000})
    return output, report


@pytest.fixture(scope="module")
def printed(marked):
    output, _ = marked
    return pdf_pages(soffice_to(output, "pdf"))


def test_the_problems_sheet_is_set_up_to_print(marked):
    output, report = marked
    problems = load_workbook(output)["Problems"]
    assert problems.print_title_rows == "$1:$1"  # the heading row on every page
    assert problems.page_setup.fitToWidth == 1 and problems.page_setup.fitToHeight == 0
    assert problems.sheet_properties.pageSetUpPr.fitToPage
    assert problems.page_setup.orientation == "landscape"
    cells = [c for row in problems.iter_rows() for c in row if c.value is not None]
    assert len(cells) > len(report.findings) and all(c.alignment.wrap_text for c in cells)
    assert PRINT_NOTE in problems.oddFooter.left.text
    assert load_workbook(output)[DATA].page_setup.cellComments == "atEnd"  # Excel prints them


def test_every_problem_reason_is_on_the_printed_pages(marked, printed):
    _, report = marked
    pages = printed
    text = " ".join(pages)
    assert len(report.findings) > 80
    for finding in report.findings:
        assert _words(finding.message) in text, finding.code
        if finding.hint:
            assert _words(finding.hint) in text, finding.code
    for ref in ("Go to B3", "Go to H4", "Go to E5", "Go to L2", "Go to E1"):
        assert ref in text  # the cell each reason belongs to


def test_every_printed_page_of_problems_has_the_heading_row_and_every_column(printed):
    pages = printed
    problem_pages = [page for page in pages if "carrier pigeon" in page]
    assert len(problem_pages) >= 2  # long enough to need its heading row again
    for page in problem_pages:
        assert page.count("Severity Code Row Column") == 1
        assert "Go to" in page and "Hint" in page and "Times found" in page  # one page wide
        assert _words(PRINT_NOTE) in page


def test_a_mixed_boroughs_problem_is_marked_on_the_odd_row_out(tmp_path):
    source = build_workbook(tmp_path / "return.xlsx")
    wb = load_workbook(source)
    wb[DATA]["B3"] = "E09000030"  # 'Tower Hamlets' in the original: make it a code
    wb[DATA]["B40"] = "E09000003"  # Barnet, in a Tower Hamlets return
    wb.save(source)
    report = annotate(source, tmp_path / "marked.xlsx")
    mixed = next(f for f in report.findings if f.code == "mixed-boroughs")
    assert mixed.rows == [40] and mixed.column == "B"
    marked = load_workbook(tmp_path / "marked.xlsx")[DATA]
    assert "The file has rows for 2 boroughs" in marked["B40"].comment.text
    assert marked["B1"].comment is None  # not the heading
    assert marked["B2"].comment is None  # nor the rows of the file's own borough


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_the_marked_workbook_is_written_with_ordinary_permissions(tmp_path, umask, mode):
    source = build_workbook(tmp_path / "return.xlsx")
    before = os.umask(umask)
    try:
        annotate(source, tmp_path / "marked.xlsx")
        (tmp_path / "plain.txt").write_text("as any file")
    finally:
        os.umask(before)
    written = stat.S_IMODE((tmp_path / "marked.xlsx").stat().st_mode)
    assert written == mode == stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
