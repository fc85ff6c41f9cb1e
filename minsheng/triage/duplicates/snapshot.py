"""One-file snapshots of a `DuplicateIndex`, so a worker starts without re-signing every clue.

A snapshot is an uncompressed ``.npz`` (a zip of ``.npy`` arrays, read with
``allow_pickle=False``) holding the index's arrays and a ``manifest`` array with UTF-8
JSON: the index format, the hasher's parameters, the number of rows and `up_to_pk`, the
highest clue id the snapshot has seen. A worker loads it and then indexes clues with a
larger id from the database, as it does every refresh.

Writes go to a temporary file in the same directory, are flushed to disk and then renamed
over the old snapshot (`os.replace`), so readers see the old file or the new one, never
half of one. Zip members carry CRC-32 checksums, so a damaged file fails to load with
`SnapshotError` instead of answering queries wrongly; the caller then rebuilds from the
database (`load_snapshot_or_empty` does that choice in one call).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .index import DuplicateIndex

logger = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1
# Under settings.DATA_DIR, beside the trained models (see minsheng/triage/registry.py).
SNAPSHOT_RELATIVE_PATH = Path("duplicates") / "open-clues.npz"
_MANIFEST = "manifest"


class SnapshotError(Exception):
    """The snapshot file exists but cannot be used (damaged, truncated, other format)."""


def default_snapshot_path() -> Path:
    """Where workers share the index: ``<DATA_DIR>/duplicates/open-clues.npz``."""
    from django.conf import settings

    return Path(settings.DATA_DIR) / SNAPSHOT_RELATIVE_PATH


def save_snapshot(index: DuplicateIndex, path: Path, *, up_to_pk: int) -> int:
    """Write `index` to `path` atomically; returns the file's size in bytes.

    `up_to_pk` is the highest clue id whose text the index reflects. Pending single adds
    are merged first, so hold whatever lock guards the index while this runs.
    """
    arrays, index_manifest = index.to_arrays()
    manifest = {"snapshot": SNAPSHOT_FORMAT, "up_to_pk": int(up_to_pk), "index": index_manifest}
    encoded = np.frombuffer(json.dumps(manifest).encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed on success
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            np.savez(handle, allow_pickle=False, **{_MANIFEST: encoded}, **arrays)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return path.stat().st_size


def load_snapshot(path: Path) -> tuple[DuplicateIndex, int]:
    """The index saved at `path` and its `up_to_pk`.

    Raises FileNotFoundError when there is no file, and SnapshotError (with the reason)
    when there is one that cannot be used.
    """
    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise SnapshotError(f"{path}: not a readable snapshot ({error})") from error
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise SnapshotError(f"{path}: not a snapshot (a single array, not an archive)")
    try:
        with archive:
            arrays = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise SnapshotError(f"{path}: damaged snapshot ({error})") from error
    try:
        manifest: dict[str, Any] = json.loads(arrays.pop(_MANIFEST).tobytes().decode("utf-8"))
        if manifest.get("snapshot") != SNAPSHOT_FORMAT:
            raise ValueError(f"unsupported snapshot format {manifest.get('snapshot')!r}")
        index = DuplicateIndex.from_arrays(arrays, manifest["index"])
        up_to_pk = int(manifest["up_to_pk"])
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as error:
        raise SnapshotError(f"{path}: unusable snapshot ({error})") from error
    return index, up_to_pk


def load_snapshot_or_empty(path: Path) -> tuple[DuplicateIndex, int]:
    """`load_snapshot`, or an empty index and 0 (index everything from the database).

    A missing file is normal on a first start; a damaged one is logged as an error so the
    operator reruns ``manage.py triage_index --rebuild``. Neither stops the worker.
    """
    try:
        return load_snapshot(path)
    except FileNotFoundError:
        logger.info("No duplicate index snapshot at %s; indexing from the database.", path)
    except SnapshotError:
        logger.exception("重复线索索引快照无法使用，将从数据库重建。")
    return DuplicateIndex(), 0
