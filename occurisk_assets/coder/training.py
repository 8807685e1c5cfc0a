"""Train, evaluate and register the coder of one data_version."""

from __future__ import annotations

import time

import psycopg

from occurisk_assets.coder.corpus import in_calibration_half, read_corpus
from occurisk_assets.coder.model import OccupationCoder
from occurisk_assets.coder.registry import Registration, register
from occurisk_assets.lib.mlflow_store import MlflowStore


def train_coder(
    conn: psycopg.Connection, data_version: str, store: MlflowStore | None = None
) -> Registration:
    corpus = read_corpus(conn, data_version)
    started = time.monotonic()
    coder = OccupationCoder.fit(corpus)
    coder.vector_cache = {}  # the held-out titles are embedded once, for calibration and evaluation
    coder.calibrate([e for e in corpus.held_out if in_calibration_half(e.text)])
    seconds = time.monotonic() - started
    metrics = coder.evaluate(corpus.held_out)
    coder.vector_cache = None
    return register(coder, corpus, metrics, seconds, store)
