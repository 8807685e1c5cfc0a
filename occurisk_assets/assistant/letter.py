"""The cover letter: the posting's key requirements, each matched to the person's experience (a checklist, by
the one requirement matcher of occurisk_assets.text), and a letter from templates that only restates what the
résumé draft says."""

from __future__ import annotations

import re

from occurisk_assets.assistant.pasttense import IRREGULAR
from occurisk_assets.assistant.resume import ResumeDraft
from occurisk_assets.text.requirements import Judgement, check_ad, judge


def checklist(posting: str, draft: ResumeDraft) -> list[Judgement]:
    """The posting's single demands, each judged shown / partly shown / not shown by the résumé's lines (the
    person's ticked tasks and own duties as bullets, and their skills), quoting the line that shows it."""
    return check_ad(posting, [b for job in draft.jobs for b in job.bullets] + draft.skills)


def draft_letter(draft: ResumeDraft, items: list[Judgement], posting: str) -> str:
    """A short letter that answers the ad: the role and employer as the ad names them ("your team" when it
    names none), the ad's first demands the résumé shows paired with the person's own line for each, in two
    short paragraphs, an opening and close in their line of work. A demand not shown is left to the
    checklist, never claimed. Each pairing has its own sentence shape; the same input gives the same letter."""
    role, employer = role_and_employer(posting)
    recent = draft.jobs[0] if draft.jobs else None
    line_of_work = recent.title.lower() if recent else None
    paragraphs = [_opening(role, employer, recent, draft)]
    pairs = _pairs(items, [b for job in draft.jobs for b in job.bullets] + draft.skills)
    sentences = [_sentence(i, need, _as_done(line)) for i, (need, line) in enumerate(pairs)]
    if sentences:
        paragraphs.append(" ".join(sentences[:2]))
    if len(sentences) > 2:
        paragraphs.append(" ".join(sentences[2:]))
    where = employer or "your team"
    if line_of_work:
        paragraphs.append(
            f"I would be glad to talk about how my years {_field(line_of_work)} could help {where}. "
            "Thank you for reading."
        )
    else:
        paragraphs.append(f"I would be glad to talk about how I could help {where}. Thank you for reading.")
    return "Dear hiring manager,\n\n" + "\n\n".join(paragraphs) + "\n\nYours sincerely,\n"


MAX_PAIRED = 4
LABELLED = re.compile(
    r"^\s*(job title|title|position|role|company|employer|organi[sz]ation)\s*:\s*(.+?)\s*$", re.I | re.M
)
# "Customer Success Specialist at Northwind Health", "… – Northwind Health", "… | Northwind Health"
TITLE_AT = re.compile(
    r"^(?P<role>[A-Z][\w&/+.' -]{2,60}?)\s+(?:at|@|[-–—|])\s+(?P<employer>[A-Z][\w&.' -]{1,60}?)\s*$"
)
# "Northwind Health is hiring a Customer Success Specialist", "… is looking for an Office Manager"
HIRING = re.compile(
    r"(?P<employer>(?:[A-Z][\w&.'-]* ?){1,5}?) +(?:is|are)\s+(?:hiring|looking for|seeking|recruiting)\s+"
    r"(?:an?\s+)?(?:experienced\s+|new\s+)?(?P<role>(?:[A-Z][\w&/+'-]* ?){1,6})"
)
JOIN_AS = re.compile(
    r"[Jj]oin\s+(?P<employer>(?:[A-Z][\w&.'-]*\s?){1,5}?)\s+as\s+(?:an?\s+)?(?P<role>(?:[A-Z][\w&/+'-]* ?){1,6})"
)
NOT_EMPLOYERS = {"we", "our team", "the team", "you", "they", "company", "our company", "job"}


def role_and_employer(posting: str) -> tuple[str | None, str | None]:
    """The role and employer as the ad names them, or None for what it does not name (never a guess)."""
    role = employer = None
    for key, value in LABELLED.findall(posting):
        if key.lower() in ("company", "employer", "organisation", "organization"):
            employer = employer or value.strip().rstrip(".")
        else:
            role = role or value.strip().rstrip(".")
    first = next((line.strip() for line in posting.splitlines() if line.strip()), "")
    for pattern, text in ((TITLE_AT, first), (HIRING, posting), (JOIN_AS, posting)):
        match = pattern.search(text)
        if match:
            role = role or match.group("role").strip()
            found = match.group("employer").strip()
            if found.lower() not in NOT_EMPLOYERS:
                employer = employer or found
    if role is None and first and len(first.split()) <= 6 and first[:1].isupper() and not first.endswith("."):
        role = first  # an ad that opens with its title alone
    return role, employer


def _opening(role: str | None, employer: str | None, recent, draft: ResumeDraft) -> str:
    what = f"the {role} role" if role else "this role"
    at = f" at {employer}" if employer else ""
    first = f"I would like to apply for {what}{at}."
    if recent is None:
        return first
    years = re.search(r"\bwith (\d+) years? of experience", draft.summary)
    where = f" at {recent.employer}" if recent.employer else ""
    if years and not draft.age_neutral:
        return (
            f"{first} I have worked for {years.group(1)} years, most recently as {_a(recent.title)}{where}."
        )
    return f"{first} Most recently I worked as {_a(recent.title)}{where}."


def _a(title: str) -> str:
    title = title[0].lower() + title[1:] if title[:2] != title[:2].upper() else title
    return ("an " if title[:1].lower() in "aeiou" else "a ") + title


def _field(line_of_work: str) -> str:
    """The person's line of work in their own words: 'customer service representative' → 'customer service
    work' (the last word dropped when it names the worker), 'line cook' → 'as a line cook'."""
    words = line_of_work.split()
    if len(words) > 1 and words[-1] in WORKER_WORDS:
        return "in " + " ".join(words[:-1]) + " work"
    return f"as {_a(line_of_work)}"


WORKER_WORDS = {
    "representative",
    "specialist",
    "assistant",
    "clerk",
    "worker",
    "agent",
    "associate",
    "officer",
    "technician",
    "operator",
    "manager",
    "coordinator",
    "supervisor",
    "driver",
    "attendant",
    "aide",
}
PAST_WORDS = set(IRREGULAR.values())


def _as_done(evidence: str) -> str:
    """The person's line as something they did: "Answered calls about bills." → "I answered calls about
    bills"; a line that is not a past-tense duty (a skill) → "my work has included <line>"."""
    line = evidence.strip().rstrip(".")
    first = line.split(" ", 1)[0]
    lowered = first.lower()
    if lowered.endswith("ed") or lowered in PAST_WORDS:
        return "I " + lowered + line[len(first) :]
    return "my work has included " + (line[0].lower() + line[1:] if line[1:2].islower() else line)


def _pairs(items: list[Judgement], lines: list[str]) -> list[tuple[str, str]]:
    """The ad's first demands the résumé shows, each with its own line: a demand whose best line is already
    quoted is judged again (by the same matcher) against the lines not yet quoted."""
    pairs: list[tuple[str, str]] = []
    used: set[str] = set()
    for item in items:
        if len(pairs) == MAX_PAIRED:
            break
        if not item.met or not item.evidence:
            continue
        evidence = item.evidence
        if evidence in used:
            rest = [line for line in lines if line not in used]
            again = judge([item.requirement], rest)[0] if rest else None
            if again is None or not again.met or not again.evidence:
                continue
            evidence = again.evidence
        used.add(evidence)
        pairs.append((item.requirement, evidence))
    return pairs


def _sentence(position: int, requirement: str, done: str) -> str:
    """The pairing at `position` in its own sentence shape, for a demand that names a thing ("Experience
    handling calls", "A clean driving record") or, as most ad bullets do, opens with a verb ("Resolve
    billing questions", "You will patrol the building")."""
    text = VERB_LEAD.sub("", requirement.strip().rstrip("."))
    phrase = text[0].lower() + text[1:] if text[1:2].islower() or " " not in text else text
    first = phrase.split(" ", 1)[0].lower()
    frames = NOUN_FRAMES if first in NOUN_STARTS or first.endswith(("ing", "ion", "ity")) else VERB_FRAMES
    return frames[position].format(need=phrase, done=done)


VERB_LEAD = re.compile(
    r"^(?:you\s+will|you'll|will|must\s+be\s+able\s+to|be\s+able\s+to|able\s+to|must)\s+", re.IGNORECASE
)
# First words of a demand that names a thing rather than asks for an action.
NOUN_STARTS = {
    "a",
    "an",
    "the",
    "experience",
    "experienced",
    "knowledge",
    "ability",
    "skills",
    "skill",
    "strong",
    "excellent",
    "good",
    "great",
    "proven",
    "solid",
    "background",
    "familiarity",
    "understanding",
    "clean",
    "valid",
    "fluent",
    "friendly",
    "calm",
    "patience",
    "attention",
    "comfort",
    "confidence",
    "availability",
}


# One sentence shape per pairing, in order, so no two sentences share a frame.
NOUN_FRAMES = [
    "Your ad puts {need} first: {done}.",
    "You also ask for {need}, and {done}.",
    "When it comes to {need}, {done}.",
    "On {need} as well, {done}.",
]
VERB_FRAMES = [
    "You need someone who can {need}: {done}.",
    "You also want someone to {need}, and {done}.",
    "You mention the need to {need}: {done}.",
    "And where you need someone to {need}, {done}.",
]
