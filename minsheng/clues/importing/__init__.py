"""Importing clues from spreadsheets (XLSX) and CSV files, in batches, idempotently.

`import_clue_file` is the entry point (the `import_clues` command and the web admin call it):

- `readers` opens a file, detects its format and encoding, maps its header row to `Field`s
  (`columns`) and streams the rows;
- `rows` cleans and validates one row into a `ClueRow`, or rejects it with a reason;
- `writer` writes a batch of rows in one transaction: clues, complainants, creation events;
- `summary` counts what happened, for the command's report and the admin page.

A source is a namespace: within it a row is the same clue as a stored one when their external
ids match, or, for rows without an id, when their content fingerprints match
(`services.fingerprints`). Every clue gets its creation event through `next_event` (RECEIVE,
or IMPORT_ANSWERED when the row has a reply), so its event chain verifies.
"""

from minsheng.clues.importing.errors import ImportFileError
from minsheng.clues.importing.service import check_import_file, import_clue_file
from minsheng.clues.importing.summary import ImportSummary, RejectedRow

__all__ = [
    "ImportFileError",
    "ImportSummary",
    "RejectedRow",
    "check_import_file",
    "import_clue_file",
]
