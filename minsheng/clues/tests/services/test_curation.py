"""Links, tags (typical case) and public visibility are recorded actions."""

from __future__ import annotations

import pytest
from django.utils import translation

from minsheng.clues.choices import LinkKind
from minsheng.clues.errors import ActionForbidden, ClueValidationError, TransitionNotAllowed
from minsheng.clues.models import ClueLink, Tag
from minsheng.clues.services import curation
from minsheng.clues.tests.conftest import World, receive
from minsheng.clues.workflow import Action, ClueStatus


@pytest.mark.django_db
def test_intake_links_a_likely_duplicate_with_its_score(world: World) -> None:
    first, second = receive(world), receive(world, title="又停水了")
    event = curation.clue_link(
        clue_id=second.pk,
        actor=world.actor("intake"),
        other_clue_id=first.pk,
        kind=LinkKind.DUPLICATE,
        score=0.93,
    )
    link = ClueLink.objects.get(from_clue=second, to_clue=first)
    assert (link.kind, link.score) == (LinkKind.DUPLICATE, 0.93)
    assert event.action == Action.LINK
    assert event.payload["other_code"] == first.tracking_code
    with pytest.raises(ClueValidationError):
        curation.clue_link(clue_id=first.pk, actor=world.actor("intake"), other_clue_id=first.pk)


@pytest.mark.django_db
def test_supervisor_marks_a_typical_clue_and_the_change_is_recorded(world: World) -> None:
    clue = receive(world)
    curation.clue_mark_typical(clue_id=clue.pk, actor=world.actor("supervisor"), typical=True)
    assert list(clue.tags.values_list("slug", flat=True)) == [Tag.TYPICAL]
    event = curation.clue_mark_typical(
        clue_id=clue.pk, actor=world.actor("supervisor"), typical=False
    )
    assert clue.tags.count() == 0
    assert event.payload["tags"] == {"from": [Tag.TYPICAL], "to": []}
    with pytest.raises(ActionForbidden):
        curation.clue_mark_typical(clue_id=clue.pk, actor=world.actor("handler"), typical=True)


@pytest.mark.django_db
def test_the_typical_tag_is_stored_in_chinese_whatever_the_language(world: World) -> None:
    # given a supervisor working in English
    clue = receive(world)
    # when the first typical mark creates the tag
    with translation.override("en"):
        curation.clue_mark_typical(clue_id=clue.pk, actor=world.actor("supervisor"), typical=True)
    # then the shared tag keeps the source name; pages translate it when they show it
    assert Tag.objects.get(slug=Tag.TYPICAL).name == "典型案例"


@pytest.mark.django_db
def test_unknown_tags_are_refused(world: World) -> None:
    clue = receive(world)
    with pytest.raises(ClueValidationError, match="nonsense"):
        curation.clue_set_tags(clue_id=clue.pk, actor=world.actor("supervisor"), tags=["nonsense"])


@pytest.mark.django_db
def test_only_answered_clues_are_published(world: World, clue_in) -> None:
    open_clue = clue_in(ClueStatus.ACCEPTED)
    with pytest.raises(TransitionNotAllowed):
        curation.clue_set_public(
            clue_id=open_clue.pk, actor=world.actor("supervisor"), public=True, reason="典型"
        )
    closed = clue_in(ClueStatus.CLOSED)
    curation.clue_set_public(
        clue_id=closed.pk, actor=world.actor("supervisor"), public=True, reason="典型案例公开"
    )
    closed.refresh_from_db()
    assert closed.is_public
