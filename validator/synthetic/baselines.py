"""The numbers the synthetic returns are drawn from: rates, population mixes and populations.

Fields, codes, measures and breakdowns all come from the standard (``load_standard()``); this module
holds only what the standard does not say and realistic demonstration data needs: how common each
answer is in London, how groups and boroughs differ, and roughly how many people live where. Every
table is keyed by the standard's own ids and codes; a code the standard does not have is ignored
and a code missing here gets a small default share, so the standard can change without this file.

The figures are plausible, not official. The London baselines for survey measures are those quoted
in *All of Us* (BRIEF section 3); the rest are round numbers of the right size.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SurveyRate:
    """How a survey measure's numerator answer varies, on the log-odds scale.

    ``baseline`` is the London share of the measure's base giving a numerator answer. ``inner`` is
    the gap between ONS inner and outer London boroughs; ``age``, ``tenure``, ``minority`` and
    ``proficiency`` multiply the group scores below, so older, home-owning, minority-ethnic or
    less fluent respondents differ in the direction a reader would expect.
    """

    baseline: float
    inner: float = 0.0
    age: float = 0.0
    tenure: float = 0.0
    minority: float = 0.0
    proficiency: float = 0.0


# London baselines from All of Us where the strategy quotes one; plausible values for the rest.
SURVEY_RATES: dict[str, SurveyRate] = {
    "out_belonging_neighbourhood": SurveyRate(0.66, inner=-0.25, age=0.5, tenure=0.4),
    "out_london_good_place": SurveyRate(0.90, inner=0.15, age=-0.2, tenure=0.1, minority=0.2),
    "rel_get_on_well": SurveyRate(0.91, inner=-0.1, age=0.1, tenure=0.2),
    "rel_no_one_to_rely_on": SurveyRate(0.21, inner=0.15, age=0.1, tenure=-0.4, minority=0.2),
    "rel_neighbourhood_trust": SurveyRate(0.35, inner=-0.3, age=0.5, tenure=0.5, minority=-0.1),
    "rel_lonely_often": SurveyRate(0.08, inner=0.2, age=-0.3, tenure=-0.4, minority=0.1),
    "par_volunteered_12m": SurveyRate(0.26, inner=-0.05, age=0.2, tenure=0.4, minority=-0.1),
    "par_organisation_member": SurveyRate(0.40, age=0.3, tenure=0.4, minority=-0.1),
    "eq_housing_cost_over_third": SurveyRate(0.30, inner=0.3, age=-0.5, tenure=-0.9, minority=0.2),
    "eq_savings_under_1500": SurveyRate(0.44, inner=0.2, age=-0.4, tenure=-1.0, minority=0.3),
    "eq_no_internet_3m": SurveyRate(0.07, inner=-0.2, age=1.6, tenure=0.4),
    "eq_english_holds_back": SurveyRate(0.17, inner=0.1, tenure=-0.3, proficiency=1.0),
    "rel_friends_similar_age": SurveyRate(0.30, inner=-0.1, age=0.3),
    "rel_friends_similar_ethnicity": SurveyRate(0.40, inner=-0.3, minority=-0.6),
    "rel_friends_similar_income": SurveyRate(0.30, tenure=0.2),
    "rel_friends_similar_education": SurveyRate(0.30, tenure=0.2),
}

# Share of a measure's answers that are left out of its base ("don't know", "prefer not to say",
# the spontaneous "too few people" …): small, spread evenly over the excluded codes.
EXCLUDED_SHARE = 0.025

# Group scores (−1 … 1) that the coefficients above multiply; codes not listed score 0.
AGE_SCORE = {"16-24": -1.0, "25-34": -0.6, "35-49": -0.1, "50-64": 0.4, "65-74": 0.8, "75+": 1.0}
TENURE_SCORE = {
    "owns_outright": 1.0,
    "owns_with_mortgage": 0.6,
    "shared_ownership": 0.2,
    "social_rent_council": -0.8,
    "social_rent_other": -0.8,
    "private_rent_landlord": -0.6,
    "private_rent_other": -0.5,
}
# keyed by the ethnic-group code list's ``group`` column (the five Census 2021 groups)
MINORITY_SCORE = {"white": 0.0, "mixed": 1.0, "asian": 1.0, "black": 1.0, "other": 1.0}
PROFICIENCY_SCORE = {"very_well": -1.0, "well": 0.0, "not_well": 1.5, "not_at_all": 2.0}

# Answer mixes for the survey fields that are not a measure's (London adults, roughly Census 2021).
# ``INNER_FACTORS`` scales a code's share in ONS inner London boroughs.
SURVEY_MIX: dict[str, dict[str, float]] = {
    "mode": {"online": 0.60, "paper": 0.15, "telephone": 0.10, "face_to_face": 0.13, "video": 0.02},
    "age_band": {
        "16-24": 0.13,
        "25-34": 0.22,
        "35-49": 0.28,
        "50-64": 0.20,
        "65-74": 0.09,
        "75+": 0.07,
        "prefer_not_to_say": 0.01,
    },
    "sex": {"female": 0.51, "male": 0.48, "prefer_not_to_say": 0.01},
    "gender_identity_same": {"yes": 0.94, "no": 0.01, "dont_know": 0.01, "prefer_not_to_say": 0.04},
    "ethnic_group": {
        "white_british": 0.368,
        "white_irish": 0.018,
        "white_gypsy_irish_traveller": 0.001,
        "white_roma": 0.003,
        "white_other": 0.147,
        "mixed_white_black_caribbean": 0.015,
        "mixed_white_black_african": 0.008,
        "mixed_white_asian": 0.012,
        "mixed_other": 0.022,
        "asian_indian": 0.075,
        "asian_pakistani": 0.033,
        "asian_bangladeshi": 0.037,
        "asian_chinese": 0.017,
        "asian_other": 0.046,
        "black_caribbean": 0.039,
        "black_african": 0.079,
        "black_other": 0.017,
        "other_arab": 0.016,
        "other_any": 0.047,
        "prefer_not_to_say": 0.01,
    },
    "tenure": {
        "owns_outright": 0.21,
        "owns_with_mortgage": 0.25,
        "shared_ownership": 0.02,
        "social_rent_council": 0.11,
        "social_rent_other": 0.12,
        "private_rent_landlord": 0.26,
        "private_rent_other": 0.015,
        "rent_free": 0.01,
        "dont_know": 0.005,
        "prefer_not_to_say": 0.01,
    },
    "activity_limitation": {
        "yes_a_lot": 0.30,
        "yes_a_little": 0.45,
        "not_at_all": 0.23,
        "dont_know": 0.01,
        "prefer_not_to_say": 0.01,
    },
    "english_proficiency": {
        "very_well": 0.50,
        "well": 0.32,
        "not_well": 0.13,
        "not_at_all": 0.03,
        "prefer_not_to_say": 0.02,
    },
}
INNER_FACTORS: dict[str, dict[str, float]] = {
    "age_band": {"16-24": 1.1, "25-34": 1.35, "50-64": 0.85, "65-74": 0.7, "75+": 0.65},
    "tenure": {
        "owns_outright": 0.6,
        "owns_with_mortgage": 0.7,
        "social_rent_council": 1.5,
        "social_rent_other": 1.3,
        "private_rent_landlord": 1.3,
    },
    "ethnic_group": {"white_british": 0.8, "white_other": 1.2},
}
# How much the ethnic mix of one borough departs from London's (Dirichlet concentration).
ETHNIC_CONCENTRATION = 25.0

# Share answering yes to "long-term condition", by age band (GSS disability question).
LONG_TERM_CONDITION_BY_AGE = {
    "16-24": 0.10,
    "25-34": 0.11,
    "35-49": 0.15,
    "50-64": 0.25,
    "65-74": 0.35,
    "75+": 0.50,
}
LONG_TERM_CONDITION_DEFAULT = 0.18
NON_ANSWER_SHARE = 0.01  # each of "don't know" / "prefer not to say" on a gate question

# Share whose main language is not English, by ethnic-group code, else by its group.
OTHER_LANGUAGE_BY_ETHNIC_CODE = {"white_british": 0.01, "white_irish": 0.02, "white_other": 0.55}
OTHER_LANGUAGE_BY_ETHNIC_GROUP = {
    "white": 0.6,
    "mixed": 0.06,
    "asian": 0.40,
    "black": 0.22,
    "other": 0.45,
}
OTHER_LANGUAGE_DEFAULT = 0.2

# Borough-to-borough spread of every rate (standard deviation on the log-odds scale) and the
# drift from one period to the next.
BOROUGH_SPREAD = 0.2
PERIOD_DRIFT = 0.05


@dataclass(frozen=True)
class ServiceRate:
    """How a service measure's figures are sized and how they vary.

    ``population`` is what the denominator (or, for counts, the count) is a share of: ``residents``
    or ``adults``. ``size`` is that share. ``rate`` is the London rate in the measure's own unit
    (a percentage for percent measures, per 1,000 for per-1,000 measures; unused for counts).
    ``inner`` moves inner London boroughs (log-odds for percentages, log scale otherwise) and
    ``spread`` is the borough-to-borough spread on the same scale.
    """

    population: str
    size: float
    rate: float = 0.0
    inner: float = 0.0
    spread: float = 0.2
    adults_only: bool = False


SERVICE_RATES: dict[str, ServiceRate] = {
    # hate crimes recorded per 1,000 residents: about 1 to 4
    "rel_hate_crime_rate": ServiceRate("residents", 1.0, rate=2.0, inner=0.35, spread=0.2),
    # adults registered to vote: 86% in London, 68–78% in some inner boroughs
    "par_electoral_registration": ServiceRate(
        "adults", 0.85, rate=86.0, inner=-0.9, spread=0.2, adults_only=True
    ),
    # pupils at the end of key stage 4 achieving grade 5+ in English and maths: about half
    "eq_gcse_attainment": ServiceRate("residents", 0.011, rate=50.0, spread=0.2),
    # eligible 2-year-olds taking up funded early education: 55–75%
    "eq_early_education_2yo": ServiceRate("residents", 0.0045, rate=65.0, inner=-0.2, spread=0.2),
    # citizenship ceremony attendances per 1,000 non-British nationals: 5–15
    "eq_citizenship_ceremony_rate": ServiceRate("residents", 0.25, rate=9.0, spread=0.3),
    "prog_esol_learners": ServiceRate("adults", 0.004, inner=0.4, spread=0.3, adults_only=True),
    "prog_volunteers": ServiceRate("residents", 0.003, spread=0.3),
    "prog_community_sponsorship": ServiceRate("residents", 0.00006, spread=0.4),
}
# Non-British nationals are a larger share of inner boroughs' residents (citizenship ceremonies).
NON_BRITISH_INNER_FACTOR = 1.3

# Breakdown value shares of a service population, keyed by the standard's breakdown codes.
# Ethnic-group shares come from the borough's own survey ethnic mix (see synthetic.py).
BREAKDOWN_SHARES: dict[str, dict[str, float]] = {
    "sex": {"female": 0.505, "male": 0.495, "unknown": 0.0},  # services record sex
    "age_band": {
        "0-15": 0.20,
        "16-24": 0.11,
        "25-34": 0.18,
        "35-49": 0.23,
        "50-64": 0.15,
        "65-74": 0.07,
        "75+": 0.05,
        "unknown": 0.01,
    },
    "disability": {"disabled": 0.14, "not_disabled": 0.85, "unknown": 0.01},
    "fsm": {"eligible": 0.25, "not_eligible": 0.74, "unknown": 0.01},
}
UNKNOWN_SHARE = 0.01  # share for a breakdown value not listed above
# A value with a share of 0 gets no row: its parts are zero and the others still add up.
# Breakdown values with nobody in them for adults-only measures (no row is written for them).
CHILD_VALUES: dict[str, tuple[str, ...]] = {"age_band": ("0-15",)}

# Rate differences between groups in service data (log-odds for percentages, log otherwise).
BREAKDOWN_EFFECTS: dict[str, dict[str, float]] = {
    "sex": {"female": 0.15, "male": -0.15},
    "age_band": {
        "16-24": -0.9,
        "25-34": -0.5,
        "50-64": 0.4,
        "65-74": 0.7,
        "75+": 0.7,
    },
    "disability": {"disabled": -0.9, "not_disabled": 0.1},
    "fsm": {"eligible": -0.8, "not_eligible": 0.25},
}
ETHNIC_EFFECT_SPREAD = 0.2  # ethnic-group differences are drawn per borough, not fixed

# Share of service measures a borough sends as provisional rather than final figures.
PROVISIONAL_SHARE = 0.1
PROVISIONAL_NOTE = "Provisional figure; the final figure will follow in the next return."

# Usual residents, all ages, rounded approximations of Census 2021 (thousands). Plausible sizes
# for synthetic data only: never publish these as official figures.
RESIDENTS_2021_THOUSANDS: dict[str, float] = {
    "E09000001": 8.6,
    "E09000002": 219,
    "E09000003": 389,
    "E09000004": 247,
    "E09000005": 339,
    "E09000006": 330,
    "E09000007": 210,
    "E09000008": 391,
    "E09000009": 367,
    "E09000010": 330,
    "E09000011": 289,
    "E09000012": 259,
    "E09000013": 183,
    "E09000014": 264,
    "E09000015": 261,
    "E09000016": 262,
    "E09000017": 306,
    "E09000018": 288,
    "E09000019": 217,
    "E09000020": 143,
    "E09000021": 168,
    "E09000022": 317,
    "E09000023": 301,
    "E09000024": 215,
    "E09000025": 351,
    "E09000026": 311,
    "E09000027": 195,
    "E09000028": 307,
    "E09000029": 209,
    "E09000030": 311,
    "E09000031": 279,
    "E09000032": 328,
    "E09000033": 205,
}
RESIDENTS_DEFAULT_THOUSANDS = 250.0
# Share of residents aged 16 and over: the City has few children, inner London fewer than outer.
ADULT_SHARE = {"city": 0.92, "inner": 0.82, "outer": 0.78}
POPULATION_BASE_YEAR = 2021
POPULATION_GROWTH = 0.005  # a year
