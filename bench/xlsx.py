"""Write a resident-survey return as an XLSX workbook the way Excel saves one.

The content is the standard's own generator (``validator.synthetic.generate_survey``, the same
rows as ``write_survey_csv`` with the same seed), so a workbook and its CSV twin hold the same
return. The package is written part by part, as Excel writes it, because openpyxl 3.1 does not:
it writes every string inline (``t="inlineStr"``) and no shared strings table. Here:

- one sheet, named like the template's data sheet (``resident-survey``), with a ``<dimension>``;
- a shared strings table (``xl/sharedStrings.xml``) holding every text once, cells referring to it;
- a styles part with a ``yyyy-mm-dd`` number format on the date cells (stored as day serials,
  as Excel stores dates) and the text format ``@`` on text cells, as the template formats them;
- weights stored as numbers; codes, ids, the borough and the period as text;
- blank cells not written at all.

Not written (Excel would add them, none changes what is read): a theme, column widths, the
template's version stamp (custom properties), calculation chain, printer settings.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

SHEET = "resident-survey"  # the template's data sheet is named after the submission type
EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system, leap-year bug included
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
# Cell styles (cellXfs): 0 General, 1 the date format, 2 text ("@", numFmtId 49).
STYLE_DATE, STYLE_TEXT = 1, 2

CONTENT_TYPES = (
    DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    DECL + f'<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId3" Type="{RELS}/extended-properties" Target="docProps/app.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
APP = (
    DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity>'
    "<ScaleCrop>false</ScaleCrop><AppVersion>16.0300</AppVersion></Properties>"
)
CORE = (
    DECL + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>LSIDS benchmark</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)
WORKBOOK = (
    DECL + f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
    '<workbookPr defaultThemeVersion="166925"/>'
    '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/>'
    f'</bookViews><sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets>'
    '<calcPr calcId="191029"/></workbook>'
)
WORKBOOK_RELS = (
    DECL + f'<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId3" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
STYLES = (
    DECL + f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/>'
    '<family val="2"/><scheme val="minor"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" '
    'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
)


def write_survey_xlsx(path: Path, borough: str, period: str, rows: int, *, seed: int) -> Path:
    """Write ``rows`` respondents of the generator's return to ``path`` as Excel would save it."""
    from validator.standard import load_standard
    from validator.synthetic import generate_survey

    standard = load_standard()
    fields = standard.submission_types[SHEET].fields
    frame = generate_survey(borough, period, rows, seed=seed, standard=standard)
    strings: dict[str, int] = {}
    references = 0

    def shared(text: str) -> int:
        nonlocal references
        references += 1
        return strings.setdefault(text, len(strings))

    letters = [get_column_letter(i + 1) for i in range(len(fields))]
    kinds = [f.type for f in fields]
    last = f"{letters[-1]}{rows + 1}"
    head = (
        DECL + f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}"><dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
    )
    tail = (
        '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/></worksheet>'
    )
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("docProps/app.xml", APP)
        archive.writestr("docProps/core.xml", CORE)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        spans = f"1:{len(fields)}"
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head.encode())
            cells = "".join(
                f'<c r="{c}1" t="s"><v>{shared(f.name)}</v></c>'
                for c, f in zip(letters, fields, strict=True)
            )
            sheet.write(f'<row r="1" spans="{spans}">{cells}</row>'.encode())
            for number, record in enumerate(frame.itertuples(index=False, name=None), start=2):
                cells = []
                for letter, kind, value in zip(letters, kinds, record, strict=True):
                    if value == "":
                        continue
                    ref = f"{letter}{number}"
                    if kind == "date":
                        serial = (dt.date.fromisoformat(value) - EPOCH).days
                        cells.append(f'<c r="{ref}" s="{STYLE_DATE}"><v>{serial}</v></c>')
                    elif kind in ("number", "integer"):
                        cells.append(f'<c r="{ref}"><v>{_number(value)}</v></c>')
                    else:
                        index = shared(value)
                        cells.append(f'<c r="{ref}" s="{STYLE_TEXT}" t="s"><v>{index}</v></c>')
                sheet.write(f'<row r="{number}" spans="{spans}">{"".join(cells)}</row>'.encode())
            sheet.write(tail.encode())
        table = "".join(_string_item(text) for text in strings)
        archive.writestr(
            "xl/sharedStrings.xml",
            DECL + f'<sst xmlns="{MAIN}" count="{references}" uniqueCount="{len(strings)}">'
            f"{table}</sst>",
        )
    partial.replace(path)
    return path


def _number(text: str) -> str:
    """A number as Excel stores it: the shortest text that reads back the same, no '.0'."""
    stored = repr(float(text))
    return stored[:-2] if stored.endswith(".0") else stored


def _string_item(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<si><t{space}>{escape(text)}</t></si>"
