"""Splitting a résumé's text into jobs, in the layouts people use (English and Korean).

A line with a date range ("2001 – 2024", "06/1998 – 03/2024", "2012년 3월 - 2024년 2월", "2009.04 ~ 2024.06",
or "01/2010" / "to" / "Current" over three lines) anchors a job; its title and employer are the other words of
that line, or the short lines right after it (résumé builders: title, employer, place each on a line), or right
before it, whichever way the résumé is written. Which part is the title is decided by meaning (job_fields).
A sentence such as "I worked as a machinist at Precision Parts from 1995 to 2023" is a job too. Names,
addresses, contact lines, places, awards, duties and school years are never jobs; the lines after a job are its
duties. Text without any job line ("I was a customer service rep for 25 years") is one job. Nothing is
guessed: a year that is not written stays empty."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from occurisk_assets.assistant.job_fields import TitleLikeness, choose, clean, fragments
from occurisk_assets.assistant.resume_dates import date_range, joined_date_lines
from occurisk_assets.assistant.resume_lines import (
    ABBREVIATION,
    BULLET,
    DOCUMENT_TITLE,
    JOB_SECTION,
    OTHER_SECTION,
    is_award,
    is_contact,
    is_heading_ish,
    is_name,
    is_place,
    is_schooling,
    repaired,
)

SENTENCE_JOB = re.compile(
    r"\b(?:I was|I worked as|I have worked as|I've worked as|I am|I'm|worked as)\s+(?:an?\s+)?"
    r"(?P<title>[A-Za-z][A-Za-z /&'-]{2,60}?)(?=\s+(?:for|at|in|with|since|from)\b|[.,;]|$)",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z가-힣\"'(])|;\s+|,?\s+and then\s+")
MAX_JOBS = 15
MAX_HEADER_LINES = 3


@dataclass
class FoundJob:
    title: str
    employer: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    duties: list[str] = field(default_factory=list)


def _sentences(line: str) -> list[str]:
    """A paragraph of prose as its sentences ("… Co. from 1995" stays whole)."""
    if len(line.split()) <= 12:
        return [line]
    out: list[str] = []
    for piece in _SENTENCE_BREAK.split(line):
        if out and ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _lines(text: str) -> list[str]:
    lines = [s.strip() for line in repaired(text).splitlines() for s in _sentences(line.strip()) if s.strip()]
    return joined_date_lines(lines)


def _sections(lines: list[str]) -> list[str]:
    """Per line: 'heading', 'jobs' (a job section, or no section yet) or 'other' (education, skills …)."""
    kinds, current = [], "jobs"
    for line in lines:
        bare = line.strip(" :#*=_-")
        if JOB_SECTION.match(bare):
            current = "jobs"
            kinds.append("heading")
        elif OTHER_SECTION.match(bare):
            current = "other"
            kinds.append("heading")
        else:
            kinds.append(current)
    return kinds


def _header_fields(line: str) -> tuple[str, int | None, int | None] | None:
    """A job line's own words (its date range and bullet removed) and years; None: the line is no job."""
    found = date_range(line)
    body = BULLET.sub("", line)
    if found is None:
        return (body, None, None) if SENTENCE_JOB.match(body.strip()) else None
    # The column gap the dates leave stays: it separates "햇살요양원  요양보호사" as it did the dates.
    rest = BULLET.sub("", (line[: found.start] + "  " + line[found.end :]).strip(" ,;:-–—|()[]~"))
    if rest.endswith(".") and not ABBREVIATION.search(rest):  # a sentence's full stop
        rest = rest[:-1]
    if is_award(rest) or is_schooling(rest):
        return None
    if rest and not is_heading_ish(rest) and not SENTENCE_JOB.search(rest):
        return None  # "Led the 2019 – 2020 move to a new site": a duty with dates
    return rest, found.start_year, found.end_year


def split_jobs(text: str, title_likeness: TitleLikeness | None = None) -> list[FoundJob]:
    """The jobs in a résumé's text; `title_likeness` (job_fields.coder_title_likeness) adds the occupation
    coder's judgement of which part is the title."""
    lines = _lines(text)
    kinds = _sections(lines)
    anchors: dict[int, tuple[str, int | None, int | None]] = {}
    for i, line in enumerate(lines):
        if kinds[i] != "jobs":
            continue
        header = _header_fields(line)
        if header is not None:
            anchors[i] = header
    if not anchors:
        return [_one_job(lines, kinds)]
    first_heading = next((i for i, k in enumerate(kinds) if k == "heading"), None)
    preamble_end = first_heading if first_heading is not None and first_heading < min(anchors) else 0

    def usable(i: int) -> bool:
        line = lines[i]
        return (
            i >= preamble_end
            and kinds[i] == "jobs"
            and i not in anchors
            and not (i == 0 and is_name(line))
            and is_heading_ish(line)
            and not DOCUMENT_TITLE.match(line)
        )

    def run(start: int, step: int) -> list[int]:
        out, i = [], start
        while 0 <= i < len(lines) and usable(i) and len(out) < MAX_HEADER_LINES:
            out.append(i)
            i += step
        return out

    ordered = sorted(anchors)
    # The résumé's way: title lines after its dates (builders' PDFs) or before them.
    open_anchors = [i for i in ordered if len(fragments(anchors[i][0])) < 2]
    # (Short lines after a job's dates that run into the next job's dates are that job's title lines.)
    after_first = run(open_anchors[0] + 1, 1) if open_anchors else []
    lines_after = bool(after_first) and after_first[-1] + 1 not in anchors
    consumed: set[int] = set()
    job_parts: list[list[str]] = []
    for n, i in enumerate(ordered):
        parts = fragments(anchors[i][0])
        if len(parts) < 2:
            after = [j for j in run(i + 1, 1) if j not in consumed]
            previous_end = ordered[n - 1] if n else -1
            before = [j for j in run(i - 1, -1) if j not in consumed and j > previous_end][::-1]
            for j in (after or before) if lines_after else (before or after):
                more = fragments(lines[j])
                if len(parts) >= 2 and more:
                    break  # the next lines are duties written without bullets, or a department
                parts += more
                consumed.add(j)
        job_parts.append(parts)
    # One batch for the whole résumé: the coder's fixed cost per call is most of its time.
    ambiguous = sorted({p for parts in job_parts if len(parts) > 1 for p in parts})
    likeness = (
        dict(zip(ambiguous, title_likeness(ambiguous), strict=True)) if title_likeness and ambiguous else None
    )
    jobs: list[tuple[int, FoundJob]] = []
    for i, parts in zip(ordered, job_parts, strict=True):
        fields = choose(parts, likeness)
        jobs.append((i, FoundJob(fields.title, fields.employer, anchors[i][1], anchors[i][2])))
    for n, (i, job) in enumerate(jobs):
        stop = jobs[n + 1][0] if n + 1 < len(jobs) else len(lines)
        for j in range(i + 1, stop):
            if (
                kinds[j] == "jobs"
                and j not in consumed
                and not is_place(lines[j])
                and not is_contact(lines[j])
            ):
                duty = clean(BULLET.sub("", lines[j]))
                if duty:
                    job.duties.append(duty)
            elif kinds[j] == "other":
                break
    found = [job for _, job in jobs if job.title or job.employer or job.duties][:MAX_JOBS]
    return found or [_one_job(lines, kinds)]


def _one_job(lines: list[str], kinds: list[str]) -> FoundJob:
    """Text without job lines: one job; its title from "I was a …" or the first line that can be a title
    (a name, a contact line, a duty or an award is none)."""
    body = [line for line, kind in zip(lines, kinds, strict=True) if kind == "jobs" and not is_contact(line)]
    text = " ".join(body)
    match = SENTENCE_JOB.search(text)
    if match:
        title = clean(match.group("title"))
        return FoundJob(title=title, duties=[clean(s) for s in body if match.group(0) not in s])
    titled = [
        i
        for i, line in enumerate(body)
        if is_heading_ish(line) and not is_award(line) and not (i == 0 and is_name(line) and len(body) > 1)
    ]
    if not titled:
        return FoundJob(title="", duties=[clean(BULLET.sub("", s)) for s in body])
    fields = choose(fragments(body[titled[0]]))
    duties = [clean(BULLET.sub("", s)) for i, s in enumerate(body) if i != titled[0]]
    return FoundJob(title=fields.title or fields.employer or "", employer=fields.employer, duties=duties)
