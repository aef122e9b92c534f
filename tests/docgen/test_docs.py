"""The reference pages in docs/ are generated from the standard, complete, and fail when stale."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from validator.cli import main
from validator.docgen import BANNER, render_pages, stale_docs, write_docs
from validator.docgen.markdown import escape
from validator.standard import _load, load_standard

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
STANDARD = load_standard()
PAGES = render_pages(STANDARD)


def section(page: str, heading: str, level: int = 3) -> str:
    """The text under a heading up to the next heading of the same or a higher level."""
    hashes = "#" * level
    match = re.search(
        rf"^{hashes} {re.escape(heading)}\n(.*?)(?=^#{{1,{level}}} |\Z)", page, re.S | re.M
    )
    assert match, f"no section '{hashes} {heading}'"
    return match.group(1)


@pytest.fixture
def standard_copy(tmp_path: Path) -> Path:
    """A private copy of the standard folder that a test may edit."""
    return Path(shutil.copytree(STANDARD.path, tmp_path / "standard"))


def test_generated_reference_pages_are_up_to_date():
    stale = stale_docs(DOCS, STANDARD)
    assert not stale, "docs/reference is out of date: run `make docs` (stale: {})".format(
        ", ".join(str(p.relative_to(ROOT)) for p in stale)
    )


def test_lsids_docs_check_passes_on_the_repository_and_fails_on_an_empty_folder(tmp_path, capsys):
    assert main(["docs", "--check", "--output", str(DOCS)]) == 0
    assert main(["docs", "--check", "--output", str(tmp_path)]) == 1
    assert "out of date" in capsys.readouterr().out


def test_every_page_carries_the_generated_file_banner():
    for path, text in PAGES.items():
        assert BANNER in text.splitlines()[0], path
        assert f"> {BANNER}" in text, path


def test_rendering_is_deterministic():
    assert render_pages(STANDARD) == PAGES


@pytest.mark.parametrize("sub", STANDARD.submission_types.values(), ids=lambda s: s.name)
def test_every_field_is_documented_with_title_type_example_and_rules(sub):
    page = PAGES[f"reference/{sub.name}.md"]
    for fld in sub.fields:
        text = section(page, fld.name)
        assert fld.title.split("(")[0].strip() in text
        assert f"`{fld.example}`" in text, f"{fld.name}: example missing"
        assert ("Yes: every row needs a value." in text) == fld.required, fld.name
        if "maxLength" in fld.constraints:
            assert f"At most {fld.constraints['maxLength']} characters." in text
        if "exclusiveMinimum" in fld.constraints:
            assert f"Greater than {fld.constraints['exclusiveMinimum']}." in text


def test_question_wording_is_shown_with_each_survey_field():
    page = PAGES["reference/resident-survey.md"]
    loneliness = section(page, "loneliness")
    assert '"How often do you feel lonely?"' in loneliness


def test_every_code_of_every_coded_survey_field_is_listed_with_its_label():
    survey = STANDARD.submission_types["resident-survey"]
    page = PAGES["reference/resident-survey.md"]
    coded = [f for f in survey.fields if f.codelist]
    assert len(coded) > 10
    for fld in coded:
        codes = STANDARD.codelists[fld.codelist].codes.values()
        # Boroughs are listed once, on the code lists page; the field links there.
        text = (
            PAGES["reference/codelists.md"]
            if fld.codelist == "boroughs"
            else section(page, fld.name)
        )
        for c in codes:
            assert f"| `{c.code}` |" in text, f"{fld.name}: code {c.code} missing"


def test_routed_questions_say_when_they_are_asked():
    page = PAGES["reference/resident-survey.md"]
    text = section(page, "activity_limitation")
    assert "Asked only when [`long_term_condition`]" in text
    assert "is `yes` (Yes)" in text


def test_keys_are_described_in_words():
    page = PAGES["reference/service-data.md"]
    assert "No two rows may have the same combination of these." in page
    assert "`status` must match the `code` column of [Figure status]" in page


def test_every_measure_is_documented_with_its_codes_and_thresholds():
    page = PAGES["reference/measures.md"]
    for measure in STANDARD.measures.values():
        text = section(page, measure.id)
        assert f"**{escape(measure.title)}**" in text
        if measure.min_base:
            assert f"| Minimum base | {measure.min_base} |" in text
        for c in (*measure.numerator_codes, *measure.excluded_codes):
            assert f"`{c}` (" in text, f"{measure.id}: code {c} shown without its label"
        assert f"[`{measure.id}`](#{measure.id})" in page, "missing from the source table"


def test_measures_are_grouped_by_theme():
    page = PAGES["reference/measures.md"]
    themes = list(dict.fromkeys(m.theme for m in STANDARD.measures.values()))
    headings = re.findall(r"^## (.+)$", page, re.M)
    assert headings[-len(themes) :] == [t.capitalize() for t in themes]
    for measure in STANDARD.measures.values():
        assert f"### {measure.id}\n" in section(page, measure.theme.capitalize(), level=2)


def test_code_lists_page_keeps_the_tile_map_notice_and_breakdown_values():
    page = PAGES["reference/codelists.md"]
    assert "Copyright 2019 After the Flood Ltd" in page
    assert "Tower Hamlets" in page and "Tile column" in page
    for breakdown in STANDARD.breakdowns.values():
        for value in breakdown.values:
            assert f"`{value}`: " in section(page, "breakdowns", level=2)


def test_metadata_page_lists_every_property_and_the_survey_weight_rule():
    page = PAGES["reference/submission-metadata.md"]
    for name in STANDARD.metadata_schema["properties"]:
        assert f"| `{name}` |" in page
    assert "`weight_total` and `weight_total_source` are also required" in page


def test_editing_a_field_description_in_the_standard_changes_the_page(standard_copy, tmp_path):
    schema_path = standard_copy / "schemas" / "resident-survey.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"][0]["description"] = "A brand new description for the respondent id."
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")

    edited = render_pages(_load(standard_copy))
    assert edited["reference/resident-survey.md"] != PAGES["reference/resident-survey.md"]
    assert (
        "A brand new description for the respondent id." in edited["reference/resident-survey.md"]
    )
    assert {p for p in PAGES if edited[p] != PAGES[p]} == {"reference/resident-survey.md"}

    docs = tmp_path / "docs"
    write_docs(docs, STANDARD)
    assert stale_docs(docs, _load(standard_copy)) == [docs / "reference/resident-survey.md"]


def test_write_docs_rewrites_only_pages_that_changed(tmp_path):
    written = write_docs(tmp_path, STANDARD)
    assert sorted(written) == sorted(tmp_path / p for p in PAGES)
    assert write_docs(tmp_path, STANDARD) == []
    (tmp_path / "reference/measures.md").write_text("edited by hand\n", encoding="utf-8")
    assert stale_docs(tmp_path, STANDARD) == [tmp_path / "reference/measures.md"]
    assert write_docs(tmp_path, STANDARD) == [tmp_path / "reference/measures.md"]


def test_pipes_newlines_and_markup_in_the_standard_cannot_break_a_table(standard_copy):
    path = standard_copy / "codelists" / "status.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "final,Final,The borough's final figure for the period",
        'final,Final | checked,"The *final* figure\nfor the period"',
    )
    path.write_text(text, encoding="utf-8")
    page = render_pages(_load(standard_copy))["reference/service-data.md"]
    row = next(line for line in page.splitlines() if line.startswith("| `final` |"))
    assert row == r"| `final` | Final \| checked | The \*final\* figure<br>for the period |"


def test_mkdocs_nav_lists_every_page_in_docs():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def flatten(items):
        for item in items:
            for value in item.values():
                yield from flatten(value) if isinstance(value, list) else [value]

    nav = set(flatten(config["nav"]))
    on_disk = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert set(PAGES) <= nav
    assert nav == on_disk
