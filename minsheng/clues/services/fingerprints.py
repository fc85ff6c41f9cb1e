"""Content fingerprints: the same message gives the same fingerprint however it was typed.

Used to find a clue again when it carries no external id (imports) and to spot repeats.
Web clues (`services.intake.clue_receive`) use the same function, so a clue
imported from a file and the same clue typed in on the web fingerprint alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata


def normalise_text(text: str) -> str:
    """Full-width to half-width and compatibility forms (NFKC), whitespace runs to one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def clue_fingerprint(*, title: str, content: str, reported_at: dt.datetime | None) -> str:
    """sha256 (hex) of the normalised title and content and the reported time (ISO, UTC).

    `reported_at` None (the source gave no time) fingerprints with an empty time, so that
    importing a file without times twice finds the same clues.
    """
    text = normalise_text(f"{title}\n{content}")
    moment = reported_at.astimezone(dt.UTC).isoformat() if reported_at is not None else ""
    return hashlib.sha256(f"{text}\n{moment}".encode()).hexdigest()
