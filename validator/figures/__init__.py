"""London-wide figures from accepted returns (the aggregator).

Pure functions over the standard's measure definitions, shared by the portal and ``lsids
aggregate``; they read the publication rule from ``validator.publication``. Data in, the output
table out: ``aggregate(surveys, services)``.
"""

from .survey import SurveyReturn
from .table import aggregate, back_series, for_people, population_shares

__all__ = ["SurveyReturn", "aggregate", "back_series", "for_people", "population_shares"]
