"""The figures reference page: the aggregator's output table, column by column, and its rules."""

from __future__ import annotations

from ..catalogue.figures import LONDON, OUTPUT_COLUMNS, SHORTHAND, STATUSES
from ..standard import DERIVATIONS, NATIONAL_SOURCE, Standard
from .codelists import codelist_link
from .markdown import code, escape, link, table, words

PAGE = "figures.md"


def _survey_breakdowns_line(std: Standard) -> str:
    """What survey measures are broken down by, from the standard's breakdown-derivations."""
    derived = std.survey_breakdowns.values()
    if not derived:
        return "- Survey measures are given for the total only."
    names = words(
        [f"{escape(std.breakdowns[b.code].label.lower())} ({code(b.code)})" for b in derived]
    )
    otherwise = words(sorted({code(b.otherwise) for b in derived}), "or")
    table_link = link("breakdown-derivations", codelist_link(DERIVATIONS))
    return (
        f"- Survey measures are broken down by {names}. The standard's {table_link} table says "
        "which answers put a respondent in each part; answers it places nowhere, such as "
        f"'prefer not to say', are {otherwise}, so the parts add up to the total."
    )


def figures_page(std: Standard) -> str:
    """Markdown for docs/reference/figures.md."""
    measures = [m for m in std.measures.values() if m.source_type != NATIONAL_SOURCE]
    thresholds = [
        [
            code(m.id),
            escape(m.source_type),
            escape(m.unit),
            escape("" if m.min_base is None else m.min_base),
            escape("" if m.low_reliability_base is None else m.low_reliability_base),
            escape("" if m.small_count_threshold is None else m.small_count_threshold),
        ]
        for m in measures
    ]
    out = [
        "# The figures table",
        "",
        "What `lsids aggregate` writes and the portal shows: every measure's figures for each "
        f"borough and for London ({code(LONDON)}), for each period of the accepted returns (so "
        "the rows of one measure across periods are its back series), with the publication "
        "rules already applied. One row per measure, period, area, breakdown and part.",
        "",
        "## Columns",
        "",
        table(
            ["Column", "Type", "Meaning"],
            [[code(name), escape(kind), text] for name, (kind, text) in OUTPUT_COLUMNS.items()],
        ),
        "",
        "## Status",
        "",
        table(["Status", "Meaning"], [[code(k), v] for k, v in STATUSES.items()]),
        "",
        "## How the survey figures are computed",
        "",
        "- The base is every respondent who answered the measure's question with a code that is "
        "not one of its excluded codes; a blank is never in the base. The numerator is the part "
        "of the base whose answer is a numerator code.",
        "- The design has the boroughs as strata and the respondents as units, drawn with "
        "replacement, with no finite population correction: in R, "
        "`svydesign(ids = ~1, strata = ~borough, weights = ~w)`. A breakdown's part is a domain "
        "of that design: the standard error counts every respondent of a borough, with a "
        "linearised score of zero outside the domain, as R's `subset()` of a design does.",
        "- The degrees of freedom of the interval are the base respondents less the boroughs "
        "contributing to the figure (a borough's own figure: its base respondents less one). "
        "This is what R's `degf()` gives for such a subset design, and so what "
        '`svyciprop(method = "logit")` uses; the test suite checks both against R.',
        "- Where the value is exactly 0 or 100% the logit interval does not exist: the interval "
        "is then a Clopper–Pearson interval on the unweighted base, and the standard error is 0. "
        "A value of exactly 0 or 100% therefore always marks a Clopper–Pearson interval.",
        "- London is one stratified estimate over every borough with a base, after each "
        "borough's weights are rescaled to add up to its adult population (the return's "
        "`weight_total`). It is not an average of the borough figures, and rescaling changes no "
        "borough figure.",
        _survey_breakdowns_line(std),
        "",
        "## Publication rules",
        "",
        "Read from each measure's thresholds in the standard, by the same rule the validator's "
        "disclosure warnings use:",
        "",
        "- a survey estimate on an unweighted base below `min_base`, or resting on a small count "
        "of respondents with a numerator answer (1 up to one less than `small_count_threshold`),"
        " is withheld; on a base below `low_reliability_base` it is flagged `low_reliability`;",
        "- a service numerator that is a small count, or whose denominator is below `min_base`, "
        "is withheld with its rate; a denominator that is a small count is withheld; a small "
        "count is withheld; zero is published;",
        "- secondary suppression then withholds more, so that no withheld number can be worked "
        "out by adding or subtracting published ones: boroughs from London, parts of a breakdown "
        "from their total, and one period's figures from another's where they share a base (an "
        "equal denominator). A withheld estimate takes its interval, standard error and "
        "effective base with it.",
        "",
        "In outputs for people (`lsids aggregate --for-people`) the GSS shorthand stands in the "
        "cells:",
        "",
        table(["Shorthand", "Meaning"], [[code(k), escape(v)] for k, v in SHORTHAND.items()]),
        "",
        "## Thresholds by measure",
        "",
        table(
            ["Measure", "Source", "Unit", "min_base", "low_reliability_base", "small count below"],
            thresholds,
        ),
        "",
    ]
    return "\n".join(out)
