"""manage.py triage_evaluate: the JSON interface other tooling parses, without a database."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from minsheng.triage.tests.classifier.conftest import make_corpus

KEYS = {
    "macro_f1",
    "accuracy",
    "per_class",
    "train_seconds",
    "predict_ms_per_message",
    "n_train",
    "n_test",
}
ROOT = Path(__file__).resolve().parents[4]


def _write(path: Path, texts, labels, *, with_label: bool = True) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["留言主题", "留言详情", *(["一级分类"] if with_label else [])])
        for text, label in zip(texts, labels, strict=True):
            title, _, body = text.partition("\n")
            writer.writerow([title, body, *([label] if with_label else [])])
    return path


def _run(*args: str) -> dict:
    out = StringIO()
    call_command("triage_evaluate", *args, "--json", stdout=out, stderr=StringIO())
    result: dict = json.loads(out.getvalue().strip().splitlines()[-1])
    return result


def test_held_out_mode_prints_the_json_keys(tmp_path):
    # Given a training file, an unlabelled file and a test file
    train = _write(tmp_path / "train.csv", *make_corpus(15, seed=1))
    pool_texts, _ = make_corpus(5, seed=2)
    pool = _write(tmp_path / "pool.csv", pool_texts, pool_texts, with_label=False)
    test = _write(tmp_path / "test.csv", *make_corpus(5, seed=3))

    # When evaluating
    result = _run("--train", str(train), "--unlabelled", str(pool), "--test", str(test))

    # Then the last line is JSON with every documented key, and the test file was scored
    assert set(result) >= KEYS
    assert result["n_train"] == 45
    assert result["n_test"] + result["n_test_dropped_overlap"] == 15
    assert result["macro_f1"] >= 0.8


def test_cv_mode_reports_per_fold_scores(tmp_path):
    train = _write(tmp_path / "train.csv", *make_corpus(10))
    result = _run("--train", str(train), "--cv", "3", "--grouped")
    assert set(result) >= KEYS | {"folds"}
    assert len(result["folds"]) == 3


def test_baseline_model_can_be_chosen(tmp_path):
    train = _write(tmp_path / "train.csv", *make_corpus(10))
    result = _run("--train", str(train), "--cv", "2", "--model", "char-svm")
    assert set(result) >= KEYS


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--train", "absent.csv", "--cv", "2"], "not found"),
        (["--train", "unlabelled.csv", "--cv", "2"], "一级分类"),
        (["--train", "train.csv"], "exactly one"),
        (["--train", "train.csv", "--cv", "1"], "at least 2"),
        (["--train", "train.csv", "--test", "train.csv"], "no labelled rows"),
    ],
)
def test_bad_arguments_raise_command_error(tmp_path, args, message):
    # Given a labelled and an unlabelled file
    texts, labels = make_corpus(4)
    _write(tmp_path / "train.csv", texts, labels)
    _write(tmp_path / "unlabelled.csv", texts, labels, with_label=False)
    resolved = [str(tmp_path / a) if a.endswith(".csv") else a for a in args]

    # When / Then
    with pytest.raises(CommandError, match=message):
        call_command("triage_evaluate", *resolved, "--json", stdout=StringIO())


def test_runs_as_a_process_with_logs_on_stderr_only(tmp_path):
    # Given a training file and a database that does not exist
    train = _write(tmp_path / "train.csv", *make_corpus(8))
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'never-created.sqlite3'}"}

    # When running the command as other tooling does
    completed = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "triage_evaluate",
            "--train",
            str(train),
            "--cv",
            "2",
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, **env},
        timeout=120,
    )

    # Then stdout's last line is the JSON, progress went to stderr, no database was made
    assert set(json.loads(completed.stdout.strip().splitlines()[-1])) >= KEYS
    assert "fold 1/2" in completed.stderr
    assert not (tmp_path / "never-created.sqlite3").exists()


def test_replies_of_unlabelled_files_become_weak_labels(tmp_path):
    # given a few labels and an unlabelled file whose replies name the answering bureau
    train = _write(tmp_path / "train.csv", *make_corpus(2, seed=1))
    pool_texts, pool_labels = make_corpus(5, seed=2)
    bureaus = {"交通运输": "市交通运输局", "教育文体": "区教育局", "环境保护": "市生态环境局"}
    pool = tmp_path / "replies.csv"
    with pool.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["留言主题", "留言详情", "答复意见"])
        for text, label in zip(pool_texts, pool_labels, strict=True):
            title, _, body = text.partition("\n")
            writer.writerow([title, body, f"经{bureaus[label]}核查，已处理。"])
    test = _write(tmp_path / "test.csv", *make_corpus(5, seed=3))

    # when evaluating with that file as unlabelled
    result = _run("--train", str(train), "--unlabelled", str(pool), "--test", str(test))

    # then its 15 messages trained as weak labels
    assert result["n_train"] == 6
    assert result["n_weak_labels"] == 15
