"""manage.py load_demo: load the demo data (idempotent) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from minsheng.accounts.roles import Role
from minsheng.clues.workflow import ClueStatus
from minsheng.demo.data.accounts import DEMO_PASSWORD, DEPARTMENT_ACCOUNTS, ROLE_ACCOUNTS
from minsheng.demo.services import DemoLoadError, DemoLoadSummary, demo_load
from minsheng.triage.models import ModelVersion
from minsheng.triage.training import TrainingError, triage_train


class Command(BaseCommand):
    help = (
        "载入演示数据：长沙市的区划、分类、承办单位、责任清单、办理时限、每个角色的演示账号、"
        "约二百六十条已答复的历史线索和约四十条经真实流程办理的线索，并训练分类模型。"
        "可重复运行，已有的数据不会重复创建。"
        " Load the demo data (idempotent) and print the demo logins."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = demo_load()
        except DemoLoadError as exc:
            raise CommandError(str(exc)) from exc
        self._write_summary(summary)
        self._train_model()
        self._write_logins()

    def _train_model(self) -> None:
        """A fresh install has no model: train one from the demo's clues and history so that
        the quickstart shows real suggestions (a deployment trains on its own history)."""
        if ModelVersion.objects.filter(kind="category", is_active=True).exists():
            self.stdout.write("  分类模型：已有启用的模型")
            return
        try:
            report = triage_train(from_database=True)
        except TrainingError as error:
            self.stdout.write(self.style.WARNING(f"  分类模型：未训练（{error}）"))
            return
        self.stdout.write(
            f"  分类模型：已用 {report.n_train + report.n_eval} 条演示线索和历史线索训练"
            f" v{report.version}（{len(report.labels)} 个一级分类，评估 macro-F1"
            f" {report.macro_f1:.2f}，仅供体验）"
        )
        sub = report.subcategory
        if sub is None:
            self.stdout.write(
                self.style.WARNING(f"  二级分类模型：未训练（{report.subcategory_skipped}）")
            )
            return
        self.stdout.write(
            f"  二级分类模型：已用 {sub.n_train + sub.n_eval} 条线索训练 v{sub.version}"
            f"（{len(sub.labels)} 个二级分类，评估 macro-F1 {sub.macro_f1:.2f}）"
        )

    def _write_summary(self, summary: DemoLoadSummary) -> None:
        if summary.changed:
            self.stdout.write(self.style.SUCCESS("演示数据已载入（demo data loaded）："))
        else:
            self.stdout.write(
                self.style.SUCCESS("演示数据已是最新，未作任何修改（demo data already loaded）：")
            )
        for section in summary.sections:
            self.stdout.write(f"  {section.line()}")
            for note in section.notes:
                self.stdout.write(self.style.WARNING(f"    {note}"))
        statuses = "，".join(
            f"{ClueStatus(status).label} {count}"
            for status, count in summary.clues_by_status.items()
        )
        self.stdout.write(f"  线索状态：{statuses}")
        self.stdout.write(f"  已超期未办结：{summary.overdue}")

    def _write_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）/ demo logins:")
        width = max(len(account.username) for account in ROLE_ACCOUNTS)
        for account in ROLE_ACCOUNTS:
            role = Role(account.role).label
            self.stdout.write(f"  {account.username:<{width}}  {role}  {account.display_name}")
        others = "、".join(account.username for account in DEPARTMENT_ACCOUNTS)
        self.stdout.write(f"  其他承办单位承办人：{others}")
