"""First-level category classifier for triage (issue 3, step 2).

Public API: `train_classifier`, `CategoryClassifier.predict_top`, `suggest_for_labelling`,
`save_model` / `load_model` (JSON + numpy arrays, never pickle).
"""

from __future__ import annotations

from minsheng.triage.classifier.model import CategoryClassifier
from minsheng.triage.classifier.storage import ModelLoadError, load_model, save_model
from minsheng.triage.classifier.training import suggest_for_labelling, train_classifier

__all__ = [
    "CategoryClassifier",
    "ModelLoadError",
    "load_model",
    "save_model",
    "suggest_for_labelling",
    "train_classifier",
]
