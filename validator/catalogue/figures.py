"""The words of the figures' output table: its columns, statuses and the GSS shorthand.

Kept in the catalogue (every word a person reads) so that the aggregator (``validator.figures``)
and the generated reference page (``validator.docgen``) share one copy.
"""

from __future__ import annotations

LONDON = "E12000007"  # ONS GSS code of the London region: the area code of London-wide rows

PUBLISHED, LOW_RELIABILITY, SUPPRESSED = "published", "low_reliability", "suppressed"
STATUSES: dict[str, str] = {
    PUBLISHED: "The figure is published as it is.",
    LOW_RELIABILITY: "Published, but on an unweighted base from the measure's `min_base` up to one "
    "less than its `low_reliability_base`: read it with care (`[u]` in outputs for people).",
    SUPPRESSED: "The figure is withheld: its base is below `min_base`, it rests on a small count, "
    "or it is withheld so that another withheld number cannot be worked out by adding or "
    "subtracting published ones (`[c]` in outputs for people).",
}

# GSS shorthand for outputs meant for people (Analysis Function, "Using symbols and shorthand")
SHORTHAND: dict[str, str] = {
    "[c]": "confidential: withheld so that no one can be identified",
    "[u]": "low reliability: the base is small, read with care",
    "[x]": "not available: the figure does not exist for this row",
}
CONFIDENTIAL, LOW, NOT_AVAILABLE = "[c]", "[u]", "[x]"

# name -> (type, description); the order is the table's column order
OUTPUT_COLUMNS: dict[str, tuple[str, str]] = {
    "measure_id": ("string", "The measure's `id` in the standard's measures code list."),
    "period": ("string", "The financial year, for example `2025-26`."),
    "area_code": (
        "string",
        f"ONS GSS code of the borough, or `{LONDON}` for London as a whole.",
    ),
    "breakdown": ("string", "The breakdown's code (`total` for everyone the measure covers)."),
    "breakdown_value": (
        "string",
        "The part of the breakdown (`total` for the whole); `unknown` holds respondents or "
        "records whose group is not known, so the parts add up to the total.",
    ),
    "value": (
        "number",
        "The figure in the measure's unit: survey measures give the weighted proportion of the "
        "base whose answer is a numerator code, times the measure's multiplier (100 for a "
        "percentage); service rates give the numerator over the denominator times the "
        "multiplier; count measures give the count. London survey figures are one stratified "
        "estimate over every borough with a base, after each borough's weights are rescaled to "
        "its adult population; London service figures add the boroughs' numerators and "
        "denominators.",
    ),
    "ci_lower": (
        "number",
        "Survey measures: the lower end of the 95% confidence interval, in the value's unit. A "
        "logit interval on a t distribution with degrees of freedom equal to the base "
        "respondents less the boroughs contributing; where the value is exactly 0 or 100% the "
        "logit interval does not exist and this is a Clopper–Pearson interval on the "
        "unweighted base instead.",
    ),
    "ci_upper": ("number", "Survey measures: the upper end of the same interval."),
    "standard_error": (
        "number",
        "Survey measures: the design-based standard error, in the value's unit, by Taylor "
        "linearisation with boroughs as strata and respondents as units (with replacement, no "
        "finite population correction).",
    ),
    "n_unweighted": ("integer", "Survey measures: respondents in the base (unweighted)."),
    "n_effective": (
        "number",
        "Survey measures: the Kish effective base, (sum of weights)² / sum of squared weights.",
    ),
    "numerator": (
        "integer",
        "Service measures: the numerator, or the count of a count measure (added over boroughs "
        "for London). Empty for survey measures, whose base is `n_unweighted`.",
    ),
    "denominator": (
        "integer",
        "Service rates: the denominator (added over boroughs for London); empty for counts.",
    ),
    "status": ("string", "`published`, `low_reliability` or `suppressed` (see below)."),
    "boroughs_contributing": (
        "integer",
        "How many boroughs' returns the figure is built from (1 for a borough's own row). A "
        "figure exists only where some respondent or record is in its base.",
    ),
    "population_share": (
        "number",
        "The contributing boroughs' share of London's adult population (0 to 1); empty when the "
        "adult population of some borough is not known for the period.",
    ),
}
