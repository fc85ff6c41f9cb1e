"""Errors of the directory app; each message is meant for the administrator as written."""

from __future__ import annotations

from collections.abc import Sequence


class DirectoryError(Exception):
    """Base of the errors raised by the directory's services."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImportFileError(DirectoryError):
    """A file cannot be imported at all (absent, unreadable, wrong format, missing columns).

    Problems with single rows are not raised: they are reported in the import summary.
    """

    def __init__(self, message: str, *, missing_columns: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.missing_columns = list(missing_columns)
