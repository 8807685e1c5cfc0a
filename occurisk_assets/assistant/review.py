""" "Make your résumé stronger": concrete suggestions on the person's saved résumé, each a before → after
from their own text, ranked by how much each helps.

Kinds, in rank order:
1. hidden: work the person's history shows that their résumé's wording does not (judged by the one
   requirement matcher, occurisk_assets.text.requirements): tasks they ticked that the target occupation
   shares (a detailed work activity), and demands of ads they pasted — the sentence to add is their own
   line (a ticked task in the past tense, O*NET's words, or a duty in their words).
2. vague_verb: a line opening with "Responsible for", "Duties included", "Worked on"… → the action itself
   ("Responsible for training new staff" → "Trained new staff").
3. age (only under the age-neutral choice): a year more than AGE_NEUTRAL_YEARS ago, a graduation year, or a
   total of years over 15 ("35 years of experience" → "15+ years of experience").
4. outdated: a term that dates a résumé ("e-mail", "Rolodex", "references available upon request").
5. long / short: a line over LONG_WORDS words (split at its semicolons) or under SHORT_WORDS words.
6. no_number: a line with no number — a question ("how many, how often, how much?"), with no after: only the
   person knows the answer, so it cannot be accepted as is.
Nothing is invented: every after is the before with words removed, replaced by a verb, or a year cut; a
hidden-work line is the person's own ticked task. Each acceptable suggestion edits the saved résumé
(`apply`), and the result goes through the fact check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass

from occurisk_assets.assistant.facts import Facts, added_facts
from occurisk_assets.assistant.pasttense import IRREGULAR, past
from occurisk_assets.assistant.resume import AGE_NEUTRAL_YEARS, ResumeDraft, sentence
from occurisk_assets.text.requirements import SHOWN, content_stems, judge

LONG_WORDS = 30
SHORT_WORDS = 3
MAX_KEYWORDS = 12
RANK = ["hidden", "vague_verb", "age", "outdated", "long", "short", "no_number"]
VAGUE = re.compile(
    r"^(?:was\s+)?(?:responsible for|in charge of|duties included|tasks included|worked on|involved in)\s+",
    re.IGNORECASE,
)
# Terms that date a résumé → today's word; None: the words are dropped (with the line when nothing is left).
OUTDATED = {
    "e-mail": "email",
    "rolodex": "contact list",
    "typewriter": "keyboard",
    "salesman": "salesperson",
    "computer literate": "computer skills",
    "world wide web": "web",
    "references available upon request": None,
    "references available on request": None,
}
YEAR = re.compile(r"(?<![\d–-])\s*\(?\b(19\d{2}|20\d{2})\b\)?(?!\s*[–-]\s*(?:\d|present))")
RANGE = re.compile(r"\s*\(?\b(19\d{2}|20\d{2})\s*[–-]\s*(19\d{2}|20\d{2}|present)\b\)?", re.IGNORECASE)
CLASS_OF = re.compile(r"\s*,?\s*\(?class of (?:19|20)\d{2}\)?", re.IGNORECASE)
GRADUATED = re.compile(r"\b(graduated)(?: in)? (?:19|20)\d{2}\b", re.IGNORECASE)
TOTAL_YEARS = re.compile(r"\b(\d{2})\+?\s+years\b", re.IGNORECASE)


@dataclass(frozen=True)
class Suggestion:
    id: str
    kind: str
    job: str | None  # the job heading the line sits under; None for the summary or a whole-text line
    before: str
    after: str | None  # None: a question only the person can answer (not acceptable as is)
    acceptable: bool

    def as_dict(self) -> dict:
        return asdict(self)


def _id(kind: str, job: str | None, before: str) -> str:
    return hashlib.sha256(f"{kind}\x00{job}\x00{before}".encode()).hexdigest()[:12]


def suggestion(kind: str, job: str | None, before: str, after: str | None) -> Suggestion:
    return Suggestion(_id(kind, job, before), kind, job, before, after, after is not None)


def gerund_past(word: str) -> str | None:
    """'training' → 'Trained', 'managing' → 'Managed', 'making' → 'Made'; None when not a gerund."""
    lower = word.lower()
    if not lower.endswith("ing") or len(lower) < 5:
        return None
    stem = lower[:-3]
    for base in (stem, stem + "e", stem[:-1]):
        if base in IRREGULAR:
            return IRREGULAR[base].capitalize()
    return past(stem).capitalize()


def without_vague_opening(line: str) -> str | None:
    """'Responsible for training new staff' → 'Trained new staff'; 'Responsible for the till' → 'Managed the
    till'; None when the line does not open vaguely."""
    match = VAGUE.match(line)
    if not match:
        return None
    rest = line[match.end() :].strip()
    if not rest:
        return None
    first, _, tail = rest.partition(" ")
    verb = gerund_past(first)
    if verb:
        return f"{verb} {tail}".strip()
    return f"Managed {rest}"


def outdated_fix(line: str) -> str | None:
    fixed = line
    for term, today in OUTDATED.items():
        pattern = re.compile(rf"\b{re.escape(term)}\b[.;]?", re.IGNORECASE)
        fixed = pattern.sub(today or "", fixed)
    fixed = re.sub(r"\s{2,}", " ", fixed).strip(" ,;")
    return fixed if fixed != line.strip() else None


def age_fix(line: str, this_year: int) -> str | None:
    """The line without graduation years, without a date range that ended (or a lone year) more than
    AGE_NEUTRAL_YEARS ago, and with a total of years over 15 written as "15+ years"."""
    cutoff = this_year - AGE_NEUTRAL_YEARS
    fixed = GRADUATED.sub(lambda m: m.group(1), CLASS_OF.sub("", line))
    fixed = TOTAL_YEARS.sub(
        lambda m: f"{AGE_NEUTRAL_YEARS}+ years" if int(m.group(1)) > AGE_NEUTRAL_YEARS else m.group(0), fixed
    )
    fixed = RANGE.sub(
        lambda m: "" if m.group(2).isdigit() and int(m.group(2)) < cutoff else m.group(0), fixed
    )
    fixed = YEAR.sub(lambda m: "" if int(m.group(1)) < cutoff else m.group(0), fixed)
    fixed = re.sub(r"\s{2,}", " ", fixed).strip(" ,")
    return fixed if fixed != line.strip() else None


def length_fix(line: str) -> tuple[str, str | None] | None:
    count = len(line.split())
    if count > LONG_WORDS:
        parts = [sentence(p) for p in re.split(r";\s+", line) if p.strip()]
        return ("long", "\n".join(parts) if len(parts) > 1 else None)
    if count < SHORT_WORDS:
        return ("short", None)
    return None


def lines_of(document: dict) -> list[tuple[str | None, str]]:
    """(job heading, line) for each line of the saved résumé: the bullets of a draft under their job, or
    each line of the person's own edited text (no job: free text has no structure to trust)."""
    if document.get("edited_text"):
        return [(None, line.strip().lstrip("-•* ").strip()) for line in document["edited_text"].splitlines()]
    out: list[tuple[str | None, str]] = [(None, document["summary"])]
    for job in document["jobs"]:
        out += [(job["heading"], bullet) for bullet in job["bullets"]]
    return out


def review(
    document: dict,
    *,
    age_neutral: bool,
    hidden: dict[str, list[str]] | None = None,
    this_year: int | None = None,
) -> list[Suggestion]:
    """The suggestions for the saved résumé `document` (ResumeDraft.as_dict, maybe with edited_text);
    `hidden`: job heading → the person's own lines their résumé should show (ticked tasks the target
    shares, duties that show an ad's demand)."""
    this_year = this_year or dt.date.today().year
    found: list[Suggestion] = []
    resume_lines = [line for _, line in lines_of(document) if line]
    wanted = [(heading, sentence(line)) for heading, lines in (hidden or {}).items() for line in lines]
    for (heading, line), judged in zip(wanted, judge([w for _, w in wanted], resume_lines), strict=True):
        if judged.status != SHOWN:
            found.append(suggestion("hidden", heading, "", line))
    for heading, line in lines_of(document):
        if not line or line.isupper():  # a blank line or a section heading
            continue
        if (after := without_vague_opening(line)) is not None:
            found.append(suggestion("vague_verb", heading, line, sentence(after)))
        if age_neutral and (after := age_fix(line, this_year)) is not None:
            found.append(suggestion("age", heading, line, after))
        if (after := outdated_fix(line)) is not None:
            found.append(suggestion("outdated", heading, line, after))
        if heading is not None or document.get("edited_text"):
            if (sized := length_fix(line)) is not None:
                found.append(suggestion(sized[0], heading, line, sized[1]))
            if not re.search(r"\d", line) and len(line.split()) >= SHORT_WORDS:
                found.append(suggestion("no_number", heading, line, None))
    unique = {s.id: s for s in found}
    return sorted(unique.values(), key=lambda s: RANK.index(s.kind))


def keyword_coverage(document: dict, keywords: list[str]) -> list[dict]:
    """Each keyword of the target (its skills' and tasks' names) and whether the résumé's text has it."""
    text_words = content_stems(document.get("edited_text") or document["text"])
    return [
        {"keyword": k, "found": bool(content_stems(k)) and content_stems(k) <= text_words}
        for k in keywords[:MAX_KEYWORDS]
    ]


class NotApplicable(ValueError):
    """The suggestion no longer fits the saved résumé (it changed), or cannot be accepted as is."""


def apply(document: dict, chosen: Suggestion, facts: Facts) -> dict:
    """The saved résumé with `chosen` accepted, fact-checked: a hidden-work line is added under its job;
    otherwise the line `before` becomes `after` (several lines for a split)."""
    if not chosen.acceptable or chosen.after is None:
        raise NotApplicable("suggestion: this one needs your answer; edit the résumé yourself")
    problem = added_facts(facts, chosen.after)
    if problem:
        raise NotApplicable(f"suggestion: it would add facts not in your history ({problem.describe()})")
    if document.get("edited_text"):
        lines = document["edited_text"].splitlines()
        if chosen.kind == "hidden":  # after the bullets of the line naming the job, else at the end
            title = (chosen.job or "").split(", ")[0].lower()
            at = next((i + 1 for i, line in enumerate(lines) if title and title in line.lower()), len(lines))
            while at < len(lines) and lines[at].strip()[:1] in ("-", "•", "*"):
                at += 1
            lines.insert(at, f"- {chosen.after}")
            return {**document, "edited_text": "\n".join(lines) + "\n"}
        for i, line in enumerate(lines):
            if line.strip().lstrip("-•* ").strip() == chosen.before:
                prefix = line[: len(line) - len(line.lstrip())] + ("- " if line.strip()[:1] in "-•*" else "")
                lines[i : i + 1] = [prefix + part for part in chosen.after.splitlines()]
                return {**document, "edited_text": "\n".join(lines) + "\n"}
        raise NotApplicable("suggestion: the résumé no longer has this line; review it again")
    draft = ResumeDraft.from_dict(document)
    if chosen.kind == "hidden":
        job = next((j for j in draft.jobs if j.heading == chosen.job), None)
        if job is None:
            raise NotApplicable("suggestion: the résumé no longer has this job; review it again")
        job.bullets.append(chosen.after)
    elif chosen.job is None and draft.summary == chosen.before:
        draft.summary = chosen.after
    else:
        job = next((j for j in draft.jobs if j.heading == chosen.job and chosen.before in j.bullets), None)
        if job is None:
            raise NotApplicable("suggestion: the résumé no longer has this line; review it again")
        at = job.bullets.index(chosen.before)
        job.bullets[at : at + 1] = chosen.after.splitlines()
    return {**draft.as_dict(), **{k: v for k, v in document.items() if k == "edited_text"}}
