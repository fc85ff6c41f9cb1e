"""triage_train: new versions with metrics, activated only when not worse; triage uses them."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from minsheng.clues.tests.conftest import World, receive
from minsheng.directory.models import Category
from minsheng.testing.shared_data import TEDDY_CATEGORIES, shared_file
from minsheng.triage import services, training
from minsheng.triage.models import ModelVersion, TriageStatus


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_training_on_a_labelled_file_activates_a_model_that_triage_then_uses(
    world: World, data_dir, capsys
) -> None:
    # given the small labelled Teddy sample and categories named like its labels
    path = shared_file("messages_labelled.xlsx")
    labels = {name: Category.objects.create(name=name) for name in TEDDY_CATEGORIES}

    # when the model is trained from the file only
    call_command("triage_train", "--file", str(path), "--no-database")

    # then version 1 is stored under the data directory, active, with its metrics
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["version"] == 1
    assert report["activated"] is True
    version = ModelVersion.objects.get(is_active=True)
    assert (data_dir / "models" / version.path).is_dir()
    assert not list((data_dir / "models").rglob("*.pkl"))
    assert 0.0 < version.metrics["macro_f1_eval"] <= 1.0

    # and triage now suggests first-level categories with probabilities
    clue = receive(
        world,
        title="小区旁边工地夜间施工噪音扰民",
        content="工地每晚施工到凌晨，严重影响居民休息，请环保部门查处。",
        category=None,
    )
    result = services.triage_clue(clue_id=clue.pk)
    assert result is not None
    assert result.status in (TriageStatus.DONE, TriageStatus.NEEDS_HUMAN)
    assert len(result.categories) == 3
    assert result.categories[0]["category_id"] == labels[result.categories[0]["label"]].pk
    probabilities = [item["probability"] for item in result.categories]
    assert probabilities == sorted(probabilities, reverse=True)
    assert result.model_version == version


@pytest.mark.django_db
def test_a_worse_model_is_stored_but_not_activated(world: World, data_dir, monkeypatch) -> None:
    path = shared_file("messages_labelled.xlsx")
    training.triage_train(files=[path], from_database=False)
    scores = iter([0.40, 0.90])  # the candidate, then the active model, on the same split
    monkeypatch.setattr(training, "_macro_f1", lambda *args: next(scores))

    report = training.triage_train(files=[path], from_database=False)

    assert (report.version, report.activated) == (2, False)
    assert ModelVersion.objects.get(is_active=True).version == 1
    assert ModelVersion.objects.get(version=2).metrics["previous_macro_f1_eval"] == 0.90


@pytest.mark.django_db
def test_too_little_labelled_data_is_a_clear_error(world: World, data_dir) -> None:
    receive(world)
    with pytest.raises(CommandError, match="标注数据不足"):
        call_command("triage_train")


def _history_file(path, *, answered_repeats: bool = False):
    """30 labelled messages and 60 unlabelled ones whose replies name the bureau; with
    `answered_repeats`, the labelled messages come again unlabelled, with a reply."""
    import csv

    from minsheng.triage.tests.classifier.conftest import make_corpus

    bureaus = {"交通运输": "市交通运输局", "教育文体": "区教育局", "环境保护": "市生态环境局"}
    labelled = list(zip(*make_corpus(10, seed=1), strict=True))
    answered = list(zip(*make_corpus(20, seed=2), strict=True))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["留言主题", "留言详情", "一级分类", "答复意见"])
        for text, label in labelled:
            writer.writerow([*text.split("\n"), label, ""])
        for text, label in answered + (labelled if answered_repeats else []):
            writer.writerow([*text.split("\n"), "", f"经{bureaus[label]}核查，已处理。"])
    return path, [text for text, _ in labelled]


@pytest.mark.django_db
def test_answered_messages_in_a_file_train_as_weak_labels(world: World, data_dir) -> None:
    # given 30 labelled messages and 60 unlabelled ones whose replies name the bureau
    path, _ = _history_file(data_dir / "history.csv")

    # when training from the file
    report = training.triage_train(files=[path], from_database=False)

    # then the stored version learnt from the 60 weak labels besides the 30 real ones
    version = ModelVersion.objects.get(version=report.version)
    assert version.metrics["n_labelled"] == 30
    assert version.metrics["n_weak_labels"] == 60


@pytest.mark.django_db
def test_weak_labels_on_held_out_texts_stay_out_of_the_candidate(
    world: World, data_dir, monkeypatch
) -> None:
    # given labelled messages that also come again unlabelled, answered
    path, labelled = _history_file(data_dir / "history.csv", answered_repeats=True)
    calls = []
    from minsheng.triage.classifier import train_classifier as real_train

    def spy(texts, labels, **kwargs):
        calls.append((list(texts), list(kwargs["weak_labels"])))
        return real_train(texts, labels, **kwargs)

    monkeypatch.setattr(training, "train_classifier", spy)

    # when training
    training.triage_train(files=[path], from_database=False)

    # then the candidate scored on the held-out split saw no weak label on those texts
    candidate_texts, candidate_weak = calls[0]
    held_out = set(labelled) - set(candidate_texts)
    assert held_out
    assert not held_out & {text for text, _ in candidate_weak}
    assert len(calls[1][1]) == 90  # the final model gets them all
