"""LSIDS validator: check a borough's return against the London Social Integration Data Standard."""

from .standard import Standard, StandardError, available_versions, load_standard

__version__ = "0.1.0"

from .annotate import annotate
from .engine import validate
from .findings import Finding
from .report import Report
from .table import InputError

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
