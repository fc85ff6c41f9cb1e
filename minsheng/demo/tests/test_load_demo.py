"""`manage.py load_demo`: it loads, loads nothing twice, and leaves a demo worth showing.

The demo is loaded once per class (setUpTestData) because it takes a few seconds; each test
runs in a savepoint that is rolled back, so tests cannot disturb each other.
"""

from __future__ import annotations

import io
import itertools

from django.apps import apps
from django.core.management import call_command
from django.db.models import QuerySet
from django.test import TestCase, override_settings
from django.urls import reverse

from minsheng.accounts.models import User
from minsheng.accounts.roles import Role
from minsheng.clues.choices import Outcome
from minsheng.clues.models import Clue, ClueEvent
from minsheng.clues.services.events import verify_chain
from minsheng.clues.workflow import Action, ClueStatus
from minsheng.demo.data import DEMO_CLUES
from minsheng.demo.data.accounts import ACCOUNTS, DEMO_PASSWORD, ROLE_ACCOUNTS
from minsheng.demo.data.history import HISTORY
from minsheng.demo.services import DEMO_SOURCE, HISTORY_SOURCE
from minsheng.demo.services.clues import demo_overdue_count
from minsheng.directory.models import Department, ResponsibilityRule, SLAPolicy
from minsheng.triage.models import ModelVersion
from minsheng.triage.registry import CATEGORY, SUBCATEGORY

# PBKDF2 costs half a second per hash; the demo hashes a query secret for every clue.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class LoadDemoTests(TestCase):
    output: str

    @classmethod
    def setUpTestData(cls) -> None:
        # given an empty database, when the demo is loaded
        cls.output = load_demo()

    def demo_clues(self) -> QuerySet[Clue]:
        return Clue.objects.filter(source=DEMO_SOURCE)

    def test_it_loads_the_directory_accounts_and_every_clue(self) -> None:
        assert self.demo_clues().count() == len(DEMO_CLUES)
        assert Department.objects.count() >= 20
        assert ResponsibilityRule.objects.filter(
            category__name="城市管理", region__name="雨花区", lead_department__name="雨花区人民政府"
        ).exists()
        assert SLAPolicy.objects.filter(
            category__name="消防安全", priority="urgent", accept_days=0, handle_days=3
        ).exists()
        assert set(User.objects.values_list("username", flat=True)) == {
            account.username for account in ACCOUNTS
        }

    def test_it_prints_a_summary_and_the_logins(self) -> None:
        assert "演示数据已载入" in self.output
        assert f"演示线索：新建 {len(DEMO_CLUES)}" in self.output
        assert DEMO_PASSWORD in self.output
        for account in ROLE_ACCOUNTS:
            assert account.username in self.output

    def test_it_imports_the_history_as_answered_clues(self) -> None:
        history = Clue.objects.filter(source=HISTORY_SOURCE)
        assert history.count() == len(HISTORY)
        assert set(history.values_list("status", flat=True)) == {ClueStatus.ANSWERED}
        assert not history.filter(category=None).exists()
        assert f"历史线索（已答复）：新建 {len(HISTORY)}，已存在 0" in self.output

    def test_it_trains_a_first_and_a_second_level_model(self) -> None:
        # the history gives the second-level model enough clues per category to train on
        for kind in (CATEGORY, SUBCATEGORY):
            assert ModelVersion.objects.filter(kind=kind, is_active=True).count() == 1, kind
        first = ModelVersion.objects.get(kind=CATEGORY, is_active=True)
        assert first.n_train >= len(HISTORY)
        assert "分类模型：已用" in self.output
        assert "二级分类模型：已用" in self.output

    def test_a_second_run_changes_nothing(self) -> None:
        # given the loaded demo
        before = row_counts()
        last_change = (
            self.demo_clues().order_by("-updated_at").values_list("updated_at", flat=True)[0]
        )
        passwords = dict(User.objects.values_list("username", "password"))

        # when it is loaded again
        output = load_demo()

        # then no row was added or removed in any table, and nothing was rewritten
        assert row_counts() == before
        assert "未作任何修改" in output
        assert f"历史线索（已答复）：新建 0，已存在 {len(HISTORY)}" in output
        assert "新建 1" not in output
        assert not self.demo_clues().filter(updated_at__gt=last_change).exists()
        assert dict(User.objects.values_list("username", "password")) == passwords

    def test_every_demo_clue_has_an_intact_event_chain(self) -> None:
        for clue in self.demo_clues():
            assert verify_chain(clue, clue.events.order_by("seq")) == [], clue.external_id

    def test_every_status_comes_from_the_services(self) -> None:
        # The status a clue shows is the one its last event moved it to.
        for clue in self.demo_clues():
            events = list(clue.events.order_by("seq"))
            assert events[0].action == Action.RECEIVE, clue.external_id
            assert events[-1].to_status == clue.status, clue.external_id
            for before, after in itertools.pairwise(events):
                assert after.from_status == before.to_status, clue.external_id
                assert before.created_at <= after.created_at, clue.external_id

    def test_every_status_is_represented(self) -> None:
        statuses = set(self.demo_clues().values_list("status", flat=True))
        assert statuses == set(ClueStatus.values)

    def test_closed_clues_have_honest_outcomes(self) -> None:
        outcomes = set(
            self.demo_clues().filter(status=ClueStatus.CLOSED).values_list("outcome", flat=True)
        )
        assert outcomes == {
            Outcome.RESOLVED,
            Outcome.EXPLAINED,
            Outcome.NOT_SUBSTANTIATED,
            Outcome.OUTSIDE_REMIT,
        }

    def test_the_demo_shows_overdue_anonymous_and_supervised_clues(self) -> None:
        assert demo_overdue_count() >= 2
        assert self.demo_clues().filter(is_anonymous=True).exists()
        assert ClueEvent.objects.filter(clue__source=DEMO_SOURCE, action=Action.ESCALATE).exists()
        assert self.demo_clues().filter(complainant__id_number__gt="").exists()

    def test_history_is_spread_over_the_last_two_months(self) -> None:
        dates = list(
            self.demo_clues().order_by("reported_at").values_list("reported_at", flat=True)
        )
        assert (dates[-1] - dates[0]).days >= 50

    def test_each_role_account_can_log_in(self) -> None:
        for account in ROLE_ACCOUNTS:
            assert self.client.login(username=account.username, password=DEMO_PASSWORD)
            assert User.objects.get(username=account.username).role == account.role
            self.client.logout()
        assert {account.role for account in ROLE_ACCOUNTS} == set(Role) - {Role.SYSTEM}

    def test_admin_reaches_the_admin_site(self) -> None:
        assert self.client.login(username="admin", password=DEMO_PASSWORD)
        response = self.client.get("/admin/")
        assert response.status_code == 200
        # the index with the apps, not a login form for an account that is not staff
        labels = {app["app_label"] for app in response.context["app_list"]}
        assert {"clues", "accounts", "notifications"} <= labels

    # ----- The workbenches over the demo: every page renders for every clue it lists -----

    def _pages_render(self, username: str, urls: list[str]) -> None:
        self.client.force_login(User.objects.get(username=username))
        for url in urls:
            response = self.client.get(url)
            assert response.status_code == 200, (url, response.status_code)

    def _clue_pages_render(self, username: str, name: str, clues: QuerySet[Clue]) -> None:
        """Each clue's page renders, and is that clue's page (its code heads the title)."""
        self.client.force_login(User.objects.get(username=username))
        for pk, code in clues.values_list("pk", "tracking_code"):
            url = reverse(name, args=[pk])
            response = self.client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert f"<title>{code} · " in response.content.decode(), url

    def test_intake_sees_the_queue_and_every_clue(self) -> None:
        self._pages_render("intake", [reverse("web:intake_queue")])
        self._clue_pages_render("intake", "web:intake_clue", self.demo_clues())
        queue = self.client.get(reverse("web:intake_queue"))
        # the demo has a returned clue waiting (the label alone is always in the status filter)
        counts = {item.status: item.count for item in queue.context["status_counts"]}
        assert counts[ClueStatus.RETURNED] >= 1
        assert "已退回待重新转办" in queue.content.decode()

    def test_each_department_account_sees_its_assignments(self) -> None:
        for username in ("water_handler", "water_head", "power_handler"):
            user = User.objects.get(username=username)
            clues = Clue.objects.filter(assignments__department=user.department_id).distinct()
            assert clues.exists(), username
            queue = reverse("web:department_queue")
            self._pages_render(username, [queue, queue + "?status=all"])
            self._clue_pages_render(username, "web:department_clue", clues.order_by("pk"))

    def test_the_supervisor_console_shows_the_demo(self) -> None:
        from minsheng.web.selectors.supervisor import BOARDS

        urls = [reverse("web:supervisor_home")]
        urls += [reverse("web:supervisor_board", args=[board.slug]) for board in BOARDS]
        self._pages_render("supervisor", urls)
        self._clue_pages_render("supervisor", "web:supervisor_clue", self.demo_clues())
        home = self.client.get(reverse("web:supervisor_home"))
        # the demo's overdue and awaiting-review clues are on their boards (the links are
        # there whatever the counts)
        assert reverse("web:supervisor_board", args=["overdue"]) in home.content.decode()
        counts = {
            board.slug: count
            for section in home.context["sections"]
            for board, count in section.boards
        }
        assert counts["overdue"] >= 2
        assert counts["awaiting-review"] >= 1

    def test_staff_sign_in_lands_on_each_bench(self) -> None:
        landing = {
            "intake": reverse("web:intake_queue"),
            "water_handler": reverse("web:department_queue"),
            "supervisor": reverse("web:supervisor_home"),
        }
        for username, url in landing.items():
            response = self.client.post(
                reverse("web:staff_login"), {"username": username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 302
            assert response["Location"] == url
            self.client.logout()
