"""Routing: dispatch by the responsibility list, returns and re-dispatch, merging."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minsheng.clues.choices import AssignmentRole, AssignmentStatus, LinkKind, Outcome
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import Clue, ClueLink
from minsheng.clues.services import handling, intake
from minsheng.clues.tests.conftest import World
from minsheng.clues.tests.workflow.actions import ordered
from minsheng.clues.workflow import TERMINAL_STATUSES, ClueStatus
from minsheng.directory.models import ResponsibilityRule

S = ClueStatus

# --- Dispatch by the responsibility list ----------------------------------------------


@pytest.mark.django_db
def test_dispatch_without_a_matching_rule_needs_an_explicit_lead(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given a clue no rule covers (no category)
    clue = clue_in(S.RECEIVED, category=None)

    # when dispatched by the list, then intake is asked to choose the lead
    with pytest.raises(ClueValidationError) as refused:
        intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    assert refused.value.field == "lead_department"
    assert not clue.assignments.exists()
    clue.refresh_from_db()
    assert clue.status == S.RECEIVED

    # when intake names one, then it is dispatched, manually and without a rule
    event = intake.clue_dispatch(
        clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.fire_brigade
    )
    assert event.payload["routing"] == "manual"
    assert event.payload["rule"] is None
    assert event.payload["suggested_rule"] is None
    assert list(clue.assignments.values_list("department", "role")) == [
        (world.fire_brigade.pk, AssignmentRole.LEAD)
    ]


@pytest.mark.django_db
def test_tied_rules_are_named_and_never_resolved_silently(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given two active rules for the same category and every region
    first = ResponsibilityRule.objects.get(category=world.water)
    second = ResponsibilityRule.objects.create(
        category=world.water, lead_department=world.fire_brigade
    )
    clue = clue_in(S.RECEIVED)

    # when dispatched by the list
    with pytest.raises(ClueValidationError) as refused:
        intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))

    # then the error names both rules, so an administrator can fix the list
    assert refused.value.field == "lead_department"
    assert str(first) in refused.value.message
    assert str(second) in refused.value.message
    assert not clue.assignments.exists()

    # when intake chooses the lead (and co-handler) explicitly, then that settles it
    event = intake.clue_dispatch(
        clue_id=clue.pk,
        actor=world.actor("intake"),
        lead_department=world.water_bureau,
        co_departments=[world.district_gov],
    )
    assert event.payload["routing"] == "manual"
    assert event.payload["rule"] is None
    assert event.payload["co"] == [world.district_gov.pk]
    clue.refresh_from_db()
    assert clue.status == S.DISPATCHED


@pytest.mark.django_db
def test_explicit_lead_records_manual_routing_and_the_suggested_rule(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given a clue the list would send to the water bureau
    rule = ResponsibilityRule.objects.get(category=world.water)
    clue = clue_in(S.RECEIVED)

    # when intake sends it to the district government instead
    event = intake.clue_dispatch(
        clue_id=clue.pk,
        actor=world.actor("intake"),
        lead_department=world.district_gov,
        note="属地管理",
    )

    # then the choice is recorded as manual, with the rule the list suggested beside it
    assert event.payload["routing"] == "manual"
    assert event.payload["rule"] is None
    assert event.payload["suggested_rule"] == rule.pk
    assert event.payload["lead"] == world.district_gov.pk
    assert event.payload["co"] == []
    lead = clue.assignments.get()
    assert (lead.department, lead.role, lead.rule) == (
        world.district_gov,
        AssignmentRole.LEAD,
        None,
    )
    assert lead.note == "属地管理"


@pytest.mark.django_db
def test_dispatch_by_the_list_records_the_rule(world: World, clue_in: Callable[..., Clue]) -> None:
    rule = ResponsibilityRule.objects.get(category=world.water)
    clue = clue_in(S.RECEIVED)
    event = intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    assert event.payload["routing"] == "responsibility_list"
    assert event.payload["rule"] == event.payload["suggested_rule"] == rule.pk
    assert set(clue.assignments.values_list("rule", flat=True)) == {rule.pk}


@pytest.mark.django_db
def test_lead_cannot_also_co_handle(world: World, clue_in: Callable[..., Clue]) -> None:
    clue = clue_in(S.RECEIVED)
    with pytest.raises(ClueValidationError) as refused:
        intake.clue_dispatch(
            clue_id=clue.pk,
            actor=world.actor("intake"),
            lead_department=world.water_bureau,
            co_departments=[world.water_bureau],
        )
    assert refused.value.field == "co_departments"
    assert not clue.assignments.exists()


@pytest.mark.django_db
def test_dispatch_to_an_inactive_department_is_refused(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    world.fire_brigade.is_active = False
    world.fire_brigade.save(update_fields=["is_active"])
    clue = clue_in(S.RECEIVED)
    with pytest.raises(ClueValidationError) as refused:
        intake.clue_dispatch(
            clue_id=clue.pk, actor=world.actor("intake"), lead_department=world.fire_brigade
        )
    assert refused.value.field == "lead_department"


# --- Return and re-dispatch -----------------------------------------------------------


@pytest.mark.django_db
def test_return_cancels_co_handling_and_redispatch_starts_afresh(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given a dispatched clue: the water bureau leads, the district government co-handles
    clue = clue_in(S.DISPATCHED)
    lead = clue.assignments.get(role=AssignmentRole.LEAD)
    co = clue.assignments.get(role=AssignmentRole.CO)

    # when the lead returns it as misrouted
    event = handling.clue_return(
        clue_id=clue.pk,
        actor=world.actor("handler"),
        reason="属住建部门职责",
        suggested_department="长沙市住房和城乡建设局",
    )

    # then the lead's assignment is returned with the reason, co-handling is cancelled
    lead.refresh_from_db()
    co.refresh_from_db()
    assert (lead.status, lead.return_reason) == (AssignmentStatus.RETURNED, "属住建部门职责")
    assert co.status == AssignmentStatus.CANCELLED
    assert lead.finished_at == co.finished_at == event.created_at
    assert event.payload["cancelled_assignments"] == [co.pk]
    assert event.payload["suggested_department"] == "长沙市住房和城乡建设局"
    # and the clue is back with intake, counted, with no department clock running
    clue.refresh_from_db()
    assert clue.status == S.RETURNED
    assert clue.return_count == 1
    assert clue.accept_due is None
    assert clue.handle_due is None

    # when intake dispatches it again
    intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))

    # then new pending assignments exist beside the finished ones, and the clock restarts
    clue.refresh_from_db()
    fresh = clue.assignments.exclude(pk__in=[lead.pk, co.pk])
    assert sorted(fresh.values_list("role", "department", "status")) == sorted(
        [
            (AssignmentRole.CO, world.district_gov.pk, AssignmentStatus.PENDING),
            (AssignmentRole.LEAD, world.water_bureau.pk, AssignmentStatus.PENDING),
        ]
    )
    assert clue.status == S.DISPATCHED
    assert clue.handle_due is not None
    assert clue.return_count == 1
    # and the returned lead may sign the new assignment
    handling.clue_accept(clue_id=clue.pk, actor=world.actor("handler"))


@pytest.mark.django_db
def test_return_after_accepting_cancels_accepted_co_handling(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given an accepted clue whose co-handler has signed too
    clue = clue_in(S.ACCEPTED)
    handling.clue_co_accept(clue_id=clue.pk, actor=world.actor("co_handler"))

    # when the lead finds on verification that it is misrouted, and returns it twice over
    handling.clue_return(clue_id=clue.pk, actor=world.actor("handler"), reason="非本单位职责")
    intake.clue_dispatch(clue_id=clue.pk, actor=world.actor("intake"))
    handling.clue_return(clue_id=clue.pk, actor=world.actor("head"), reason="仍非本单位职责")

    # then every assignment is finished and each return is counted
    clue.refresh_from_db()
    assert clue.return_count == 2
    assert set(clue.assignments.values_list("status", flat=True)) == {
        AssignmentStatus.RETURNED,
        AssignmentStatus.CANCELLED,
    }


# --- Merge ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_merge_into_itself_is_refused(world: World, clue_in: Callable[..., Clue]) -> None:
    clue = clue_in(S.RECEIVED)
    with pytest.raises(ClueValidationError) as refused:
        intake.clue_merge(
            clue_id=clue.pk, actor=world.actor("intake"), into_clue_id=clue.pk, reason="重复"
        )
    assert refused.value.field == "into_clue"
    clue.refresh_from_db()
    assert clue.status == S.RECEIVED


@pytest.mark.django_db
@pytest.mark.parametrize("target_status", ordered(TERMINAL_STATUSES), ids=str)
def test_merge_into_an_ended_clue_is_refused(
    world: World, clue_in: Callable[..., Clue], target_status: ClueStatus
) -> None:
    # given a duplicate and a clue that has already ended
    clue = clue_in(S.RECEIVED)
    target = clue_in(target_status)
    events_before = clue.events.count()

    # when merged into it, then it is refused and nothing changes
    with pytest.raises(ClueValidationError) as refused:
        intake.clue_merge(
            clue_id=clue.pk, actor=world.actor("intake"), into_clue_id=target.pk, reason="重复"
        )
    assert refused.value.field == "into_clue"
    clue.refresh_from_db()
    assert clue.status == S.RECEIVED
    assert clue.events.count() == events_before
    assert not ClueLink.objects.filter(from_clue=clue).exists()


@pytest.mark.django_db
def test_merge_into_a_missing_clue_is_refused(world: World, clue_in: Callable[..., Clue]) -> None:
    clue = clue_in(S.RECEIVED)
    with pytest.raises(ClueValidationError) as refused:
        intake.clue_merge(
            clue_id=clue.pk, actor=world.actor("intake"), into_clue_id=clue.pk + 1000, reason="重复"
        )
    assert refused.value.field == "into_clue"


@pytest.mark.django_db
def test_merge_of_a_dispatched_clue_cancels_its_assignments(
    world: World, clue_in: Callable[..., Clue]
) -> None:
    # given a dispatched duplicate and the clue that carries the handling
    clue = clue_in(S.DISPATCHED)
    target = clue_in(S.ACCEPTED)

    # when merged
    event = intake.clue_merge(
        clue_id=clue.pk, actor=world.actor("intake"), into_clue_id=target.pk, reason="重复反映"
    )

    # then it ends as merged, linked as a duplicate, its departments released
    clue.refresh_from_db()
    assert clue.status == S.MERGED
    assert clue.merged_into == target
    assert clue.outcome == Outcome.MERGED
    assert clue.closed_at == event.created_at
    assert ClueLink.objects.get(from_clue=clue, to_clue=target).kind == LinkKind.DUPLICATE
    assert set(clue.assignments.values_list("status", flat=True)) == {AssignmentStatus.CANCELLED}
    assert sorted(event.payload["cancelled_assignments"]) == sorted(
        clue.assignments.values_list("pk", flat=True)
    )
    assert event.payload["into_code"] == target.tracking_code
    # and the target is untouched
    target.refresh_from_db()
    assert target.status == S.ACCEPTED
