"""Structure: find the heading row, match it to the submission type's fields, infer the type.

Headings are matched exactly first, then forgivingly (case, spaces, hyphens and underscores, or
the field's title), with a warning each time. Blank, duplicate, missing and unknown columns are
errors that stop the check before any cell is read: a wrong file gets one short list, not a
flood of cell errors.
"""

from __future__ import annotations
