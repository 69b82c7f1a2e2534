"""Errors a user can act on. The CLI prints their message as one line, no traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or set-up; `str(exc)` is a complete sentence."""

    exit_code = 2
