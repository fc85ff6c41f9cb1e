"""Reads of the intake workbench: the queue's counts, duplicate candidates, the comparison of
two clues and when linking or merging them is offered."""

from __future__ import annotations

import pytest

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import LinkKind
from minsheng.clues.models import Clue
from minsheng.clues.selectors import clue_by_tracking_code
from minsheng.clues.services import curation
from minsheng.clues.services.codes import format_tracking_code
from minsheng.clues.services.intake import ComplainantData
from minsheng.clues.tests.conftest import World
from minsheng.clues.workflow import ClueStatus
from minsheng.directory.choices import Priority
from minsheng.triage.models import TriageResult, TriageStatus
from minsheng.web.selectors import intake as selectors
from minsheng.web.selectors.intake import SameComplainant
from minsheng.web.selectors.staff import triage_of

pytestmark = pytest.mark.django_db


def triage_naming(clue: Clue, *others: tuple[Clue, str, float, bool]) -> TriageResult:
    """A stored triage result of `clue` that names `others` as (clue, kind, score, same)."""
    return TriageResult.objects.create(
        clue=clue,
        status=TriageStatus.DONE,
        duplicates=[
            {
                "clue_id": other.pk,
                "tracking_code": other.tracking_code,
                "score": score,
                "kind": kind,
                "exact": False,
                "same_complainant": same,
            }
            for other, kind, score, same in others
        ],
    )


def person(**fields: str) -> ComplainantData:
    return ComplainantData(**fields)


# ----- The queue's summary ---------------------------------------------------------------


def test_status_counts_cover_every_waiting_status_in_workflow_order(world, clue_in) -> None:
    # given two received clues, one triaged, one returned and one already dispatched
    clue_in(ClueStatus.RECEIVED)
    clue_in(ClueStatus.RECEIVED)
    clue_in(ClueStatus.TRIAGED)
    clue_in(ClueStatus.RETURNED)
    clue_in(ClueStatus.DISPATCHED)
    # when intake's summary is read
    counts = selectors.intake_status_counts(world.users["intake"])
    # then each waiting status has its count, zeros included, dispatched not among them
    assert [(c.status, c.count) for c in counts] == [
        (ClueStatus.RECEIVED, 2),
        (ClueStatus.TRIAGED, 1),
        (ClueStatus.RETURNED, 1),
        (ClueStatus.REOPENED, 0),
    ]
    assert counts[0].label == "已接收"


def test_status_counts_are_limited_to_what_the_user_may_see(world, clue_in) -> None:
    clue_in(ClueStatus.RECEIVED)
    clue_in(ClueStatus.RETURNED)  # returned by the water bureau, which keeps its assignment
    counts = {c.status: c.count for c in selectors.intake_status_counts(world.users["handler"])}
    assert counts[ClueStatus.RECEIVED] == 0
    assert counts[ClueStatus.RETURNED] == 1
    citizen = {c.status: c.count for c in selectors.intake_status_counts(world.users["citizen"])}
    assert sum(citizen.values()) == 0


def test_status_counts_take_one_query(world, clue_in, django_assert_max_num_queries) -> None:
    for status in (ClueStatus.RECEIVED, ClueStatus.TRIAGED, ClueStatus.RETURNED):
        clue_in(status)
    with django_assert_max_num_queries(1):
        selectors.intake_status_counts(world.users["intake"])


def test_a_queue_page_with_suggestions_takes_one_query(
    world, clue_in, django_assert_max_num_queries
) -> None:
    for _ in range(5):
        triage_naming(clue_in(ClueStatus.RECEIVED))
    with django_assert_max_num_queries(1):
        rows = [
            (
                selectors.intake_display_title(clue),
                selectors.intake_suggestion(triage_of(clue)),
                clue.category.name if clue.category else "",
                clue.region.name if clue.region else "",
            )
            for clue in selectors.intake_queue(world.users["intake"], sort="priority")
        ]
    assert len(rows) == 5


def test_priority_sort_puts_urgent_first(world, clue_in) -> None:
    low = clue_in(ClueStatus.RECEIVED, priority=Priority.LOW)
    urgent = clue_in(ClueStatus.RECEIVED, priority=Priority.URGENT)
    high = clue_in(ClueStatus.RECEIVED, priority=Priority.HIGH)
    ordered = list(selectors.intake_queue(world.users["intake"], sort="priority"))
    assert ordered == [urgent, high, low]


# ----- Looking a clue up by its code ------------------------------------------------------


def test_clue_by_code_accepts_the_spoken_format(world, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    intake_user = world.users["intake"]
    spoken = format_tracking_code(clue.tracking_code)
    assert clue_by_tracking_code(intake_user, spoken) == clue
    assert clue_by_tracking_code(intake_user, "0000 0000 0000 0000") is None
    assert clue_by_tracking_code(intake_user, " - ") is None
    # a department that holds no assignment on it does not find it
    assert clue_by_tracking_code(world.users["other_handler"], clue.tracking_code) is None


# ----- Candidates for comparison ----------------------------------------------------------


def test_candidates_are_the_triage_suggestions_then_linked_clues(world, clue_in) -> None:
    # given a clue whose triage names a duplicate and a similar clue, and a third clue that
    # intake linked to it earlier from the other side
    clue = clue_in(ClueStatus.TRIAGED)
    duplicate = clue_in(ClueStatus.DISPATCHED)
    similar = clue_in(ClueStatus.RECEIVED)
    linked = clue_in(ClueStatus.RECEIVED)
    triage_naming(clue, (duplicate, "duplicate", 0.93, True), (similar, "similar", 0.52, False))
    curation.clue_link(
        clue_id=linked.pk,
        actor=world.actor("intake"),
        other_clue_id=clue.pk,
        kind=LinkKind.SIMILAR,
    )
    curation.clue_link(
        clue_id=clue.pk,
        actor=world.actor("intake"),
        other_clue_id=duplicate.pk,
        kind=LinkKind.DUPLICATE,
    )
    # when the candidates are read
    candidates = selectors.compare_candidates(clue)
    # then the triage's come first with their scores, the links are marked, none repeats
    assert [c.clue_id for c in candidates] == [duplicate.pk, similar.pk, linked.pk]
    first, second, third = candidates
    assert (first.kind, first.score, first.same_complainant) == ("duplicate", 0.93, True)
    assert first.link_label == "重复"
    assert second.link_label == ""
    assert (third.tracking_code, third.score, third.link_label) == (
        linked.tracking_code,
        None,
        "相似",
    )


def test_candidates_of_a_clue_without_triage_or_links(world, clue_in) -> None:
    assert selectors.compare_candidates(clue_in(ClueStatus.RECEIVED)) == []


# ----- Comparing two clues ----------------------------------------------------------------


def test_similarity_is_read_from_either_clues_triage(world, clue_in) -> None:
    older = clue_in(ClueStatus.DISPATCHED)
    newer = clue_in(ClueStatus.TRIAGED)
    unrelated = clue_in(ClueStatus.RECEIVED)
    triage_naming(newer, (older, "duplicate", 0.934, False))
    forward = selectors.triage_similarity(newer, older)
    backward = selectors.triage_similarity(older, newer)
    assert forward == backward == selectors.Similarity(0.934, "duplicate", False)
    assert selectors.triage_similarity(newer, unrelated) is None


@pytest.mark.parametrize(
    ("mine", "theirs", "verdict", "matched"),
    [
        (
            person(name="张三", phone="13812341234"),
            person(name="张三", phone="13812341234"),
            SameComplainant.YES,
            ["手机号码", "姓名"],
        ),
        (
            person(name="张三", id_number="11010519491231002X"),
            person(name="张3", id_number="11010519491231002x"),
            SameComplainant.YES,
            ["身份证号"],
        ),
        (
            person(name="张三", phone="13812341234"),
            person(name="张三", phone="13900001111"),
            SameComplainant.NAME_ONLY,
            ["姓名"],
        ),
        (
            person(name="张三", phone="13812341234"),
            person(name="李四", phone="13900001111"),
            SameComplainant.NO,
            [],
        ),
        (person(name="张三"), person(email="a@example.com"), SameComplainant.UNKNOWN, []),
        (person(name="张三"), None, SameComplainant.UNKNOWN, []),
    ],
)
def test_complainants_are_compared_without_their_values(
    world, clue_in, mine, theirs, verdict, matched
) -> None:
    clue = clue_in(ClueStatus.RECEIVED, complainant=mine)
    other = clue_in(ClueStatus.RECEIVED, complainant=theirs, is_anonymous=theirs is None)
    match = selectors.complainant_match(clue, other)
    assert match.verdict == verdict
    assert match.matched == matched
    assert "1381234" not in match.text
    assert "张三" not in match.text


def test_comparison_marks_equal_fields_and_an_existing_link(world, clue_in) -> None:
    clue = clue_in(ClueStatus.TRIAGED, place_text="某小区3栋")
    other = clue_in(ClueStatus.RECEIVED, place_text="某小区5栋", region=world.other_district)
    curation.clue_link(
        clue_id=clue.pk, actor=world.actor("intake"), other_clue_id=other.pk, kind="duplicate"
    )
    for c in (clue, other):
        c.refresh_from_db()
    comparison = selectors.clue_comparison(world.users["intake"], clue, other)
    assert comparison.same == {"category_id", "channel"}
    assert comparison.link is not None
    assert comparison.suggested_kind == LinkKind.DUPLICATE
    assert comparison.other.identity  # intake reads the other complainant in full
    assert comparison.link_blocker == comparison.merge_blocker == ""


MERGEABLE = {
    ClueStatus.RECEIVED,
    ClueStatus.TRIAGED,
    ClueStatus.RETURNED,
    ClueStatus.REOPENED,
    ClueStatus.DISPATCHED,
}


@pytest.mark.parametrize(
    "status",
    [
        ClueStatus.RECEIVED,
        ClueStatus.TRIAGED,
        ClueStatus.RETURNED,
        ClueStatus.REOPENED,
        ClueStatus.DISPATCHED,
        ClueStatus.ACCEPTED,
        ClueStatus.REPORTED,
        ClueStatus.ANSWERED,
        ClueStatus.CLOSED,
        ClueStatus.MERGED,
    ],
)
def test_merge_is_offered_exactly_where_the_workflow_allows_it(world, clue_in, status) -> None:
    clue = clue_in(status)
    into = clue_in(ClueStatus.ACCEPTED)
    blocker = selectors.merge_blocker(world.users["intake"], clue, into)
    assert (blocker == "") == (status in MERGEABLE)
    if blocker:
        assert str(clue.get_status_display()) in blocker


@pytest.mark.parametrize(
    "into_status",
    [ClueStatus.CLOSED, ClueStatus.REJECTED, ClueStatus.WITHDRAWN, ClueStatus.MERGED],
)
def test_merge_into_an_ended_clue_is_not_offered(world, clue_in, into_status) -> None:
    clue = clue_in(ClueStatus.TRIAGED)
    into = clue_in(into_status)
    assert "已结束" in selectors.merge_blocker(world.users["intake"], clue, into)


def test_merge_and_link_need_a_router(world: World, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    into = clue_in(ClueStatus.RECEIVED)
    for key in ("intake", "supervisor", "admin"):
        assert selectors.merge_blocker(world.users[key], clue, into) == ""
        assert selectors.link_blocker(world.users[key], clue) == ""
    assert selectors.merge_blocker(world.users["handler"], clue, into)
    assert selectors.link_blocker(world.users["handler"], clue)
    assert selectors.merge_blocker(world.users["intake"], clue, clue) == "不能合并到自身。"


def test_link_is_offered_on_open_clues_only(world, clue_in) -> None:
    intake_user = world.users["intake"]
    assert selectors.link_blocker(intake_user, clue_in(ClueStatus.ACCEPTED)) == ""
    assert "已办结" in selectors.link_blocker(intake_user, clue_in(ClueStatus.CLOSED))


def test_link_between_reads_either_direction(world, clue_in) -> None:
    clue = clue_in(ClueStatus.TRIAGED)
    other = clue_in(ClueStatus.RECEIVED)
    curation.clue_link(
        clue_id=clue.pk, actor=Actor.of(world.users["supervisor"]), other_clue_id=other.pk
    )
    link = selectors.link_between(other, clue)
    assert link is not None
    assert link.created_by == world.users["supervisor"]
