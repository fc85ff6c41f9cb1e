"""Open clues from the database into the index: the catch-up before every lookup."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from minsheng.clues.tests.conftest import World, receive
from minsheng.triage.duplicates import DuplicateIndex
from minsheng.triage.duplicates.sources import index_open_clues


@pytest.mark.django_db
def test_a_catch_up_with_nothing_new_reads_one_id_and_no_text(world: World) -> None:
    # given an index caught up with the database
    first = receive(world, title="路灯不亮", content="小区路灯坏了一个月")
    index = DuplicateIndex()
    up_to = index_open_clues(index, after_pk=0)
    assert up_to == first.pk
    assert first.pk in index

    # when it catches up again with nothing new
    with CaptureQueriesContext(connection) as captured:
        again = index_open_clues(index, after_pk=up_to)

    # then one primary-key probe was all it cost
    assert again == up_to
    assert len(captured) == 1
    assert "content" not in captured[0]["sql"]

    # and a clue received since is read and indexed at the next catch-up
    second = receive(world, title="噪音扰民", content="工地夜间施工")
    assert index_open_clues(index, after_pk=up_to) == second.pk
    assert second.pk in index
