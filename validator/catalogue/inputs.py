"""``InputError``: the input cannot be read at all, told in the catalogue's words."""

from __future__ import annotations


class InputError(Exception):
    """The input cannot be read at all: not a table, not the format it claims, or unsafe.

    Carries a stable ``code`` and a message and hint written for a borough officer. The command
    line turns it into exit status 2; the portal shows it in place of a report.
    """

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
