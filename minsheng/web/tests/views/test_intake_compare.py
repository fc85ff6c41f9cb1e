"""受理工作台 · duplicates: compare two clues side by side, then link them or merge one into
the other, through the real services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from minsheng.clues.choices import AssignmentStatus, LinkKind, Outcome
from minsheng.clues.models import Clue, ClueLink
from minsheng.clues.services.codes import format_tracking_code
from minsheng.clues.services.intake import ComplainantData
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.web.tests.views.test_intake import suggest

pytestmark = pytest.mark.django_db

QUEUE = reverse("web:intake_queue")
HTMX = {"HTTP_HX_REQUEST": "true"}


def clue_url(clue: Clue) -> str:
    return reverse("web:intake_clue", args=[clue.pk])


def compare_url(clue: Clue, other: Clue) -> str:
    return reverse("web:intake_compare", args=[clue.pk, other.pk])


def lookup_url(clue: Clue) -> str:
    return reverse("web:intake_compare_lookup", args=[clue.pk])


def link_url(clue: Clue, other: Clue) -> str:
    return reverse("web:intake_link", args=[clue.pk, other.pk])


def merge_url(clue: Clue, other: Clue) -> str:
    return reverse("web:intake_merge", args=[clue.pk, other.pk])


@pytest.fixture
def pair(world, clue_in) -> tuple[Clue, Clue]:
    """A triaged clue whose triage names an earlier, dispatched clue as a likely duplicate."""
    earlier = clue_in(ClueStatus.DISPATCHED, place_text="某小区3栋")
    clue = clue_in(ClueStatus.TRIAGED, title="又停水了", place_text="某小区3栋")
    suggest(world, clue, duplicate_of=earlier)
    return clue, earlier


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
def test_role_access_to_the_comparison(client, world, pair, role, expected) -> None:
    clue, earlier = pair
    client.force_login(world.users[role])
    assert client.get(compare_url(clue, earlier)).status_code == expected
    # the lookup of a known code redirects to the comparison, for those who may compare
    lookup = client.get(lookup_url(clue), {"code": earlier.tracking_code})
    assert lookup.status_code == (302 if expected == 200 else expected)
    if expected == 200:
        assert lookup["Location"] == compare_url(clue, earlier)


@pytest.mark.parametrize("role", ["handler", "analyst", "inspector", "citizen"])
def test_other_roles_cannot_link_or_merge(client, world, pair, role) -> None:
    clue, earlier = pair
    client.force_login(world.users[role])
    assert client.post(link_url(clue, earlier), {"kind": "duplicate"}).status_code == 403
    assert client.post(merge_url(clue, earlier), {"reason": "重复"}).status_code == 403
    clue.refresh_from_db()
    assert clue.status == ClueStatus.TRIAGED
    assert not ClueLink.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, pair) -> None:
    clue, earlier = pair
    response = client.get(compare_url(clue, earlier))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:staff_login"))


def test_a_clue_is_not_compared_with_itself_or_a_missing_one(client, world, pair) -> None:
    clue, _earlier = pair
    client.force_login(world.users["intake"])
    assert client.get(compare_url(clue, clue)).status_code == 404
    missing = reverse("web:intake_compare", args=[clue.pk, 999_999])
    assert client.get(missing).status_code == 404
    assert client.post(reverse("web:intake_merge", args=[clue.pk, 999_999])).status_code == 404


# ----- The clue page's duplicates section ------------------------------------------------


def test_clue_page_offers_each_suggested_duplicate_for_comparison(client, world, pair) -> None:
    clue, earlier = pair
    client.force_login(world.users["intake"])
    html = client.get(clue_url(clue)).content.decode()
    assert 'id="compare"' in html
    assert f'id="compare-open-{earlier.pk}"' in html
    # a link for the page without script, the same address for HTMX into the panel
    assert f'href="{compare_url(clue, earlier)}" hx-get="{compare_url(clue, earlier)}"' in html
    assert 'hx-target="#compare-panel"' in html
    assert '<div id="compare-panel" aria-live="polite"></div>' in html
    # and a lookup by tracking code
    assert f'action="{lookup_url(clue)}"' in html
    assert '<label for="id_compare_code">' in html


def test_clue_page_lists_linked_clues_too(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    other = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    client.post(link_url(other, clue), {"kind": "similar"})
    html = client.get(clue_url(clue)).content.decode()
    assert f'id="candidate-{other.pk}"' in html
    assert "已关联（相似）" in html


# ----- The comparison ---------------------------------------------------------------------


def test_comparison_shows_both_clues_side_by_side(client, world, pair) -> None:
    # given a clue and its likely duplicate, both from the same phone number
    clue, earlier = pair
    client.force_login(world.users["intake"])
    # when intake opens the comparison without script
    response = client.get(compare_url(clue, earlier))
    html = response.content.decode()
    # then both clues are shown with what tells duplicates apart
    assert response.status_code == 200
    assert "<h1>线索比较</h1>" in html
    assert 'class="side-by-side"' in html
    assert 'id="compare-this"' in html
    assert 'id="compare-other"' in html
    assert clue.tracking_code in html
    assert earlier.tracking_code in html
    assert "又停水了" in html
    assert "小区停水三天无人处理" in html
    assert html.count("某小区3栋") >= 2
    assert "已转办待签收" in html
    assert "已分拣" in html
    assert html.count("网站") >= 2  # channels
    assert '<td id="compare-score">93%（疑似重复）</td>' in html
    assert 'data-verdict="yes">是（手机号码、身份证号、姓名一致）' in html
    assert "13812341234" in html  # intake sees the identity in full
    # and both actions are offered: link (duplicate preselected) and merge
    assert 'id="link-form"' in html
    assert 'value="duplicate" required id="id_link_kind_0" checked' in html
    assert 'id="merge-form"' in html
    assert f"合并至 {earlier.tracking_code}" in html


def test_comparison_says_when_the_complainants_differ(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    other = clue_in(
        ClueStatus.RECEIVED, complainant=ComplainantData(name="李四", phone="13900001111")
    )
    anonymous = clue_in(ClueStatus.RECEIVED, complainant=None, is_anonymous=True)
    client.force_login(world.users["intake"])
    assert 'data-verdict="no">否' in client.get(compare_url(clue, other)).content.decode()
    html = client.get(compare_url(clue, anonymous)).content.decode()
    assert 'data-verdict="unknown"' in html
    assert "匿名反映" in html
    assert "智能分拣未将两条线索列为相似" in html


def test_with_htmx_the_comparison_loads_into_the_clue_page(client, world, pair) -> None:
    clue, earlier = pair
    client.force_login(world.users["intake"])
    response = client.get(compare_url(clue, earlier), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<h1" not in html
    # one level below the clue page's "重复与合并" (h2)
    assert '<h3 id="comparison-heading">' in html
    assert '<h4 id="compare-other-heading">' in html
    assert 'id="merge-form"' in html
    assert "HX-Request" in response["Vary"]


# ----- Lookup by tracking code -------------------------------------------------------------


def test_lookup_by_code_opens_the_comparison(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    other = clue_in(ClueStatus.ACCEPTED)
    client.force_login(world.users["intake"])
    response = client.get(lookup_url(clue), {"code": format_tracking_code(other.tracking_code)})
    assert response.status_code == 302
    assert response["Location"] == compare_url(clue, other)


def test_lookup_with_htmx_answers_the_comparison_itself(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    other = clue_in(ClueStatus.ACCEPTED)
    client.force_login(world.users["intake"])
    html = client.get(lookup_url(clue), {"code": other.tracking_code}, **HTMX).content.decode()
    assert 'id="comparison"' in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("code", "error"),
    [("0000 0000 0000 0000", "没有找到该受理编号的线索。"), ("", "这个字段是必填项。")],
)
def test_lookup_errors_are_shown_beside_the_field(client, world, clue_in, code, error) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    response = client.get(lookup_url(clue), {"code": code})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_compare_code_error"' in html
    assert error in html
    assert 'id="dispatch-form"' in html  # the clue page, shown again


def test_lookup_of_the_clue_itself_is_refused(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    response = client.get(lookup_url(clue), {"code": clue.tracking_code})
    assert response.status_code == 400
    assert "这是本线索的受理编号" in response.content.decode()


def test_lookup_error_with_htmx_swaps_the_form_with_its_error(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    response = client.get(lookup_url(clue), {"code": "123"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200  # HTMX swaps only successful answers
    assert response["HX-Retarget"] == "#compare-lookup"
    assert response["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith("<form")
    assert "没有找到该受理编号的线索。" in html


# ----- Link ---------------------------------------------------------------------------------


def test_link_as_duplicate_records_the_triage_score(client, world, pair) -> None:
    # given a clue and the duplicate triage found at 93.4 %
    clue, earlier = pair
    client.force_login(world.users["intake"])
    # when intake links them as duplicates
    response = client.post(link_url(clue, earlier), {"kind": "duplicate"})
    # then the link and its event are stored and intake is back on the clue, which stays open
    assert response.status_code == 302
    assert response["Location"] == clue_url(clue)
    link = ClueLink.objects.get(from_clue=clue, to_clue=earlier)
    assert (link.kind, link.score, link.created_by) == (
        LinkKind.DUPLICATE,
        0.934,
        world.users["intake"],
    )
    event = clue.events.order_by("-seq").first()
    assert event is not None
    assert event.action == Action.LINK
    assert event.payload["other_code"] == earlier.tracking_code
    clue.refresh_from_db()
    assert clue.status == ClueStatus.TRIAGED
    page = client.get(clue_url(clue)).content.decode()
    assert "已关联（重复）" in page
    assert f"已将线索 {earlier.tracking_code} 与本线索关联。" in page


def test_link_needs_a_kind(client, world, pair) -> None:
    clue, earlier = pair
    client.force_login(world.users["intake"])
    response = client.post(link_url(clue, earlier), {"kind": "twin"})
    assert response.status_code == 400
    assert 'id="id_link_kind_error"' in response.content.decode()
    assert not ClueLink.objects.exists()


def test_an_ended_clue_offers_no_link_and_the_service_refuses_one(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.CLOSED)
    other = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    html = client.get(compare_url(clue, other)).content.decode()
    assert 'id="link-form"' not in html
    assert 'id="link-blocked"' in html
    response = client.post(link_url(clue, other), {"kind": "similar"})
    assert response.status_code == 400
    assert "message-error" in response.content.decode()
    assert not ClueLink.objects.exists()


# ----- Merge --------------------------------------------------------------------------------


def test_merge_into_the_earlier_clue(client, world, pair) -> None:
    # given a new clue and the earlier, dispatched one it repeats
    clue, earlier = pair
    client.force_login(world.users["intake"])
    # when intake merges the new one into the earlier one, with a reason
    response = client.post(merge_url(clue, earlier), {"reason": "同一反映人重复反映"})
    # then the new clue ends as merged, linked as a duplicate, and intake is on the queue
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    clue.refresh_from_db()
    assert clue.status == ClueStatus.MERGED
    assert clue.merged_into == earlier
    assert clue.outcome == Outcome.MERGED
    event = clue.events.get(action=Action.MERGE)
    assert event.reason == "同一反映人重复反映"
    assert event.actor == world.users["intake"]
    assert ClueLink.objects.filter(from_clue=clue, to_clue=earlier, kind="duplicate").exists()
    earlier.refresh_from_db()
    assert earlier.status == ClueStatus.DISPATCHED
    queue = client.get(QUEUE).content.decode()
    assert f"线索 {clue.tracking_code} 已合并至 {earlier.tracking_code}。" in queue


def test_merge_requires_a_reason(client, world, pair) -> None:
    clue, earlier = pair
    client.force_login(world.users["intake"])
    response = client.post(merge_url(clue, earlier), {"reason": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_merge_reason_error"' in html
    assert 'id="merge-form"' in html
    clue.refresh_from_db()
    assert clue.status == ClueStatus.TRIAGED


def test_a_dispatched_clue_may_still_be_merged(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.DISPATCHED)
    into = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["supervisor"])
    assert 'id="merge-form"' in client.get(compare_url(clue, into)).content.decode()
    response = client.post(merge_url(clue, into), {"reason": "重复反映"})
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.MERGED
    assert set(clue.assignments.values_list("status", flat=True)) == {AssignmentStatus.CANCELLED}


@pytest.mark.parametrize("status", [ClueStatus.ACCEPTED, ClueStatus.ANSWERED])
def test_merge_is_not_offered_once_a_department_handles_the_clue(
    client, world, clue_in, status
) -> None:
    clue = clue_in(status)
    into = clue_in(ClueStatus.RECEIVED)
    client.force_login(world.users["intake"])
    html = client.get(compare_url(clue, into)).content.decode()
    assert 'id="merge-form"' not in html
    assert 'id="merge-blocked"' in html
    # and posting anyway is refused by the service, shown on the page
    response = client.post(merge_url(clue, into), {"reason": "重复"})
    assert response.status_code == 400
    assert "message-error" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == status


def test_merge_into_an_ended_clue_is_not_offered(client, world, clue_in) -> None:
    clue = clue_in(ClueStatus.TRIAGED)
    into = clue_in(ClueStatus.REJECTED)
    client.force_login(world.users["intake"])
    html = client.get(compare_url(clue, into)).content.decode()
    assert 'id="merge-form"' not in html
    assert "对比线索已结束（不予受理），不能合并到该线索。" in html
    response = client.post(merge_url(clue, into), {"reason": "重复"})
    assert response.status_code == 400
    assert "目标线索已结束，不能合并。" in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == ClueStatus.TRIAGED
