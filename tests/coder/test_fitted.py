"""Coders fitted on this machine are kept by training fingerprint and registered in another MLflow store
without fitting again (occurisk_assets/coder/fitted.py)."""

from __future__ import annotations

import pytest

from occurisk_assets.coder import fitted, registry, training
from occurisk_assets.coder.fitted import Fitted, keep_fitted, load_fitted
from occurisk_assets.coder.model import OccupationCoder
from occurisk_assets.lib.mlflow_store import MlflowStore
from tests.coder.test_coder import _same_coding, _tiny_corpus


@pytest.fixture
def kept_in(tmp_path, monkeypatch):
    monkeypatch.setattr(fitted, "folder", lambda fingerprint: tmp_path / "coders" / fingerprint)
    return tmp_path / "coders"


def _fit_uncalibrated(corpus) -> Fitted:
    """The tiny corpus has too few held-out titles to calibrate on: fitted and evaluated as it is."""
    coder = OccupationCoder.fit(corpus)
    return Fitted(coder, coder.evaluate(corpus.held_out), 0.25)


def test_a_kept_coder_reads_back_codes_alike_and_a_damaged_one_is_fitted_again(kept_in):
    corpus = _tiny_corpus("kept-test", True)
    made = _fit_uncalibrated(corpus)
    fingerprint = registry.training_fingerprint(corpus)
    assert load_fitted(fingerprint) is None
    keep_fitted(fingerprint, made)
    read = load_fitted(fingerprint)
    assert read.metrics == made.metrics and read.train_seconds == 0.25
    _same_coding(made.coder, read.coder, [e.text for e in corpus.held_out] + ["truck driver", "nurse"])
    assert [p.name for p in kept_in.iterdir()] == [fingerprint]  # no partial folder left behind

    keep_fitted(fingerprint, _fit_uncalibrated(_tiny_corpus("kept-test", False)))  # kept first wins
    assert load_fitted(fingerprint).metrics == made.metrics

    weights = kept_in / fingerprint / fitted.MODEL / "weights.npz"
    weights.write_bytes(weights.read_bytes()[:100])  # cut short, as by a full disk
    assert load_fitted(fingerprint) is None
    (kept_in / fingerprint / fitted.EVALUATION).write_text("{not json")
    assert load_fitted(fingerprint) is None


def test_a_cache_that_cannot_be_written_only_costs_the_next_fit(tmp_path, monkeypatch, caplog):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setattr(fitted, "folder", lambda fingerprint: blocked / "coders" / fingerprint)
    corpus = _tiny_corpus("unwritable-test", True)
    keep_fitted(registry.training_fingerprint(corpus), _fit_uncalibrated(corpus))
    assert "fitted coder not kept (NotADirectoryError)" in caplog.text
    assert load_fitted(registry.training_fingerprint(corpus)) is None


def test_a_new_store_registers_the_fit_made_for_another_without_fitting(
    pg_server, kept_in, monkeypatch, tmp_path
):
    fits = []

    def counted_fit(corpus):
        fits.append(corpus.data_version)
        return _fit_uncalibrated(corpus)

    monkeypatch.setattr(training, "_fit", counted_fit)
    corpus = _tiny_corpus("kept-across-stores", True)
    first = training._train_and_register(corpus, None)  # the session's store
    other = MlflowStore(f"sqlite:///{tmp_path / 'mlflow.db'}", str(tmp_path / "artifacts"))
    second = training._train_and_register(corpus, other)
    assert fits == ["kept-across-stores"]
    assert not second.reused and second.promoted and second.version == "1"
    assert (second.top1, second.top3, second.n_held_out) == (first.top1, first.top3, first.n_held_out)
    mlflow_client = other.client()
    production = registry.production_version(mlflow_client, corpus.data_version)
    registered = OccupationCoder.load(registry.download(mlflow_client, production, tmp_path / "download"))
    _same_coding(
        load_fitted(registry.training_fingerprint(corpus)).coder, registered, ["lorry driver", "nurse"]
    )
