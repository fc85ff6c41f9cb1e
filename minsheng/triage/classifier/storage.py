"""Saving a classifier as JSON plus `.npy` arrays, never pickle.

A pickled model runs arbitrary code when loaded; these files are plain data, so a model
directory can be shared between sites and inspected by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from minsheng.triage.classifier.charngrams import CharNgramTfidf
from minsheng.triage.classifier.features import FeatureSpaces, Vectorizer, build_vectorizer
from minsheng.triage.classifier.model import CategoryClassifier

# Version 2 added alphabet_<space>.npy for character n-grams longer than three (the
# dictionary word space); version 1 directories load unchanged.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
MODEL_FILE = "model.json"


class ModelLoadError(Exception):
    """A model directory is missing, incomplete or not a model this code can read."""


def save_model(model: CategoryClassifier, directory: Path) -> None:
    """Write model.json, coef.npy, intercept.npy and one idf_<space>.npy per space.

    Character spaces add keys_<space>.npy, and alphabet_<space>.npy when they have one.
    """
    directory.mkdir(parents=True, exist_ok=True)
    spaces: dict[str, Any] = {}
    for name, vectorizer in model.features.vectorizers.items():
        space: dict[str, Any] = {"weight": model.features.weights[name]}
        if isinstance(vectorizer, CharNgramTfidf):
            # Character n-grams are int64 codes (21 bits per code point), see charngrams.
            np.save(directory / f"keys_{name}.npy", vectorizer.keys)
            np.save(directory / f"idf_{name}.npy", vectorizer.idf)
            if vectorizer.uses_alphabet:
                np.save(directory / f"alphabet_{name}.npy", vectorizer.alphabet)
        else:
            space["vocabulary"] = {term: int(col) for term, col in vectorizer.vocabulary_.items()}
            np.save(directory / f"idf_{name}.npy", np.asarray(vectorizer.idf_, dtype=np.float64))
        spaces[name] = space
    np.save(directory / "coef.npy", model.coef)
    np.save(directory / "intercept.npy", model.intercept)
    document = {
        "format_version": FORMAT_VERSION,
        "labels": model.labels,
        "temperature": model.temperature,
        "params": model.params,
        "metrics": model.metrics,
        "spaces": spaces,
    }
    (directory / MODEL_FILE).write_text(json.dumps(document, ensure_ascii=False), "utf-8")


def load_model(directory: Path) -> CategoryClassifier:
    """Read a directory written by `save_model`; any defect raises `ModelLoadError`."""
    try:
        document = json.loads((directory / MODEL_FILE).read_text("utf-8"))
        if document.get("format_version") not in READABLE_VERSIONS:
            raise ModelLoadError(f"{directory}: unsupported model format")
        params: dict[str, Any] = document["params"]
        vectorizers: dict[str, Vectorizer] = {}
        weights: dict[str, float] = {}
        for name, space in document["spaces"].items():
            vectorizer = build_vectorizer(name, params)
            idf = _array(directory / f"idf_{name}.npy").astype(np.float64)
            if isinstance(vectorizer, CharNgramTfidf):
                vectorizer.keys = _array(directory / f"keys_{name}.npy").astype(np.int64)
                vectorizer.idf = idf
                if vectorizer.keys.shape != idf.shape:
                    raise ModelLoadError(f"{directory}: {name} keys and idf differ in length")
                if vectorizer.uses_alphabet:
                    alphabet = _array(directory / f"alphabet_{name}.npy").astype(np.int64)
                    if alphabet.ndim != 1:
                        raise ModelLoadError(f"{directory}: {name} alphabet is not a list")
                    vectorizer.alphabet = alphabet
            else:
                vocabulary = {str(term): int(col) for term, col in space["vocabulary"].items()}
                vectorizer.vocabulary_ = vocabulary
                vectorizer.idf_ = idf
            vectorizers[name] = vectorizer
            weights[name] = float(space["weight"])
        labels = [str(label) for label in document["labels"]]
        coef = _array(directory / "coef.npy").astype(np.float32)
        intercept = _array(directory / "intercept.npy").astype(np.float32)
        width = sum(_width(vectorizer) for vectorizer in vectorizers.values())
        if coef.shape != (len(labels), width) or intercept.shape != (len(labels),):
            raise ModelLoadError(f"{directory}: array shapes do not match the vocabulary")
        return CategoryClassifier(
            labels=labels,
            features=FeatureSpaces(vectorizers, weights, params),
            coef=coef,
            intercept=intercept,
            temperature=float(document["temperature"]),
            params=params,
            metrics=dict(document.get("metrics") or {}),
        )
    except ModelLoadError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ModelLoadError(f"{directory}: cannot load model ({error})") from error


def _array(path: Path) -> np.ndarray[Any, Any]:
    array: np.ndarray[Any, Any] = np.load(path, allow_pickle=False)
    return array


def _width(vectorizer: Vectorizer) -> int:
    if isinstance(vectorizer, CharNgramTfidf):
        return vectorizer.n_features
    return len(vectorizer.vocabulary_)
