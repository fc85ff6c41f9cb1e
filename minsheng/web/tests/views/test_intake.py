"""受理工作台: who may open it, the queue with the AI's suggestions, dispatch and rejection."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minsheng.clues.choices import AssignmentRole
from minsheng.clues.models import Assignment, Clue
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.directory.choices import Priority
from minsheng.triage.models import TriageResult, TriageStatus

QUEUE = reverse("web:intake_queue")
LOGIN = reverse("web:staff_login")

pytestmark = pytest.mark.django_db


def detail_url(clue: Clue) -> str:
    return reverse("web:intake_clue", args=[clue.pk])


def dispatch_url(clue: Clue) -> str:
    return reverse("web:intake_dispatch", args=[clue.pk])


def reject_url(clue: Clue) -> str:
    return reverse("web:intake_reject", args=[clue.pk])


def suggest(world, clue: Clue, *, duplicate_of: Clue | None = None) -> TriageResult:
    """A stored triage result as the engine writes it."""
    result, _created = TriageResult.objects.update_or_create(
        clue=clue,
        defaults={
            "status": TriageStatus.DONE,
            "categories": [
                {"category_id": world.water.pk, "label": "供水", "probability": 0.87},
                {"category_id": world.fire.pk, "label": "消防安全", "probability": 0.08},
            ],
            "subcategories": [
                {"category_id": world.water_outage.pk, "label": "停水", "probability": 0.91}
            ],
            "urgency": {"level": "high", "score": 2, "reasons": [["长时间停水", "停水三天"]]},
            "duplicates": (
                [
                    {
                        "clue_id": duplicate_of.pk,
                        "tracking_code": duplicate_of.tracking_code,
                        "score": 0.934,
                        "kind": "duplicate",
                        "exact": False,
                        "same_complainant": False,
                    }
                ]
                if duplicate_of
                else []
            ),
            "routing": {
                "lead": world.water_bureau.pk,
                "lead_name": world.water_bureau.name,
                "co": [world.district_gov.pk],
                "rule": 7,
                "explanation": "按责任清单：供水类由市水务局主办。",
            },
            "confidence": 0.87,
            "masked_title": "小区停水三天无人处理（脱敏）",
        },
    )
    return result


# ----- Access ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("intake", 200),
        ("supervisor", 200),
        ("admin", 200),
        ("handler", 403),
        ("head", 403),
        ("analyst", 403),
        ("inspector", 403),
        ("citizen", 403),
    ],
)
def test_role_access_to_queue_and_clue(client, world, clue_in, role, expected) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users[role])
    assert client.get(QUEUE).status_code == expected
    assert client.get(detail_url(clue)).status_code == expected


def test_anonymous_is_sent_to_staff_login(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    for url in (QUEUE, detail_url(clue)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")


def test_staff_login_lands_intake_on_queue(client, world) -> None:
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert '<label for="id_username">' in page.content.decode()
    response = client.post(LOGIN, {"username": "intake", "password": "test-pass-123"})
    assert response.status_code == 302
    assert response["Location"] == QUEUE


def test_staff_login_shows_errors(client, world) -> None:
    response = client.post(LOGIN, {"username": "intake", "password": "wrong"})
    assert response.status_code == 200
    assert "message-error" in response.content.decode()


def test_logout_signs_out(client, world) -> None:
    client.force_login(world.users["intake"])
    response = client.post(reverse("web:staff_logout"))
    assert response.status_code == 302
    assert client.get(QUEUE).status_code == 302


def test_department_handler_cannot_dispatch_or_reject(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["handler"])
    dispatch = client.post(dispatch_url(clue), {"lead_department": world.water_bureau.pk})
    reject = client.post(reject_url(clue), {"reason_code": "spam", "reason": "广告"})
    assert dispatch.status_code == reject.status_code == 403
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED


# ----- The queue ------------------------------------------------------------------------


def test_queue_shows_waiting_clues_with_suggestions(client, world, clue_in) -> None:
    # given a triaged clue with suggestions, a plain received one and a dispatched one
    earlier = clue_in(ClueStatus.RECEIVED, title="更早的停水")
    clue = clue_in(ClueStatus.TRIAGED)
    suggest(world, clue, duplicate_of=earlier)
    dispatched = clue_in(ClueStatus.DISPATCHED, title="已经转办的线索")
    client.force_login(world.users["intake"])
    # when intake opens the queue
    html = client.get(QUEUE).content.decode()
    # then the waiting clues are listed with the AI's suggestions, the masked title first
    assert clue.tracking_code in html
    assert earlier.tracking_code in html
    assert dispatched.tracking_code not in html
    assert "小区停水三天无人处理（脱敏）" in html
    assert "供水（87%）" in html
    assert world.water_bureau.name in html
    assert "紧急" in html
    assert "疑似重复 1 条" in html
    assert html.index(clue.tracking_code) < html.index(earlier.tracking_code)  # newest first


def test_queue_filters_and_sorts(client, world, clue_in) -> None:
    old_urgent = clue_in(ClueStatus.RECEIVED, title="燃气泄漏", priority=Priority.URGENT)
    triaged = clue_in(ClueStatus.TRIAGED, title="路灯不亮")
    client.force_login(world.users["intake"])

    by_status = client.get(QUEUE, {"status": ClueStatus.TRIAGED}).content.decode()
    assert triaged.tracking_code in by_status
    assert old_urgent.tracking_code not in by_status

    by_priority = client.get(QUEUE, {"priority": Priority.URGENT}).content.decode()
    assert old_urgent.tracking_code in by_priority
    assert triaged.tracking_code not in by_priority

    oldest_first = client.get(QUEUE, {"sort": "received"}).content.decode()
    assert oldest_first.index(old_urgent.tracking_code) < oldest_first.index(triaged.tracking_code)
    by_rank = client.get(QUEUE, {"sort": "priority"}).content.decode()
    assert by_rank.index(old_urgent.tracking_code) < by_rank.index(triaged.tracking_code)


def test_queue_filter_form_keeps_the_chosen_values(client, world) -> None:
    client.force_login(world.users["intake"])
    html = client.get(
        QUEUE, {"status": ClueStatus.RETURNED, "priority": Priority.HIGH, "sort": "priority"}
    ).content.decode()
    start = html.index('class="card queue-filters"')
    form = html[start : html.index("</form>", start)]
    for name, label in (("status", "状态"), ("priority", "优先级"), ("sort", "排序")):
        assert f'<label for="filter-{name}">{label}</label>' in form
        assert f'<select id="filter-{name}" name="{name}">' in form
    assert form.count('<option value="">全部</option>') == 2  # status and priority only
    assert '<option value="returned" selected>已退回待重新转办</option>' in form
    assert '<option value="high" selected>紧急</option>' in form
    assert '<option value="priority" selected>优先级高在前</option>' in form
    assert form.count(" selected>") == 3


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_queue_runs_a_fixed_number_of_queries(client, world, clue_in) -> None:
    client.force_login(world.users["intake"])
    suggest(world, clue_in(ClueStatus.RECEIVED))
    one = _queue_queries(client)
    for _ in range(19):
        suggest(world, clue_in(ClueStatus.RECEIVED))
    assert _queue_queries(client) == one


def test_queue_page_has_a_pinned_query_count(
    client, world, clue_in, django_assert_max_num_queries
) -> None:
    # session, user, the page's count, the page's rows (triage and directory joined), summary
    client.force_login(world.users["intake"])
    for status in (ClueStatus.RECEIVED, ClueStatus.TRIAGED, ClueStatus.RETURNED):
        suggest(world, clue_in(status))
    with django_assert_max_num_queries(5):
        assert client.get(QUEUE, {"sort": "priority"}).status_code == 200


def test_queue_summary_counts_waiting_clues_per_status(client, world, clue_in) -> None:
    # given two received clues, one triaged and one dispatched
    clue_in(ClueStatus.RECEIVED)
    clue_in(ClueStatus.RECEIVED)
    clue_in(ClueStatus.TRIAGED)
    clue_in(ClueStatus.DISPATCHED)
    client.force_login(world.users["intake"])
    # when intake looks at the triaged ones, sorted by priority
    html = client.get(QUEUE, {"status": ClueStatus.TRIAGED, "sort": "priority"}).content.decode()
    # then the summary above the table counts every waiting status, links to each and
    # marks the one shown
    summary = html[html.index('id="queue-summary"') : html.index("</section>")]
    assert '<span class="count">3</span> 全部待受理' in summary
    assert (
        '<a class="board" id="summary-received" href="?sort=priority&amp;status=received">'
        '<span class="count">2</span> 已接收</a>'
    ) in summary
    assert (
        'id="summary-triaged" href="?sort=priority&amp;status=triaged" aria-current="true">'
        '<span class="count">1</span> 已分拣</a>'
    ) in summary
    assert '<span class="count">0</span> 已重启' in summary
    assert "已转办" not in summary
    assert html.index('id="queue-summary"') < html.index('<table id="intake-queue">')


# ----- One clue -------------------------------------------------------------------------


def test_clue_page_shows_suggestions_reasons_and_identity(client, world, clue_in) -> None:
    earlier = clue_in(ClueStatus.RECEIVED)
    clue = clue_in(ClueStatus.TRIAGED)
    suggest(world, clue, duplicate_of=earlier)
    client.force_login(world.users["intake"])
    html = client.get(detail_url(clue)).content.decode()
    assert "供水（87%）" in html
    assert "停水（91%）" in html
    assert "停水三天" in html  # the urgency reason's evidence
    assert detail_url(earlier) in html
    assert "93%" in html
    assert "按责任清单：供水类由市水务局主办。" in html
    assert "13812341234" in html  # intake sees the identity unmasked
    # the dispatch form preselects the suggested lead
    assert f'<option value="{world.water_bureau.pk}" selected>' in html


def test_a_returned_clue_says_who_returned_it_and_why(client, world, clue_in) -> None:
    # given a clue the water bureau returned as not its business
    clue = clue_in(ClueStatus.RETURNED)
    client.force_login(world.users["intake"])

    # when intake opens it
    html = client.get(detail_url(clue)).content.decode()

    # then the page starts with the return: the department and its reason
    assert 'id="back-in-intake"' in html
    assert "承办单位退回" in html
    assert world.water_bureau.name in html
    assert "理由：非本单位职责" in html


def test_a_clue_waiting_first_dispatch_has_no_return_notice(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.TRIAGED)
    client.force_login(world.users["intake"])
    assert 'id="back-in-intake"' not in client.get(detail_url(clue)).content.decode()


def test_dispatch_with_the_suggested_lead(client, world, clue_in) -> None:
    # given a triaged clue whose suggestion is the water bureau, with the district as co
    clue = clue_in(ClueStatus.TRIAGED)
    suggest(world, clue)
    client.force_login(world.users["intake"])
    # when intake dispatches as suggested
    response = client.post(
        dispatch_url(clue),
        {
            "lead_department": world.water_bureau.pk,
            "co_departments": [world.district_gov.pk],
            "category": world.water_outage.pk,
            "region": world.district.pk,
            "priority": clue.priority,
        },
    )
    # then the clue is dispatched, the event written, and intake is back on the queue
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED
    event = clue.events.order_by("-seq").first()
    assert event is not None
    assert event.action == Action.DISPATCH
    assert event.actor == world.users["intake"]
    assignments = {(a.department_id, a.role) for a in Assignment.objects.filter(clue=clue)}
    assert assignments == {
        (world.water_bureau.pk, AssignmentRole.LEAD),
        (world.district_gov.pk, AssignmentRole.CO),
    }
    assert not clue.events.filter(action=Action.UPDATE_DETAILS).exists()
    assert "已转办" in client.get(QUEUE).content.decode()


def test_dispatch_with_a_correction(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["supervisor"])
    response = client.post(
        dispatch_url(clue),
        {
            "lead_department": world.fire_brigade.pk,
            "category": world.fire.pk,
            "region": world.district.pk,
            "priority": Priority.HIGH,
        },
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.DISPATCHED
    assert clue.category == world.fire
    assert clue.priority == Priority.HIGH
    update = clue.events.get(action=Action.UPDATE_DETAILS)
    assert set(update.payload["changes"]) == {"category", "priority"}
    assert clue.assignments.get(role=AssignmentRole.LEAD).department == world.fire_brigade


def test_dispatch_error_is_shown_beside_the_form(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    response = client.post(
        dispatch_url(clue),
        {
            "lead_department": world.water_bureau.pk,
            "co_departments": [world.water_bureau.pk],
            "priority": Priority.HIGH,
        },
    )
    assert response.status_code == 400
    assert "主办单位与协办单位不能重复" in response.content.decode()
    clue.refresh_from_db()
    # the correction was rolled back with the failed dispatch
    assert clue.status == ClueStatus.RECEIVED
    assert clue.priority == Priority.NORMAL


def test_reject_requires_a_reason(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    response = client.post(reject_url(clue), {"reason_code": "spam", "reason": ""})
    assert response.status_code == 400
    clue.refresh_from_db()
    assert clue.status == ClueStatus.RECEIVED

    response = client.post(reject_url(clue), {"reason_code": "spam", "reason": "广告信息"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REJECTED
    assert clue.events.filter(action=Action.REJECT).exists()


def test_clue_that_left_intake_shows_no_forms(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    client.force_login(world.users["intake"])
    response = client.get(detail_url(clue))
    html = response.content.decode()
    assert response.status_code == 200
    assert clue.tracking_code in html
    assert reverse("web:intake_dispatch", args=[clue.pk]) not in html
    assert reverse("web:intake_reject", args=[clue.pk]) not in html
    again = client.post(dispatch_url(clue), {"lead_department": world.water_bureau.pk})
    assert again.status_code == 400
    assert clue.events.filter(action=Action.DISPATCH).count() == 1
