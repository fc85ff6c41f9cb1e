"""Reading Teddy Cup style message files (XLSX or CSV) without touching the database.

The evaluation command must be a pure function of its input files, so this reader is
independent of the import pipeline in `minsheng.clues`.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from minsheng.triage.classifier.departments import category_of_reply
from minsheng.triage.classifier.features import clean_text

TITLE_COLUMN = "留言主题"
CONTENT_COLUMN = "留言详情"
LABEL_COLUMN = "一级分类"
REPLY_COLUMN = "答复意见"


class MessageFileError(ValueError):
    """A message file is missing, unreadable or lacks a required column."""


@dataclass(frozen=True)
class MessageRows:
    """Texts of one file, their first-level labels ("" when unlabelled) and the government's
    replies ("" when the file has none)."""

    texts: list[str]
    labels: list[str]
    replies: list[str]


def read_messages(path: Path, *, need_label: bool = False) -> MessageRows:
    """Title + content of every row; rows with neither are skipped."""
    if not path.is_file():
        raise MessageFileError(f"{path}: file not found")
    rows = _read_xlsx(path) if path.suffix.lower() in {".xlsx", ".xlsm"} else _read_csv(path)
    if not rows:
        raise MessageFileError(f"{path}: no header row")
    header = [_clean(cell) for cell in rows[0]]
    if TITLE_COLUMN not in header and CONTENT_COLUMN not in header:
        raise MessageFileError(f"{path}: needs a {TITLE_COLUMN} or {CONTENT_COLUMN} column")
    if need_label and LABEL_COLUMN not in header:
        raise MessageFileError(f"{path}: needs a {LABEL_COLUMN} column")
    title_at = header.index(TITLE_COLUMN) if TITLE_COLUMN in header else None
    content_at = header.index(CONTENT_COLUMN) if CONTENT_COLUMN in header else None
    label_at = header.index(LABEL_COLUMN) if LABEL_COLUMN in header else None
    reply_at = header.index(REPLY_COLUMN) if REPLY_COLUMN in header else None
    texts: list[str] = []
    labels: list[str] = []
    replies: list[str] = []
    for row in rows[1:]:
        title = _cell(row, title_at)
        content = _cell(row, content_at)
        if not title and not content:
            continue
        texts.append(join_message(title=title, content=content))
        labels.append(_cell(row, label_at))
        replies.append(_cell(row, reply_at))
    return MessageRows(texts=texts, labels=labels, replies=replies)


def unlabelled_files(
    paths: Sequence[Path], *, labels: Collection[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The texts of unlabelled files, split by `split_by_reply`."""
    plain: list[str] = []
    weak: list[tuple[str, str]] = []
    for path in paths:
        rows = read_messages(path)
        more_plain, more_weak = split_by_reply(rows.texts, rows.replies, labels=labels)
        plain += more_plain
        weak += more_weak
    return plain, weak


def split_by_reply(
    texts: Sequence[str], replies: Sequence[str], *, labels: Collection[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """Unlabelled texts without a reply naming a department of one of `labels`, and those
    with one, paired with that weak label (see `departments`)."""
    plain: list[str] = []
    weak: list[tuple[str, str]] = []
    for text, reply in zip(texts, replies, strict=True):
        label = category_of_reply(reply, categories=labels) if reply else ""
        if label:
            weak.append((text, label))
        else:
            plain.append(text)
    return plain, weak


def weak_labels_apart_from(
    weak_labels: Sequence[tuple[str, str]], texts: Sequence[str]
) -> list[tuple[str, str]]:
    """The weak labels whose text is none of `texts` (held-out or test texts), so that no
    answer to an evaluation reaches training through them."""
    held_out = {clean_text(text) for text in texts}
    return [(text, label) for text, label in weak_labels if clean_text(text) not in held_out]


def join_message(*, title: str, content: str) -> str:
    """One text per message; the title is repeated by the features, not here."""
    return f"{title}\n{content}" if content else title


def _cell(row: list[object], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return _clean(row[index])


def _clean(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read_xlsx(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise MessageFileError(f"{path}: not a readable XLSX file ({error})") from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _read_csv(path: Path) -> list[list[object]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [list(row) for row in csv.reader(handle)]
    except (UnicodeDecodeError, csv.Error) as error:
        raise MessageFileError(f"{path}: not a readable UTF-8 CSV file ({error})") from error


def read_taxonomy(path: Path) -> dict[str, list[str]]:
    """Second- and third-level names under each first-level category (label hints)."""
    if not path.is_file():
        raise MessageFileError(f"{path}: file not found")
    rows = _read_xlsx(path) if path.suffix.lower() in {".xlsx", ".xlsm"} else _read_csv(path)
    if not rows or _clean(rows[0][0] if rows[0] else "") != LABEL_COLUMN:
        raise MessageFileError(f"{path}: first column must be {LABEL_COLUMN}")
    hints: dict[str, list[str]] = {}
    for row in rows[1:]:
        first = _cell(row, 0)
        if not first:
            continue
        terms = hints.setdefault(first, [])
        for index in (1, 2):
            term = _cell(row, index)
            if term and term not in terms:
                terms.append(term)
    return hints
