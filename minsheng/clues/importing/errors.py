"""Errors that stop the import of a whole file (a bad row is rejected, not raised)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from minsheng.clues.errors import ClueError

if TYPE_CHECKING:
    from minsheng.clues.importing.summary import ImportSummary


class ImportFileError(ClueError):
    """The file cannot be imported: wrong format, unreadable encoding, missing columns...

    Raised before any row is written, except for a fault found part-way through a file (an
    encoding error on line 50,000): then `summary` holds what the batches before it
    committed, which stays in the database.
    """

    code = "import_file_invalid"

    def __init__(self, message: str, *, summary: ImportSummary | None = None) -> None:
        super().__init__(message)
        self.summary = summary
