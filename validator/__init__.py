"""LSIDS validator: check a borough's return against the London Social Integration Data Standard.

This module only hands on the public API; the work is done in the sub-packages (see
``docs/architecture.md``).
"""

from .catalogue.inputs import InputError
from .engine import validate
from .excel.annotate import annotate
from .report.finding import Finding
from .report.model import Report
from .standard import Standard, StandardError, available_versions, load_standard
from .version import __version__

__all__ = [
    "Finding",
    "InputError",
    "Report",
    "Standard",
    "StandardError",
    "__version__",
    "annotate",
    "available_versions",
    "load_standard",
    "validate",
]
