"""Trained models on disk, under the data directory: where they live and which is active."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from minsheng.triage.models import ModelVersion

logger = logging.getLogger(__name__)

_cache: dict[str, tuple[int, Any]] = {}
_lock = threading.Lock()


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "models"


# Model kinds: first-level categories (labels are names), and second-level categories
# (labels are category ids, since names repeat across branches).
CATEGORY = "category"
SUBCATEGORY = "subcategory"


def active_model(kind: str) -> tuple[ModelVersion, Any] | None:
    """The active model of `kind`, loaded once per process per version.

    Missing or corrupt files are logged as an alert and treated as "no model": triage then
    leaves the clue to a human instead of failing.
    """
    version = ModelVersion.objects.filter(kind=kind, is_active=True).first()
    if version is None:
        return None
    with _lock:
        cached = _cache.get(kind)
        if cached is not None and cached[0] == version.pk:
            return version, cached[1]
    try:
        from minsheng.triage.classifier import load_model

        model = load_model(models_dir() / version.path)
    except Exception:  # a bad model file must not stop triage
        logger.exception("分类模型 %s 无法加载，线索将转人工分拣。", version)
        return None
    with _lock:
        _cache[kind] = (version.pk, model)
    return version, model


def clear_model_cache() -> None:
    with _lock:
        _cache.clear()
