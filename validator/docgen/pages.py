"""Renders the standard as Markdown reference pages, so the docs can never drift from the schema.

Every page under ``docs/reference/`` is built here from ``load_standard()``: the package index, one
page per submission type (every field with its codes), the code lists, the measures and the
submission metadata; and from the validator's catalogue, the finding codes and the report format.
``lsids docs`` writes them and ``lsids docs --check`` (and the test suite) fails when they are
stale.
"""

from __future__ import annotations

from pathlib import Path

from ..standard import Standard, load_standard
from .codelists import codelist_link, codelists_page
from .fields import submission_page
from .figures import figures_page
from .findings import findings_page, report_format_page
from .markdown import code, escape, link, table, words
from .measures import measures_page
from .metadata import metadata_page

BANNER = "Generated from standard/ by `lsids docs` — do not edit by hand."
REFERENCE = "reference"


def render_pages(standard: Standard | None = None) -> dict[str, str]:
    """Every generated page: its path relative to docs/ → its Markdown, in a stable order."""
    std = standard or load_standard()
    pages = {f"{REFERENCE}/index.md": _index_page(std)}
    for sub in std.submission_types.values():
        pages[f"{REFERENCE}/{sub.name}.md"] = submission_page(std, sub)
    pages[f"{REFERENCE}/codelists.md"] = codelists_page(std)
    pages[f"{REFERENCE}/measures.md"] = measures_page(std)
    pages[f"{REFERENCE}/submission-metadata.md"] = metadata_page(std)
    pages[f"{REFERENCE}/findings.md"] = findings_page()
    pages[f"{REFERENCE}/report-format.md"] = report_format_page(std)
    pages[f"{REFERENCE}/figures.md"] = figures_page(std)
    return {path: _with_banner(text) for path, text in pages.items()}


def write_docs(docs_dir: Path, standard: Standard | None = None) -> list[Path]:
    """Write every page under docs_dir, touching only files whose content changed; return those."""
    written = []
    for rel, text in render_pages(standard).items():
        path = Path(docs_dir) / rel
        if _read(path) != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written


def stale_docs(docs_dir: Path, standard: Standard | None = None) -> list[Path]:
    """The pages under docs_dir that are missing or differ from what the standard generates."""
    return [
        Path(docs_dir) / rel
        for rel, text in render_pages(standard).items()
        if _read(Path(docs_dir) / rel) != text
    ]


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None


def _with_banner(text: str) -> str:
    title, _, rest = text.partition("\n")
    return f"<!-- {BANNER} -->\n{title}\n\n> {BANNER}\n{rest.rstrip()}\n"


def _index_page(std: Standard) -> str:
    pkg = std.package
    out = [f"# {escape(pkg.get('title', pkg['name']))} — reference", ""]
    out += [escape(pkg.get("description", "")), ""]
    licences = [
        link(escape(lic.get("title", lic.get("name", ""))), lic["path"])
        if lic.get("path")
        else escape(lic.get("title", lic.get("name", "")))
        for lic in pkg.get("licenses", [])
    ]
    contributors = [
        f"{escape(c.get('title', ''))} ({escape(words(c.get('roles', [])))})"
        if c.get("roles")
        else escape(c.get("title", ""))
        for c in pkg.get("contributors", [])
    ]
    facts = [
        ("Name", code(pkg["name"])),
        ("Version", code(std.version)),
        ("Licence", words(licences)),
        ("Contributors", "; ".join(contributors)),
        ("Keywords", escape(", ".join(pkg.get("keywords", [])))),
    ]
    out += [table(["Detail", "Value"], facts), "", "## Pages", ""]
    for sub in std.submission_types.values():
        out.append(f"- {link(escape(sub.title), f'{sub.name}.md')}: every field of a return.")
    out += [
        f"- {link('Code lists', 'codelists.md')}: boroughs, breakdowns and every answer code list.",
        f"- {link('Measures', 'measures.md')}: what each measure is and how it is computed.",
        f"- {link('Submission metadata', 'submission-metadata.md')}: what a borough says "
        "about a return when it submits it.",
        f"- {link('Finding codes', 'findings.md')}: every problem the validator can report, "
        "what it means and how to fix it.",
        f"- {link('Report format', 'report-format.md')}: the JSON report the validator writes, "
        "key by key.",
        f"- {link('The figures table', 'figures.md')}: London-wide figures from accepted "
        "returns, column by column, and the publication rules.",
        "",
        "## Resources",
        "",
        f"Every resource of the Data Package ({code('standard/datapackage.json')}), in order.",
        "",
    ]
    rows = []
    for res in pkg["resources"]:
        role = res.get("role", "")
        target = f"{res['name']}.md" if role == "submission" else codelist_link(res["name"])
        rows.append(
            [
                link(code(res["name"]), target),
                escape(res.get("title", "")),
                escape(role),
                code(res.get("path", "")),
                escape(res.get("description", "")),
            ]
        )
    out.append(table(["Resource", "Title", "Role", "File", "Description"], rows))
    rules = [
        [code(r["name"]), escape(str(r["value"])), escape(r.get("description", ""))]
        for r in pkg.get("validationRules", [])
    ]
    if rules:
        out += [
            "",
            "## Validation settings",
            "",
            "Numbers the validator's own rules use, kept in the standard so they change with it.",
            "",
            table(["Setting", "Value", "Meaning"], rules),
        ]
    return "\n".join(out)
