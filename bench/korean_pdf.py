"""A Korean PDF (이력서 and 자기소개서): Noto Sans CJK KR reduced once to the letters Korean documents use
(occurisk_assets/assistant/korean_font.py) against the whole Noto Sans CJK collection, which every Korean PDF
parsed and subset before. The baseline is the same document with one Hanja letter added: such text still
takes the whole collection, exactly as all Korean text did."""

from __future__ import annotations

import os
import tempfile
import time

from bench.common import machine, median, timed, write_section
from occurisk_assets.assistant.documents import text_pdf
from occurisk_assets.assistant.korean_font import CJK_FONT, make_reduced_font
from occurisk_assets.assistant.korean_resume import korean_cover_letter, korean_resume
from occurisk_assets.lib.settings import get_settings

REPEAT = 5
# A 이력서 and 자기소개서 of one page each: two jobs, the person's duties in Korean, one O*NET task in English.
DUTIES = [
    "요금 문의 전화를 하루 80건 받고 불만을 해결했습니다",
    "신입 직원 12명을 교육했습니다",
    "계산대 정산을 맡았습니다",
]
KEYS = ("title", "employer", "start_year", "end_year", "task_ids", "duties")
JOBS = [
    dict(zip(KEYS, ("고객 상담원", "한빛통신", 2001, 2024, [1], DUTIES[:2]), strict=True)),
    dict(zip(KEYS, ("계산원", "동네마트", 1990, 2000, [], DUTIES[2:]), strict=True)),
]
TASKS = {1: {"task_statement": "Resolve customer complaints about billing.", "score": 0.3}}
HANJA = "\n성명: 金民俊"


def main() -> None:
    resume = korean_resume(JOBS, TASKS, age_neutral=True).text()
    letter = korean_cover_letter(JOBS, age_neutral=True, target_title="고객 성공 매니저").text()
    previous = os.environ.get("OCCURISK_HOME")
    with tempfile.TemporaryDirectory(prefix="occurisk-bench-font-") as home:
        os.environ["OCCURISK_HOME"] = home  # the reduced font is made here, as on a fresh install
        get_settings.cache_clear()
        load = os.getloadavg()[0]
        text_pdf(resume + HANJA)  # fpdf2 and fontTools imported: not counted in either
        started = time.perf_counter()
        make_reduced_font(*CJK_FONT)
        making_s = time.perf_counter() - started
        before = {
            name: median(timed(lambda t=t: text_pdf(t + HANJA), REPEAT)) for name, t in _docs(resume, letter)
        }
        after = {name: median(timed(lambda t=t: text_pdf(t), REPEAT)) for name, t in _docs(resume, letter)}
    if previous is None:
        os.environ.pop("OCCURISK_HOME")
    else:
        os.environ["OCCURISK_HOME"] = previous
    get_settings.cache_clear()
    rows = "\n".join(
        f"| {name} | {before[name] * 1000:.0f} ms | {after[name] * 1000:.0f} ms | {before[name] / after[name]:.1f}× |"
        for name in before
    )
    write_section(
        "korean_pdf",
        f"""## Korean PDF export (bench/korean_pdf.py)

{machine()}, load average {load:.1f} at the start (a shared machine inflates every time alike; the ratios
hold); medians of {REPEAT}. Before: each PDF parsed and subset the whole Noto Sans CJK collection (65,535
glyphs, 19 MB; measured as the same text plus one Hanja letter, which still takes that path). After: Noto
Sans CJK KR reduced to Hangul, Latin, digits and punctuation, made once per OCCURISK_HOME
(`fonts/NotoSansCJKkr-*.otf`; making it took {making_s:.1f} s, once, in a background thread started by the
first Korean PDF, which uses the whole collection meanwhile).

| document | before (whole collection) | after (reduced font) | speed-up |
|---|---|---|---|
{rows}
""",
    )


def _docs(resume: str, letter: str) -> list[tuple[str, str]]:
    return [
        ("이력서 (resume.pdf?language=ko)", resume),
        ("자기소개서 (cover-letter.pdf?language=ko)", letter),
    ]


if __name__ == "__main__":
    main()
