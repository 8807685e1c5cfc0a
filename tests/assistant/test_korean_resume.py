"""The Korean 이력서 and 자기소개서: Korean sections and dates, from the person's own text, no photo, birth
date, age, family, marital status or home region, the age-neutral choice honoured, nothing invented; .docx
and .pdf read back with their Korean text."""

from __future__ import annotations

import io
import re

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from occurisk_assets.assistant.korean_resume import (
    Line,
    UnsupportedFacts,
    as_role,
    fact_checked,
    korean_cover_letter,
    korean_resume,
    person_facts,
)
from tests.assistant.conftest import SOC

API = "/api/v1"
THIS_YEAR = 2026
JOBS = [
    {
        "title": "고객 상담원",
        "employer": "한빛통신",
        "start_year": 2001,
        "end_year": 2024,
        "task_ids": [1],
        "duties": ["요금 문의 전화를 하루 80건 받고 불만을 해결했습니다", "신입 직원 12명을 교육했습니다"],
    },
    {
        "title": "계산원",
        "employer": "동네마트",
        "start_year": 1990,
        "end_year": 2000,
        "task_ids": [],
        "duties": ["계산대와 일일 정산을 맡았습니다"],
    },
]
TASKS = {1: {"task_statement": "Resolve customer complaints about billing.", "score": 0.3}}
# What an older applicant's Korean résumé must not ask for (채용절차법 §4-3, 고령자고용법 §4-4).
PROTECTED = ["사진", "생년월일", "나이", "연령", "가족", "결혼", "혼인", "본적", "출신", "주소"]


def _flat(text: str) -> str:
    """Text read back from a PDF without spacing: pypdf reads the two-byte glyph ids of a CJK font with NULs
    and spaces between the letters."""
    return re.sub(r"[\s\x00]+", "", text)


def test_the_korean_resume_has_korean_sections_dates_and_the_persons_own_words():
    document = korean_resume(JOBS, TASKS, age_neutral=False, this_year=THIS_YEAR)
    text = document.text()
    assert [s.heading for s in document.sections] == ["인적사항", "경력", "자격·면허", "자기소개"]
    assert "2001년 ~ 2024년  한빛통신 · 고객 상담원" in text
    assert "1990년 ~ 2000년  동네마트 · 계산원" in text
    assert "요금 문의 전화를 하루 80건 받고 불만을 해결했습니다" in text
    assert "경력은 모두 35년이며, 가장 최근에는 고객 상담원으로 일했습니다." in text
    task = next(line for s in document.sections for line in s.lines if line.text.startswith("Resolve"))
    assert task.lang == "en"  # O*NET's English, marked as such
    assert not [word for word in PROTECTED if word in text]
    fact_checked(document, person_facts(JOBS, TASKS, THIS_YEAR))


def test_the_age_neutral_korean_resume_drops_old_dates_and_caps_the_years():
    text = korean_resume(JOBS, TASKS, age_neutral=True, this_year=THIS_YEAR).text()
    assert "[이전 경력]" in text and "1990" not in text and "2000" not in text
    assert "동네마트 · 계산원" in text
    assert "경력은 15년이 넘으며" in text and "35" not in text


def test_the_korean_cover_letter_quotes_the_person_and_promises_nothing_new():
    text = korean_cover_letter(
        JOBS, age_neutral=True, target_title="고객 성공 매니저", this_year=THIS_YEAR
    ).text()
    assert text.startswith("자기소개서\n\n[지원 동기]\n고객 성공 매니저로 일하고 싶어 지원합니다.")
    assert "한빛통신에서 고객 상담원으로 일하며 맡은 일입니다." in text
    assert "· 신입 직원 12명을 교육했습니다" in text
    assert "성장과정" not in text and not [word for word in PROTECTED if word in text]
    facts = person_facts(JOBS, TASKS, THIS_YEAR)
    facts.add("고객 성공 매니저")
    fact_checked(korean_cover_letter(JOBS, age_neutral=True, this_year=THIS_YEAR), facts)


def test_an_invented_number_fails_the_fact_check():
    document = korean_resume(JOBS, TASKS, age_neutral=False, this_year=THIS_YEAR)
    document.sections[-1].lines[0] = document.sections[-1].lines[0].__class__("매출을 40% 올렸습니다.")
    try:
        fact_checked(document, person_facts(JOBS, TASKS, THIS_YEAR))
    except ValueError as exc:
        assert "40" in str(exc)
    else:
        raise AssertionError("an invented 40% passed the fact check")


# The history of tests/api/conftest.py's make_profile, whose Korean 자기소개서 answered 500: "Acme Telecom에서"
# read as the name "Telecom에서", which the person never wrote.
ENGLISH_JOB = {
    "title": "Customer service rep",
    "employer": "Acme Telecom",
    "start_year": 2000,
    "end_year": 2024,
    "task_ids": [1],
    "duties": [],
}


@pytest.mark.parametrize("age_neutral", [True, False])
def test_an_english_employer_before_a_korean_particle_passes_the_fact_check(age_neutral):
    facts = person_facts([ENGLISH_JOB], TASKS, THIS_YEAR)
    letter = fact_checked(
        korean_cover_letter([ENGLISH_JOB], age_neutral=age_neutral, this_year=THIS_YEAR), facts
    )
    assert "Acme Telecom에서 Customer service rep(으)로 일했습니다." in letter.text()
    fact_checked(korean_resume([ENGLISH_JOB], TASKS, age_neutral=age_neutral, this_year=THIS_YEAR), facts)


@pytest.mark.parametrize(
    "invented",
    [
        "Google에서 일했습니다.",  # a name after a line start, glued to a particle
        "최근에는 google 본사에서 일했습니다.",  # lower-case, after Hangul: still a name from nowhere
        "하루90건을 처리했습니다.",  # a number glued to Hangul
    ],
)
def test_an_invented_latin_word_or_number_in_korean_fails_the_fact_check(invented):
    document = korean_resume([ENGLISH_JOB], TASKS, age_neutral=False, this_year=THIS_YEAR)
    document.sections[-1].lines[0] = Line(invented)
    with pytest.raises(UnsupportedFacts):
        fact_checked(document, person_facts([ENGLISH_JOB], TASKS, THIS_YEAR))


# Histories mixing English and Korean words, particles, digits of other scripts and punctuation: whatever the
# person wrote, both documents state only their facts.
WORDS = st.sampled_from(
    ["Acme", "Telecom", "rep", "CPA", "ABC's", "3M", "7-Eleven", "Route 66", "고객", "상담원", "에서", "Nestlé",
     "O'Brien", "and", "Ten", "1,000", "٢٥", "２０", "v2", ".5", ",", ";", "(", "·", "하루80건", "Über", "40%"]
)  # fmt: skip
WRITTEN = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
JOB = st.fixed_dictionaries(
    {
        "title": WRITTEN,
        "employer": st.none() | WRITTEN,
        "start_year": st.none() | st.integers(1950, THIS_YEAR),
        "end_year": st.none() | st.integers(1950, THIS_YEAR),
        "task_ids": st.just([1]),
        "duties": st.lists(WRITTEN, max_size=3),
    }
)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(jobs=st.lists(JOB, min_size=1, max_size=3), age_neutral=st.booleans(), target=st.none() | WRITTEN)
def test_korean_documents_of_any_mixed_history_state_only_its_facts(jobs, age_neutral, target):
    facts = person_facts(jobs, TASKS, THIS_YEAR)
    if target:
        facts.add(target)
    fact_checked(korean_resume(jobs, TASKS, age_neutral=age_neutral, this_year=THIS_YEAR), facts)
    letter = korean_cover_letter(jobs, age_neutral=age_neutral, target_title=target, this_year=THIS_YEAR)
    fact_checked(letter, facts)


def test_the_role_particle_follows_the_last_sound():
    assert as_role("상담원") == "상담원으로" and as_role("매니저") == "매니저로"
    assert as_role("운전기사") == "운전기사로" and as_role("기술직") == "기술직으로"
    assert as_role("배달원 겸 기사") == "배달원 겸 기사로" and as_role("호텔") == "호텔로"  # ㄹ takes 로
    assert as_role("Cashier") == "Cashier(으)로"


def test_a_korean_history_downloads_a_korean_resume_in_docx_and_pdf(assistant_client, csr_tasks):
    history = {
        "jobs": [
            {**JOBS[0], "soc_code": SOC, "task_ids": list(csr_tasks)},
            {**JOBS[1], "soc_code": "41-2011"},
        ],
        "age_neutral": True,
    }
    created = assistant_client.post(f"{API}/profiles", json=history)
    assert created.status_code == 201, created.text
    profile_id = created.json()["id"]
    docx_file = assistant_client.get(f"{API}/profiles/{profile_id}/resume.docx")  # Korean: by its text
    assert (
        docx_file.status_code == 200
        and 'filename="resume-ko.docx"' in docx_file.headers["content-disposition"]
    )
    document = docx.Document(io.BytesIO(docx_file.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:2] == ["이력서", "인적사항"] and "경력" in paragraphs and "자격·면허" in paragraphs
    assert "요금 문의 전화를 하루 80건 받고 불만을 해결했습니다" in paragraphs
    assert "Noto Sans CJK KR" in document.styles["Normal"].element.xml
    assert not [word for word in PROTECTED if word in "\n".join(paragraphs)]
    pdf_file = assistant_client.get(f"{API}/profiles/{profile_id}/resume.pdf?language=ko").content
    pdf_text = _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_file)).pages))
    assert "이력서" in pdf_text and "요금문의전화를하루80건받고불만을해결했습니다" in pdf_text
    assert b"NotoSansCJK" in pdf_file  # the embedded font has Hangul (DejaVu has none)
    letter = assistant_client.get(f"{API}/profiles/{profile_id}/cover-letter.txt").text
    assert letter.startswith("자기소개서") and "한빛통신에서 고객 상담원으로 일하며 맡은 일입니다." in letter
    english = assistant_client.get(f"{API}/profiles/{profile_id}/resume.txt?language=en").text
    assert "이력서" not in english and "EXPERIENCE" in english


def test_an_english_history_downloads_its_korean_documents(assistant_client, history):
    """The request that answered 500: an English employer and title in the Korean 자기소개서 and 이력서."""
    profile_id = assistant_client.post(f"{API}/profiles", json=history).json()["id"]
    letter = assistant_client.get(f"{API}/profiles/{profile_id}/cover-letter.txt?language=ko")
    assert letter.status_code == 200, letter.text
    assert "Acme Telecom에서 Customer service representative(으)로 일하며 맡은 일입니다." in letter.text
    resume = assistant_client.get(f"{API}/profiles/{profile_id}/resume.txt?language=ko")
    assert resume.status_code == 200 and "Acme Telecom · Customer service representative" in resume.text
