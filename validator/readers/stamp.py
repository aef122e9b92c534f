"""The version stamp of a workbook made from the standard's template: its type and version."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import BinaryIO

from defusedxml import ElementTree

from ..standard import load_standard

STAMP_STANDARD = "LSIDS standard"


STAMP_VERSION = "LSIDS standard version"


STAMP_TYPE = "LSIDS submission type"


MAX_STAMP_BYTES = 1 << 20


def template_version(source: str | Path | BinaryIO) -> tuple[str, str] | None:
    """The (type, standard version) a workbook was generated for, or None if it is not a template.

    Reads only the workbook's custom properties, safely: a file that is not a workbook, or a
    workbook without the stamp, gives None rather than an error. A file object is left where
    it was.
    """
    if hasattr(source, "read"):
        start = source.tell()
        try:
            props = _custom_properties(source)
        finally:
            source.seek(start)
    else:
        props = _custom_properties(Path(source))
    if props.get(STAMP_STANDARD) != load_standard().package.get("name"):
        return None
    kind, version = props.get(STAMP_TYPE), props.get(STAMP_VERSION)
    return (kind, version) if kind and version else None


def _custom_properties(path: Path | BinaryIO) -> dict[str, str]:
    """Name → text of a workbook's custom document properties; {} for anything unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/custom.xml")
            if info.file_size > MAX_STAMP_BYTES:
                return {}
            root = ElementTree.fromstring(archive.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return {}
    except Exception:  # defusedxml refuses entities and DTDs: not one of our templates
        return {}
    props = {}
    for prop in root:
        name = prop.get("name")
        value = next(iter(prop), None)
        if name and value is not None:
            props[name] = value.text or ""
    return props
