"""Run stock Frictionless on a return, inside the standard's own Data Package.

The standard's foreign keys (boroughs, measures, answer codes) point at code-list resources, so a
stock tool can only check a return in the package's context. This module puts the return in
place of its submission resource's blank template and asks Frictionless for its verdict: the
yardstick our own checks must agree with, and a way for analysts to see that for themselves.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import frictionless
from frictionless import system

from .standard import Standard, load_standard


def package_descriptor(
    path: str | Path, submission_type: str, standard: Standard | None = None
) -> dict[str, Any]:
    """The standard's package descriptor with the return at ``path`` as its submission resource."""
    standard = standard or load_standard()
    if submission_type not in standard.submission_types:
        raise ValueError(f"unknown submission type {submission_type!r}")
    descriptor = copy.deepcopy(standard.package)
    for res in descriptor["resources"]:
        if res["name"] == submission_type:
            res["path"] = str(Path(path).resolve())
            res.pop("encoding", None)
    return descriptor


def stock_validate(
    path: str | Path,
    submission_type: str,
    standard: Standard | None = None,
    *,
    limit_errors: int = 0,
) -> frictionless.Report:
    """Validate one return with stock Frictionless (no error limit unless one is given)."""
    standard = standard or load_standard()
    descriptor = package_descriptor(path, submission_type, standard)
    with system.use_context(trusted=True):
        package = frictionless.Package(descriptor, basepath=str(standard.path))
        resource = package.get_resource(submission_type)
        return resource.validate(limit_errors=limit_errors)
