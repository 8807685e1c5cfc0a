"""Coders already fitted on this machine, kept by training fingerprint (registry.training_fingerprint: the
corpus, the training code and parameters, the encoder). A platform whose MLflow store lacks that version — a
new platform, a store started again, each test platform — registers the kept model and its held-out
evaluation instead of fitting the same corpus with the same code again (on O*NET 30.1: fit and register
12.5 s of CPU, register the kept fit 1.7 s; most of the difference is counting TF-IDF n-grams in Python).

Kept beside the text vectors (OCCURISK_HOME/cache, or OCCURISK_VECTOR_CACHE_DIR), one folder per fingerprint
(~23 MB), written under a temporary name and renamed, so a half-written folder is never read. It is a cache:
a folder that cannot be read is fitted again, never an error. Only O*NET text is ever fitted, never a
person's words."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from occurisk_assets.coder.model import OccupationCoder
from occurisk_assets.lib.settings import get_settings

log = logging.getLogger(__name__)

MODEL = "model"
EVALUATION = "evaluation.json"


@dataclass(frozen=True)
class Fitted:
    coder: OccupationCoder
    metrics: dict  # OccupationCoder.evaluate on the corpus's held-out titles
    train_seconds: float


def folder(fingerprint: str) -> Path:
    return get_settings().vector_cache_path / "coders" / fingerprint


def load_fitted(fingerprint: str) -> Fitted | None:
    """The coder fitted before with this fingerprint, or None."""
    path = folder(fingerprint)
    if not path.exists():
        return None
    try:
        evaluation = json.loads((path / EVALUATION).read_text())
        return Fitted(OccupationCoder.load(path / MODEL), evaluation["metrics"], evaluation["train_seconds"])
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:  # npz files are zip files
        log.warning("fitted coder %s unreadable (%s): fitting again", path.name, type(exc).__name__)
        return None


def keep_fitted(fingerprint: str, fitted: Fitted) -> None:
    """Keep `fitted` for the next platform; another process that kept it first wins."""
    path = folder(fingerprint)
    if path.exists():
        return
    partial = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=path.parent))
        fitted.coder.save(partial / MODEL)
        (partial / EVALUATION).write_text(
            json.dumps({"metrics": fitted.metrics, "train_seconds": fitted.train_seconds})
        )
        partial.rename(path)
    except OSError as exc:  # another process's folder is there now, the disk is full, no write access
        log.warning("fitted coder not kept (%s)", type(exc).__name__)
    finally:
        if partial is not None:
            shutil.rmtree(partial, ignore_errors=True)
