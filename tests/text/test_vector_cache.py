"""The on-disk cache of meaning vectors: the same vectors as the encoder, each distinct text encoded once per
machine, and a damaged file set aside rather than failing a build."""

from __future__ import annotations

import numpy as np
import pytest

from occurisk_assets.lib.settings import get_settings
from occurisk_assets.text import vector_cache
from occurisk_assets.text.encoder import encode

TEXTS = ["Registered Nurses", "간호사", "Operate forklifts to move pallets", "Registered Nurses", ""]


@pytest.fixture
def private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("OCCURISK_HOME", str(tmp_path))
    monkeypatch.delenv("OCCURISK_VECTOR_CACHE_DIR", raising=False)  # the run's shared one
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_vectors_are_the_encoders_and_each_text_is_encoded_once(private_home):
    first = vector_cache.encode_reusing(TEXTS)
    assert first.encoded_now == 4  # distinct texts: the repeated title once, the blank one too
    assert np.allclose(first.vectors, encode(TEXTS), atol=1e-5)
    again = vector_cache.encode_reusing(list(reversed(TEXTS)) + ["Cook short-order meals"])
    assert again.encoded_now == 1
    assert np.array_equal(again.vectors[:5], first.vectors[::-1])
    assert vector_cache.cache_path().parent == private_home / "cache"


def test_a_damaged_cache_file_is_set_aside_and_the_build_goes_on(private_home):
    path = vector_cache.cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database, a half-written file" * 100)
    encoded = vector_cache.encode_reusing(TEXTS[:2])
    assert encoded.encoded_now == 2 and np.allclose(encoded.vectors, encode(TEXTS[:2]), atol=1e-5)
    assert path.with_suffix(".damaged").exists()
    assert vector_cache.encode_reusing(TEXTS[:2]).encoded_now == 0
