"""London-wide figures from accepted returns (the aggregator): to be built here.

Pure functions over the standard's measure definitions, shared by the portal and ``lsids
aggregate``; they read the publication rule from ``validator.publication``.
"""
