"""save_model / load_model: plain JSON and .npy files, clear errors when damaged."""

from __future__ import annotations

import json

import numpy as np
import pytest

from minsheng.triage.classifier import ModelLoadError, load_model, save_model
from minsheng.triage.tests.classifier.conftest import make_corpus


def test_round_trip_gives_identical_predictions(trained, tmp_path):
    # Given a trained model saved to a directory
    save_model(trained, tmp_path / "model")

    # When loading it back
    loaded = load_model(tmp_path / "model")

    # Then labels, metrics and every probability are the same
    texts, _ = make_corpus(5, seed=3)
    texts += ["", "😀", "<b>学校</b>"]
    assert loaded.labels == trained.labels
    assert loaded.metrics == trained.metrics
    np.testing.assert_array_equal(loaded.predict_proba(texts), trained.predict_proba(texts))
    assert loaded.predict_top(texts) == trained.predict_top(texts)


def test_saved_files_are_json_and_plain_arrays(trained, tmp_path):
    # Given a saved model / When reading its files without pickle
    save_model(trained, tmp_path)
    document = json.loads((tmp_path / "model.json").read_text("utf-8"))

    # Then the JSON names the labels and every .npy loads with allow_pickle=False
    assert document["labels"] == trained.labels
    for path in tmp_path.glob("*.npy"):
        np.load(path, allow_pickle=False)
    assert not list(tmp_path.glob("*.pkl"))


def test_missing_directory_raises_model_load_error(tmp_path):
    with pytest.raises(ModelLoadError, match="cannot load"):
        load_model(tmp_path / "absent")


@pytest.mark.parametrize(
    "damage", ["json", "npy", "missing-npy", "missing-alphabet", "shape", "version"]
)
def test_damaged_model_raises_model_load_error(trained, tmp_path, damage):
    # Given a saved model that is then damaged
    save_model(trained, tmp_path)
    if damage == "json":
        (tmp_path / "model.json").write_text("{not json", "utf-8")
    elif damage == "npy":
        (tmp_path / "coef.npy").write_bytes(b"garbage")
    elif damage == "missing-npy":
        (tmp_path / "idf_char.npy").unlink()
    elif damage == "missing-alphabet":
        (tmp_path / "alphabet_word.npy").unlink()
    elif damage == "shape":
        np.save(tmp_path / "coef.npy", np.zeros((2, 2), dtype=np.float32))
    else:
        document = json.loads((tmp_path / "model.json").read_text("utf-8"))
        document["format_version"] = 999
        (tmp_path / "model.json").write_text(json.dumps(document), "utf-8")

    # When / Then loading fails with the one documented error
    with pytest.raises(ModelLoadError):
        load_model(tmp_path)


def test_pickled_array_is_refused(trained, tmp_path):
    # Given an object array (which numpy can only store by pickling) in place of the idf
    save_model(trained, tmp_path)
    np.save(tmp_path / "idf_word.npy", np.array([object()], dtype=object), allow_pickle=True)

    # When / Then it is not unpickled
    with pytest.raises(ModelLoadError):
        load_model(tmp_path)
