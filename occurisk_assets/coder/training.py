"""Train, evaluate and register the coder of one data_version."""

from __future__ import annotations

import time

import psycopg

from occurisk_assets.coder.corpus import Corpus, in_calibration_half, read_corpus
from occurisk_assets.coder.fitted import Fitted, keep_fitted, load_fitted
from occurisk_assets.coder.model import OccupationCoder
from occurisk_assets.coder.registry import Registration, register, reuse_trained, training_fingerprint
from occurisk_assets.lib.mlflow_store import MlflowStore


def train_coder(
    conn: psycopg.Connection, data_version: str, store: MlflowStore | None = None
) -> Registration:
    corpus = read_corpus(conn, data_version)
    registration = reuse_trained(corpus, store)
    if registration is None:
        registration = _train_and_register(corpus, store)
    record_evaluation(conn, data_version, registration)
    return registration


def _train_and_register(corpus: Corpus, store: MlflowStore | None) -> Registration:
    """Fit (or take the same fit made on this machine before: coder/fitted.py) and register."""
    fingerprint = training_fingerprint(corpus)
    fitted = load_fitted(fingerprint)
    if fitted is None:
        fitted = _fit(corpus)
        keep_fitted(fingerprint, fitted)
    return register(fitted.coder, corpus, fitted.metrics, fitted.train_seconds, store)


def _fit(corpus: Corpus) -> Fitted:
    started = time.monotonic()
    coder = OccupationCoder.fit(corpus)
    coder.vector_cache = {}  # the held-out titles are embedded once, for calibration and evaluation
    coder.calibrate([e for e in corpus.held_out if in_calibration_half(e.text)])
    seconds = time.monotonic() - started
    metrics = coder.evaluate(corpus.held_out)
    coder.vector_cache = None
    return Fitted(coder, metrics, seconds)


def record_evaluation(conn: psycopg.Connection, data_version: str, registration: Registration) -> None:
    """The registered version's held-out accuracy in core.coder_evaluation, for the API's /metrics (its
    collector cannot read MLflow); again for the same version (a reused corpus) it is replaced."""
    conn.execute(
        """INSERT INTO core.coder_evaluation (model_version, data_version, heldout_top1, heldout_top3, heldout_n)
           VALUES (%s, %s, %s, %s, %s)
           ON CONFLICT (model_version) DO UPDATE SET heldout_top1 = EXCLUDED.heldout_top1,
               heldout_top3 = EXCLUDED.heldout_top3, heldout_n = EXCLUDED.heldout_n, evaluated_at = now()""",
        (
            f"{registration.name}/{registration.version}",
            data_version,
            registration.top1,
            registration.top3,
            registration.n_held_out,
        ),
    )
