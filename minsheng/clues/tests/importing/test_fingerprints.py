"""Content fingerprints (minsheng.clues.services.fingerprints), which imports use to find
clues that carry no external id."""

from __future__ import annotations

import datetime as dt
import hashlib

from minsheng.clues.services.fingerprints import clue_fingerprint, normalise_text

AT = dt.datetime(2019, 4, 25, 1, 32, 9, tzinfo=dt.UTC)


def test_normalise_text_folds_full_width_and_whitespace():
    assert normalise_text("  Ａ市\t\n１号　路灯  ") == "A市 1号 路灯"


def test_the_same_message_typed_differently_has_one_fingerprint():
    # given the same message with full-width letters and different spacing
    plain = clue_fingerprint(title="A市路灯坏了", content="1号路 路灯不亮", reported_at=AT)
    # when
    variant = clue_fingerprint(title=" Ａ市路灯坏了 ", content="１号路\n\t路灯不亮", reported_at=AT)
    # then
    assert variant == plain
    assert len(plain) == 64


def test_the_time_is_part_of_the_fingerprint_in_any_time_zone():
    local = AT.astimezone(dt.timezone(dt.timedelta(hours=8)))
    base = clue_fingerprint(title="t", content="c", reported_at=AT)
    assert clue_fingerprint(title="t", content="c", reported_at=local) == base
    assert clue_fingerprint(title="t", content="c", reported_at=None) != base
    assert (
        clue_fingerprint(title="t", content="c", reported_at=AT + dt.timedelta(seconds=1)) != base
    )


def test_the_formula_is_pinned():
    # Stored fingerprints depend on it: changing it would make every re-import create
    # duplicates. sha256 of "title content" (normalised), a line break, the UTC time.
    expected = hashlib.sha256("标题 内容 正文\n2019-04-25T01:32:09+00:00".encode()).hexdigest()
    assert clue_fingerprint(title="标题", content="内容\n正文", reported_at=AT) == expected
    assert clue_fingerprint(title="标题", content="内容", reported_at=None) == (
        hashlib.sha256("标题 内容\n".encode()).hexdigest()
    )
