"""LSIDS validator: check a borough's return against the London Social Integration Data Standard.

This module only hands on the public API; the work is done in the sub-packages (see
``docs/architecture.md``). Names are imported when first used, so ``import validator`` and
``lsids --help`` load none of the heavy libraries a check may need (``HEAVY_MODULES``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .catalogue.inputs import InputError
    from .engine import check_metadata, validate
    from .excel.annotate import annotate
    from .readers.by_field import return_frame
    from .report.finding import Finding
    from .report.model import Report
    from .standard import Standard, StandardError, available_versions, load_standard

_HOMES = {
    "InputError": ".catalogue.inputs",
    "validate": ".engine",
    "check_metadata": ".engine",
    "annotate": ".excel.annotate",
    "return_frame": ".readers.by_field",
    "Finding": ".report.finding",
    "Report": ".report.model",
    "Standard": ".standard",
    "StandardError": ".standard",
    "available_versions": ".standard",
    "load_standard": ".standard",
}

HEAVY_MODULES = (
    "pandas",
    "pyarrow.compute",
    "openpyxl",
    "defusedxml",
    "frictionless",
    "jsonschema",
    "jinja2",
)
"""Libraries loaded only by the work that needs them: a DataFrame (pandas, ``pyarrow.compute``:
the checks call Arrow's kernels through ``validator.arrow.pc``), a workbook (openpyxl, and
defusedxml for a template's stamp), a comparison with stock Frictionless or a cell Frictionless
must judge, submission metadata, an HTML report."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'validator' has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
    "HEAVY_MODULES",
    "Finding",
    "InputError",
    "Report",
    "Standard",
    "StandardError",
    "__version__",
    "annotate",
    "available_versions",
    "check_metadata",
    "load_standard",
    "return_frame",
    "validate",
]
