"""LSIDS portal: the Flask application where boroughs upload returns and the GLA adds them up.

Not built yet; the validator and the standard come first.
"""
