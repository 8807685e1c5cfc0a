"""A Korean 이력서 and 자기소개서 in Korean conventions, from the person's own facts only.

이력서: 인적사항 (name and contact lines left for the person to fill), 경력 (most recent first, "2010년 ~
2024년", "2019년 ~ 현재"), 자격·면허, 자기소개. 자기소개서: 지원 동기 (only when a target is named), 경력과
직무 역량, 마무리. Defaults that protect older applicants: no photo, birth date or age, family, marital status
or home region (채용절차법 §4-3; 고령자고용법 §4-4) — the person may add what they choose to the file. Under the
age-neutral choice, jobs that ended more than AGE_NEUTRAL_YEARS ago lose their dates (이전 경력) and a
total over 15 years reads "15년 이상". O*NET task text has no Korean translation here, so it stays English,
marked `lang="en"` (a Line's `lang`); the person's own duties come first, in their words.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from occurisk_assets.assistant.facts import WORD, Facts, added_facts
from occurisk_assets.assistant.resume import AGE_NEUTRAL_YEARS, TASK_BULLETS_PER_JOB, years_of_experience

HANGUL = ("\uac00", "\ud7a3")
KOREAN_FONT = "Noto Sans CJK KR"


@dataclass(frozen=True)
class Line:
    text: str
    lang: str = "ko"
    bullet: bool = False


@dataclass
class Section:
    heading: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class KoreanDocument:
    title: str  # 이력서 or 자기소개서
    sections: list[Section]

    def text(self) -> str:
        out = [self.title]
        for section in self.sections:
            out += ["", f"[{section.heading}]"]
            out += [("· " if line.bullet else "") + line.text for line in section.lines]
        return "\n".join(out) + "\n"

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "sections": [
                {"heading": s.heading, "lines": [line.__dict__ for line in s.lines]} for s in self.sections
            ],
            "text": self.text(),
        }


def is_korean(text: str) -> bool:
    """Whether most letters of `text` are Hangul (a profile written in Korean)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(HANGUL[0] <= c <= HANGUL[1] for c in letters) * 2 > len(letters)


def as_role(word: str) -> str:
    """`word` + 으로/로 ("as"), by its last sound; "(으)로" after a word that does not end in Hangul (an
    English job title), as Korean forms write it."""
    last = word.rstrip()[-1:]
    if not HANGUL[0] <= last <= HANGUL[1]:
        return word + "(으)로"
    final = (ord(last) - 0xAC00) % 28
    return word + ("으로" if final and final != 8 else "로")  # no final consonant, or ㄹ (8): 로


def korean_dates(job: dict, this_year: int) -> str | None:
    start, end = job.get("start_year"), job.get("end_year")
    if start and end:
        return f"{start}년" if start == end else f"{start}년 ~ {end}년"
    if start:
        return f"{start}년 ~ 현재"
    return f"{end}년" if end else None


def _recency(job: dict, this_year: int) -> tuple:
    return (job.get("end_year") or this_year, job.get("start_year") or 0)


def _ordered(jobs: list[dict], this_year: int) -> list[dict]:
    return sorted(jobs, key=lambda j: _recency(j, this_year), reverse=True)


def _earlier(job: dict, age_neutral: bool, this_year: int) -> bool:
    return age_neutral and (job.get("end_year") or this_year) < this_year - AGE_NEUTRAL_YEARS


def _heading(job: dict) -> str:
    return " · ".join(part for part in (job.get("employer"), job["title"]) if part)


def _duty_lines(job: dict, tasks: dict[int, dict]) -> list[Line]:
    own = [Line(d.strip(), "ko" if is_korean(d) else "en", bullet=True) for d in job["duties"] if d.strip()]
    onet = [tasks[t]["task_statement"] for t in job["task_ids"] if t in tasks][:TASK_BULLETS_PER_JOB]
    return own + [Line(statement, "en", bullet=True) for statement in onet]


def _summary(jobs: list[dict], age_neutral: bool, this_year: int) -> str:
    latest = as_role(_ordered(jobs, this_year)[0]["title"])
    years = years_of_experience(jobs, this_year)
    if not years:
        return f"가장 최근에는 {latest} 일했습니다."
    if age_neutral and years > AGE_NEUTRAL_YEARS:
        return f"경력은 {AGE_NEUTRAL_YEARS}년이 넘으며, 가장 최근에는 {latest} 일했습니다."
    return f"경력은 모두 {years}년이며, 가장 최근에는 {latest} 일했습니다."


def korean_resume(
    jobs: list[dict], tasks: dict[int, dict], *, age_neutral: bool, this_year: int | None = None
) -> KoreanDocument:
    """The 이력서: `jobs` as in the profile (title, employer, start_year, end_year, task_ids, duties)."""
    this_year = this_year or dt.date.today().year
    personal = Section("인적사항", [Line("성명: "), Line("연락처: "), Line("이메일: ")])
    career = Section("경력")
    earlier = Section("이전 경력")
    for job in _ordered(jobs, this_year):
        old = _earlier(job, age_neutral, this_year)
        dates = None if old else korean_dates(job, this_year)
        target = earlier if old else career
        target.lines.append(Line(f"{dates}  {_heading(job)}" if dates else _heading(job)))
        target.lines += _duty_lines(job, tasks)
    licences = Section("자격·면허", [Line("자격·면허명 / 취득 연월 / 발급 기관: ")])
    about = Section("자기소개", [Line(_summary(jobs, age_neutral, this_year))])
    sections = [personal, career] + ([earlier] if earlier.lines else []) + [licences, about]
    return KoreanDocument("이력서", sections)


def korean_cover_letter(
    jobs: list[dict], *, age_neutral: bool, target_title: str | None = None, this_year: int | None = None
) -> KoreanDocument:
    """The 자기소개서: what the person did, in their own words, job by job (the three most recent); no
    성장과정 (upbringing and family are no employer's business), no promise the person did not make."""
    this_year = this_year or dt.date.today().year
    ordered = _ordered(jobs, this_year)
    sections = []
    if target_title:
        sections.append(
            Section(
                "지원 동기",
                [
                    Line(
                        f"{as_role(target_title)} 일하고 싶어 지원합니다. "
                        + _summary(jobs, age_neutral, this_year)
                    )
                ],
            )
        )
    else:
        sections.append(Section("소개", [Line(_summary(jobs, age_neutral, this_year))]))
    strengths = Section("경력과 직무 역량")
    for job in ordered[:3]:
        where = f"{job['employer']}에서 " if job.get("employer") else ""
        duties = [d.strip() for d in job["duties"] if d.strip()]
        if duties:
            strengths.lines.append(Line(f"{where}{as_role(job['title'])} 일하며 맡은 일입니다."))
            strengths.lines += [Line(d, "ko" if is_korean(d) else "en", bullet=True) for d in duties]
        else:
            strengths.lines.append(Line(f"{where}{as_role(job['title'])} 일했습니다."))
    sections.append(strengths)
    sections.append(
        Section("마무리", [Line("위 경험을 바탕으로 맡은 일을 성실히 해내겠습니다. 읽어 주셔서 감사합니다.")])
    )
    return KoreanDocument("자기소개서", sections)


def person_facts(jobs: list[dict], tasks: dict[int, dict], this_year: int) -> Facts:
    """What a Korean document may state: the person's own text, their years, O*NET's task text, and the
    numbers derived from them (the total of years, the age-neutral 15)."""
    facts = Facts.of(
        *[f"{j['title']} {j.get('employer') or ''} {' '.join(j['duties'])}" for j in jobs],
        *[str(j[k]) for j in jobs for k in ("start_year", "end_year") if j.get(k)],
        *[t["task_statement"] for t in tasks.values()],
        str(years_of_experience(jobs, this_year) or ""),
        str(AGE_NEUTRAL_YEARS),
    )
    return facts


class UnsupportedFacts(ValueError):
    """A document states a number or name the profile does not (a bug in a template or in the check)."""


def fact_checked(document: KoreanDocument, facts: Facts) -> KoreanDocument:
    """The document, when it states no number or name the person did not give; else UnsupportedFacts. The
    Korean templates have no Latin word of their own, so every Latin word, whatever its case, must be one the
    person or O*NET wrote."""
    text = document.text()
    added = added_facts(facts, text)
    foreign = sorted({word for word in WORD.findall(text) if word.lower() not in facts.names})
    if added or foreign:
        described = ", ".join(filter(None, [added.describe(), *foreign]))
        raise UnsupportedFacts(f"the {document.title} states facts not in the profile: {described}")
    return document


# --- exports ---------------------------------------------------------------------------------------------


def korean_docx(document: KoreanDocument) -> bytes:
    """A .docx whose runs name Noto Sans CJK KR for East Asian text and mark their language (ko-KR, or en-US
    for O*NET's English), so Word and LibreOffice pick a Korean font and the right spell checker."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    result = docx.Document()
    normal = result.styles["Normal"]
    normal.font.size = Pt(11)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), KOREAN_FONT)

    def mark(run, lang: str) -> None:
        properties = run._element.get_or_add_rPr()
        properties.get_or_add_rFonts().set(qn("w:eastAsia"), KOREAN_FONT)
        language = properties.find(qn("w:lang"))
        if language is None:
            language = properties.makeelement(qn("w:lang"), {})
            properties.append(language)
        language.set(qn("w:val"), "en-US" if lang == "en" else "ko-KR")
        language.set(qn("w:eastAsia"), "ko-KR")

    mark(result.add_heading(document.title, level=1).runs[0], "ko")
    for section in document.sections:
        mark(result.add_heading(section.heading, level=2).runs[0], "ko")
        for line in section.lines:
            paragraph = result.add_paragraph(style="List Bullet" if line.bullet else None)
            mark(paragraph.add_run(line.text), line.lang)
    out = io.BytesIO()
    result.save(out)
    return out.getvalue()
