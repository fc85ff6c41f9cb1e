"""Evaluate the category classifier on Teddy Cup style files (no database involved).

    manage.py triage_evaluate --train FILE [--train FILE ...] [--unlabelled FILE ...]
        (--test FILE | --cv K [--grouped]) [--taxonomy FILE] [--model NAME] [--json]

Trains from scratch on the given files only. With --json the LAST line of stdout is one
JSON object (macro_f1, accuracy, per_class, train_seconds, predict_ms_per_message,
n_train, n_test; plus folds in CV mode); progress goes to stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.triage.classifier.baselines import TRAINERS
from minsheng.triage.classifier.data import (
    MessageFileError,
    read_messages,
    read_taxonomy,
    unlabelled_files,
)
from minsheng.triage.classifier.evaluation import Trainer, cross_validate, evaluate_split
from minsheng.triage.classifier.features import clean_text
from minsheng.triage.classifier.training import train_classifier

MODELS: dict[str, Trainer] = {"minsheng": train_classifier, **TRAINERS}


class Command(BaseCommand):
    help = "Train the triage category classifier on files and report held-out or CV scores."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", action="append", required=True, type=Path)
        parser.add_argument("--unlabelled", action="append", default=[], type=Path)
        parser.add_argument("--test", type=Path)
        parser.add_argument("--cv", type=int, help="stratified K-fold CV on the training files")
        parser.add_argument(
            "--grouped",
            action="store_true",
            help="CV keeps identical normalised texts in the same fold (no duplicate leakage)",
        )
        parser.add_argument("--taxonomy", type=Path, help="taxonomy.xlsx: label-name hints")
        parser.add_argument("--model", choices=sorted(MODELS), default="minsheng")
        parser.add_argument(
            "--keep-overlap",
            action="store_true",
            help="keep test rows whose text also appears in the training files",
        )
        parser.add_argument("--json", action="store_true", help="last stdout line is JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if (options["test"] is None) == (options["cv"] is None):
            raise CommandError("give exactly one of --test FILE and --cv K")
        if options["cv"] is not None and options["cv"] < 2:
            raise CommandError("--cv needs at least 2 folds")
        try:
            result = self._evaluate(options)
        except MessageFileError as error:
            raise CommandError(str(error)) from error
        except ValueError as error:
            raise CommandError(f"cannot evaluate: {error}") from error
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")

    def _evaluate(self, options: dict[str, Any]) -> dict[str, Any]:
        texts: list[str] = []
        labels: list[str] = []
        for path in options["train"]:
            rows = read_messages(path, need_label=True)
            texts += rows.texts
            labels += rows.labels
        unlabelled, weak = unlabelled_files(options["unlabelled"], labels=set(labels) - {""})
        hints = read_taxonomy(options["taxonomy"]) if options["taxonomy"] else None
        trainer = MODELS[options["model"]]
        self._log(
            f"{sum(1 for label in labels if label)} labelled, {len(unlabelled)} unlabelled, "
            f"{len(weak)} with a weak label from the department named in the reply"
        )
        if options["cv"] is not None:
            return cross_validate(
                texts=texts,
                labels=labels,
                folds=options["cv"],
                grouped=options["grouped"],
                unlabelled=unlabelled,
                label_hints=hints,
                weak_labels=weak,
                trainer=trainer,
                progress=self._log,
            )
        test = read_messages(options["test"], need_label=True)
        pairs = [(t, label) for t, label in zip(test.texts, test.labels, strict=True) if label]
        dropped = 0
        if not options["keep_overlap"]:
            seen = {clean_text(text) for text, label in zip(texts, labels, strict=True) if label}
            kept = [(t, label) for t, label in pairs if clean_text(t) not in seen]
            dropped, pairs = len(pairs) - len(kept), kept
        if not pairs:
            raise CommandError("the test file has no labelled rows left to score")
        self._log(f"{len(pairs)} test rows ({dropped} dropped: same text as a training row)")
        result = evaluate_split(
            train_texts=texts,
            train_labels=labels,
            test_texts=[text for text, _ in pairs],
            test_labels=[label for _, label in pairs],
            unlabelled=unlabelled,
            label_hints=hints,
            weak_labels=weak,
            trainer=trainer,
        )
        result["n_test_dropped_overlap"] = dropped
        return result

    def _log(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)
