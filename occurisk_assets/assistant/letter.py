"""The cover letter: the posting's key requirements, each matched to the person's experience (a checklist),
and a letter from templates that only restates what the résumé draft says."""

from __future__ import annotations

import re
from dataclasses import dataclass

import snowballstemmer

from occurisk_assets.assistant.resume import ResumeDraft

MAX_REQUIREMENTS = 10
CUES = re.compile(
    r"\b(experience|experienced|ability|able to|skill|skills|knowledge|required|requirements|must|should|"
    r"responsib|you will|you'll|proficien|familiar|degree|certif|license|licence|years)\w*",
    re.IGNORECASE,
)
STEMMER = snowballstemmer.stemmer("english")
BULLET = re.compile(r"^\s*(?:[-*•·▪●]|\d+[.)])\s+")
STOP = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "for",
    "with",
    "by",
    "at",
    "from",
    "as",
    "is",
    "are",
    "be",
    "will",
    "you",
    "your",
    "our",
    "we",
    "this",
    "that",
    "these",
    "those",
    "able",
    "ability",
    "experience",
    "experienced",
    "skills",
    "skill",
    "knowledge",
    "required",
    "must",
    "should",
    "strong",
    "good",
    "excellent",
    "work",
    "working",
    "job",
    "role",
    "including",
    "such",
    "other",
    "etc",
    "years",
    "year",
    "plus",
    "preferred",
}
MATCH_THRESHOLD = 0.34


@dataclass(frozen=True)
class Requirement:
    requirement: str
    met: bool
    evidence: str | None  # the résumé line that shows it


def words(text: str) -> set[str]:
    """Content words reduced to their Snowball stems, so "customers" in an ad meets "customer" in a résumé."""
    return set(
        STEMMER.stemWords([w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP and len(w) > 2])
    )


def requirements(posting: str) -> list[str]:
    """Bulleted lines of the posting, and sentences with a requirement cue, in order, without repeats."""
    found: list[str] = []
    for line in posting.splitlines():
        line = line.strip()
        if not line:
            continue
        if BULLET.match(line):
            found.append(BULLET.sub("", line).strip())
            continue
        for sentence in re.split(r"(?<=[.!?;])\s+", line):
            if CUES.search(sentence) and len(words(sentence)) >= 2:
                found.append(sentence.strip())
    unique = []
    for item in found:
        if item and item.lower() not in {u.lower() for u in unique}:
            unique.append(item.rstrip(".;"))
    return unique[:MAX_REQUIREMENTS]


def checklist(posting: str, draft: ResumeDraft) -> list[Requirement]:
    evidence = [b for job in draft.jobs for b in job.bullets] + draft.skills
    result = []
    for req in requirements(posting):
        need = words(req)
        best, best_share = None, 0.0
        for line in evidence:
            share = len(need & words(line)) / len(need) if need else 0.0
            if share > best_share:
                best, best_share = line, share
        met = best_share >= MATCH_THRESHOLD
        result.append(Requirement(req, met, best if met else None))
    return result


def draft_letter(draft: ResumeDraft, items: list[Requirement]) -> str:
    met = [r for r in items if r.met]
    recent = draft.jobs[0] if draft.jobs else None
    lines = ["Dear hiring manager,", ""]
    opening = "I am writing to apply for this position."
    if recent is not None:
        opening += (
            f" My most recent role was {recent.title}"
            + (f" at {recent.employer}" if recent.employer else "")
            + "."
        )
    lines += [opening, ""]
    if met:
        lines.append("Your posting asks for the following, and my experience matches:")
        for r in met:
            lines.append(f"- {r.requirement}: {r.evidence[0].lower() + r.evidence[1:] if r.evidence else ''}")
        lines.append("")
    lines.append(draft.summary)
    if draft.skills:
        lines += ["", "I bring skills in " + ", ".join(s.lower() for s in draft.skills[:5]) + "."]
    lines += [
        "",
        "I would welcome the chance to talk about how I can help. Thank you for your time.",
        "",
        "Yours sincerely,",
    ]
    return "\n".join(lines) + "\n"
