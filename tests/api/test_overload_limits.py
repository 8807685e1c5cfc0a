"""A worker's own overload limits (api/overload_limits.py, used without Redis or when it is unreachable), and
what keeps its event loop free under expensive requests."""

from __future__ import annotations

import os
import signal
import subprocess

from fastapi.testclient import TestClient

from api.config import ApiSettings, get_api_settings
from api.main import create_app
from api.overload_limits import LocalLimits
from occurisk_assets.assistant import voice


def test_a_client_past_its_rate_is_refused_and_a_busy_refusal_costs_no_token():
    limits = LocalLimits(per_kind=1, per_client_per_minute=2, retry_after_s=7)
    assert limits.take("client", "letter").verdict == "admitted"
    busy = limits.take("client", "letter")
    assert (busy.verdict, busy.retry_after_s) == ("busy", 7)
    limits.give_back("letter")
    assert limits.take("client", "letter").verdict == "admitted"  # the busy refusal took no token
    limits.give_back("letter")
    limited = limits.take("client", "letter")
    assert limited.verdict == "rate_limited" and 1 <= limited.retry_after_s <= 30
    assert limits.take("another client", "letter").verdict == "admitted"
    limits.give_back("letter")
    assert limits.take("client", "resume").verdict == "admitted"  # each kind has its own bucket


def test_a_worker_transcribes_in_its_own_process_with_the_model_loaded_before_it_serves(fresh_database):
    """Its GIL is not the worker's, and loading the model (most of a second holding it) comes before serving."""
    with TestClient(create_app(fresh_database, ApiSettings(preload_speech_model=True))) as client:
        speech = client.app.state.speech
        assert speech.pool.submit(os.getpid).result() != os.getpid()
        assert speech.pool.submit(model_loaded).result()
        assert speech.pool.submit(os.nice, 0).result() > 0  # below the worker's priority


def test_a_speech_process_that_dies_is_started_again(fresh_database, tmp_path):
    """Killed (as running out of memory would kill it): the recording it held is answered 503 "send it once
    more", and the next one is transcribed by a new process instead of the same error until a restart."""
    wav = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(wav), "I drove delivery trucks."], check=True)
    sent = {"files": {"audio": ("a.wav", wav.read_bytes())}, "data": {"language": "en"}}
    with TestClient(create_app(fresh_database)) as client:
        speech = client.app.state.speech
        first = speech.pool.submit(os.getpid).result()
        os.kill(first, signal.SIGKILL)
        lost = client.post("/api/v1/transcribe", **sent)
        assert lost.status_code == 503 and "send it once more" in lost.json()["detail"]
        heard = client.post("/api/v1/transcribe", **sent)
        assert heard.status_code == 200 and "truck" in heard.json()["text"].lower()
        assert speech.pool.submit(os.getpid).result() not in (first, os.getpid())


def model_loaded() -> bool:
    return voice._model.cache_info().currsize == 1


def test_speech_is_transcribed_in_the_speech_process_and_its_problems_keep_their_status(
    fresh_database, tmp_path, monkeypatch
):
    wav = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(wav), "I drove delivery trucks."], check=True)
    with TestClient(create_app(fresh_database)) as client:
        sent = {"files": {"audio": ("a.wav", wav.read_bytes())}, "data": {"language": "en"}}
        heard = client.post("/api/v1/transcribe", **sent)
        assert heard.status_code == 200 and "truck" in heard.json()["text"].lower()
        monkeypatch.setattr(get_api_settings(), "transcribe_max_seconds", 0.5)
        too_long = client.post("/api/v1/transcribe", **sent)
        assert too_long.status_code == 413 and "the limit is 0 s" in too_long.json()["detail"]
