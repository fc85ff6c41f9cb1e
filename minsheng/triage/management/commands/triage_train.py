"""Retrain the category model from the database and/or labelled files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.triage.classifier.data import MessageFileError
from minsheng.triage.training import TrainingError, triage_train


class Command(BaseCommand):
    help = (
        "用数据库中已分类的线索和/或标注文件重新训练分类模型；"
        "新模型在评估集上不差于现用模型时才启用。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            action="append",
            default=[],
            type=Path,
            help="标注文件（XLSX/CSV，泰迪杯格式），可重复",
        )
        parser.add_argument("--no-database", action="store_true", help="不使用数据库中的线索")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = triage_train(files=options["file"], from_database=not options["no_database"])
        except (TrainingError, MessageFileError) as error:
            raise CommandError(str(error)) from error
        for part in (report, report.subcategory):
            if part is None:
                continue
            state = "activated" if part.activated else "stored, NOT activated (worse than active)"
            self.stderr.write(
                f"{part.kind} model v{part.version} {state}: macro-F1 {part.macro_f1:.3f} on "
                f"{part.n_eval} held-out clues (previous: {part.previous_macro_f1})"
            )
        if report.subcategory_skipped:
            self.stderr.write(f"subcategory model not trained: {report.subcategory_skipped}")
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
