"""List the waiting clues whose category an operator should set first (active learning)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minsheng.triage.selectors import clues_worth_labelling


class Command(BaseCommand):
    help = (
        "列出最值得人工确定分类的待分拣线索（模型最没把握、且彼此不重复）。"
        " List waiting clues whose label would teach the model most."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=20, help="条数")

    def handle(self, *args: Any, **options: Any) -> None:
        suggestions = clues_worth_labelling(limit=options["limit"])
        if not suggestions:
            self.stdout.write("没有可建议的线索（尚无模型，或待分拣线索都已有分类）。")
            return
        for item in suggestions:
            guesses = "，".join(f"{label} {p:.0%}" for label, p in item.guesses)
            self.stdout.write(f"{item.tracking_code}  {item.title[:30]}  [{guesses}]")
