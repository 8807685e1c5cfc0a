"""Splitting a résumé's text into jobs: a line with a year range ("2001 – 2024", "2019 to present") starts
a job; its other words are the title and employer; the lines after it are duties. Text without such lines
("I was a customer service rep for 25 years") is one job. Nothing is guessed: a year that is not written
stays empty."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

YEAR = r"(?:19|20)\d{2}"
RANGE = re.compile(
    rf"(?P<start>{YEAR})\s*(?:-|–|—|to|until)\s*(?P<end>{YEAR}|present|current|now|today)\b", re.IGNORECASE
)
SINCE = re.compile(rf"\bsince\s+(?P<start>{YEAR})\b", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*•·▪●]|\d+[.)])\s+")
SECTION = re.compile(
    r"^(work )?(experience|employment|employment history|work history|professional experience|education|"
    r"skills|summary|profile|references|certifications|training|languages)\s*:?$",
    re.IGNORECASE,
)
STOP_SECTIONS = re.compile(
    r"^(education|skills|references|certifications|languages|training)\s*:?$", re.IGNORECASE
)
SENTENCE_JOB = re.compile(
    r"\b(?:I was|I worked as|I have worked as|I've worked as|I am|I'm|worked as)\s+(?:an?\s+)?"
    r"(?P<title>[A-Za-z][A-Za-z /&'-]{2,60}?)(?=\s+(?:for|at|in|with|since|from)\b|[.,;]|$)",
    re.IGNORECASE,
)
SEPARATORS = re.compile(r"\s+(?:at|@)\s+|\s*[|,]\s*|\s+[-–—]\s+")
MAX_JOBS = 15


@dataclass
class FoundJob:
    title: str
    employer: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    duties: list[str] = field(default_factory=list)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:-–—|()")


def _header(line: str) -> tuple[str, int, int | None] | None:
    match = RANGE.search(line) or SINCE.search(line)
    if not match:
        return None
    end = match.groupdict().get("end")
    end_year = int(end) if end and end.isdigit() else None
    rest = _clean(line[: match.start()] + " " + line[match.end() :])
    return rest, int(match.group("start")), end_year


def split_jobs(text: str) -> list[FoundJob]:
    lines = [line.strip() for line in text.splitlines()]
    jobs: list[FoundJob] = []
    previous = ""
    in_other_section = False
    for line in lines:
        if not line:
            continue
        if STOP_SECTIONS.match(line):
            in_other_section = True
            continue
        if SECTION.match(line):
            in_other_section = False
            continue
        header = _header(line)
        if header and not BULLET.match(line):
            rest, start, end = header
            rest = rest or previous
            parts = [p for p in (_clean(p) for p in SEPARATORS.split(rest, maxsplit=1)) if p]
            jobs.append(
                FoundJob(
                    title=parts[0] if parts else "",
                    employer=parts[1] if len(parts) > 1 else None,
                    start_year=start,
                    end_year=end,
                )
            )
            in_other_section = False
            previous = ""
            continue
        if jobs and not in_other_section:
            duty = _clean(BULLET.sub("", line))
            if duty:
                jobs[-1].duties.append(duty)
        previous = line
    if jobs:
        return [j for j in jobs if j.title or j.duties][:MAX_JOBS]
    return [_one_job(text)]


def _one_job(text: str) -> FoundJob:
    """Free text without year ranges: one job; its title from "I was a …" or the first line."""
    match = SENTENCE_JOB.search(text)
    sentences = [_clean(s) for s in re.split(r"(?<=[.!?])\s+|\n+", text) if _clean(s)]
    if match:
        title = _clean(match.group("title"))
        duties = [s for s in sentences if match.group(0) not in s]
    else:
        title = sentences[0][:80] if sentences else ""
        duties = sentences[1:]
    return FoundJob(title=title, duties=duties)
