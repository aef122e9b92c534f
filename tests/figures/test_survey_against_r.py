"""Survey figures equal R's survey package (svydesign, svymean, svyciprop) on the same data.

R's logit interval is fitted iteratively (to about 1e-8), so intervals are compared at 1e-8;
values and standard errors at 1e-9. Skipped, with the reason, where Rscript is not installed;
CI installs it (``.ci/run``), so there it always compares.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pandas as pd
import pytest
from figures_data import BOROUGHS, PERIOD, microdata, survey_returns

from validator.catalogue.figures import LONDON
from validator.figures.survey import survey_figures
from validator.standard import load_standard

RSCRIPT = shutil.which("Rscript")
REQUIRED = bool(os.environ.get("LSIDS_REQUIRE_R"))  # set by .ci/run: in CI the comparison must run
INSTALL = "apt-get install -y r-base-core r-cran-survey"
pytestmark = pytest.mark.skipif(
    RSCRIPT is None and not REQUIRED, reason=f"R is not installed: {INSTALL} (CI does)"
)

CASES = [
    ("rel_get_on_well", "total", "total"),
    ("eq_english_holds_back", "total", "total"),
    ("out_belonging_neighbourhood", "age_band", "16-24"),
    ("par_volunteered_12m", "sex", "unknown"),
    ("rel_neighbourhood_trust", "ethnic_group_5", "black"),
    ("eq_savings_under_1500", "disability", "disabled"),
]

AREAS = ["london", BOROUGHS[1], BOROUGHS[4]]

R_CODE = r"""
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
d$in_domain <- as.logical(d$in_domain)
out <- NULL
for (case in unique(d$case)) {
  for (area in c("london", args[3], args[4])) {
    x <- d[d$case == case & (area == "london" | d$borough == area), ]
    des <- svydesign(ids = ~1, strata = ~borough, weights = ~w, data = x)
    sub <- subset(des, in_domain)
    m <- svymean(~y, sub)
    ci <- svyciprop(~y, sub, method = "logit")
    out <- rbind(out, data.frame(case = case, area = area, value = coef(m)[[1]],
                                 se = SE(m)[[1]], lower = confint(ci)[1], upper = confint(ci)[2],
                                 df = degf(sub)))
  }
}
write.csv(out, args[2], row.names = FALSE)
"""


@pytest.fixture(scope="module")
def r_figures(tmp_path_factory) -> pd.DataFrame:
    if RSCRIPT is None:
        pytest.fail(f"LSIDS_REQUIRE_R is set but Rscript is not installed: {INSTALL}")
    folder = tmp_path_factory.mktemp("r")
    frames = []
    for i, (measure, breakdown, value) in enumerate(CASES):
        d = microdata(survey_returns(), measure, breakdown, value)
        frames.append(d.assign(case=i))
    data = pd.concat(frames, ignore_index=True)
    data["in_domain"] = data["in_domain"].map({True: "TRUE", False: "FALSE"})
    data.to_csv(folder / "d.csv", index=False)
    (folder / "figures.R").write_text(R_CODE, encoding="utf-8")
    run = subprocess.run(
        [
            RSCRIPT,
            str(folder / "figures.R"),
            str(folder / "d.csv"),
            str(folder / "out.csv"),
            *AREAS[1:],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode != 0 and "survey" in run.stderr and "no package" in run.stderr:
        if REQUIRED:
            pytest.fail(f"R's survey package is missing: {INSTALL}")
        pytest.skip(f"R's survey package is missing: {INSTALL}")
    assert run.returncode == 0, run.stderr
    return pd.read_csv(folder / "out.csv", dtype={"area": str})


@pytest.fixture(scope="module")
def ours() -> pd.DataFrame:
    return survey_figures(list(survey_returns()), load_standard(), {})


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("area", AREAS)
def test_figures_equal_r_survey(r_figures, ours, case, area):
    measure, breakdown, value = CASES[case]
    r = r_figures[(r_figures.case == case) & (r_figures.area == area)].iloc[0]
    code = LONDON if area == "london" else area
    row = ours[
        (ours.measure_id == measure)
        & (ours.area_code == code)
        & (ours.breakdown == breakdown)
        & (ours.breakdown_value == value)
        & (ours.period == PERIOD)
    ].iloc[0]
    assert row.value / 100 == pytest.approx(r.value, abs=1e-9)
    assert row.standard_error / 100 == pytest.approx(r.se, abs=1e-9)
    assert row.ci_lower / 100 == pytest.approx(r.lower, abs=1e-8)
    assert row.ci_upper / 100 == pytest.approx(r.upper, abs=1e-8)
    # R's degrees of freedom for a domain: its respondents less the strata it has members in
    d = microdata(survey_returns(), measure, breakdown, value)
    if area != "london":
        d = d[d.borough == area]
    in_domain = d[d.in_domain]
    assert r.df == len(in_domain) - in_domain.borough.nunique()
