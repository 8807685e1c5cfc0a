"""The offline résumé drafter: deterministic rules and templates over the person's own facts.

- one section per job (most recent first): their title, employer and years as given; bullets = the
  tasks they ticked in the past tense, least exposed to AI first (and those sharing work activities with
  a chosen target occupation before the rest), then their own duties in their own words;
- a summary from their most recent title, their years of experience and their top supported skills;
- a skills section: the O*NET skills their tasks support (skills.supported_skills);
- age-neutral: no dates on jobs that ended more than AGE_NEUTRAL_YEARS ago (they move to "Earlier
  experience") and no total of years.
Nothing else enters the draft: no name, number, employer or credential the person did not give.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from occurisk_assets.assistant.pasttense import to_past_tense

AGE_NEUTRAL_YEARS = 15
TASK_BULLETS_PER_JOB = 6

# What a draft can say about how it was made, in English (the API's `notes`). The pages show each in the
# reader's language from the draft's `note_keys` (api/pages/i18n.py `note_<key>`, whose English is this text).
NOTES = {
    "no_llm": "No LLM is configured: this is the offline draft.",
    "over_budget": "The rewording would cost more than the budget allows: this is the offline draft.",
    "unreachable": "The LLM could not be reached: this is the offline draft.",
    "rejected_not_json": (
        "The LLM's rewording was not used: the reply was not the JSON asked for. This is the offline draft."
    ),
    "rejected_shape": (
        "The LLM's rewording was not used: the reply changed the number of jobs or bullets. "
        "This is the offline draft."
    ),
    "rejected_facts": (
        "The LLM's rewording was not used: the reply added facts that are not in your history: "
        "{facts}. This is the offline draft."
    ),
    "reworded": "Reworded by {model}; checked: no fact added.",
    "edited": "Your edited text is kept as you wrote it.",
}


@dataclass(frozen=True)
class Note:
    """One of NOTES, with the values it names (facts, a model: content that stays as it is)."""

    key: str
    values: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return NOTES[self.key].format(**self.values)

    def as_dict(self) -> dict:
        return {"key": self.key, "values": self.values}


@dataclass
class JobSection:
    title: str
    employer: str | None
    dates: str | None  # "2001–2024", "2019–present", None when left out or unknown
    bullets: list[str]
    earlier: bool = False  # age-neutral: listed under "Earlier experience", without dates

    @property
    def heading(self) -> str:
        return f"{self.title}, {self.employer}" if self.employer else self.title


@dataclass
class ResumeDraft:
    summary: str
    jobs: list[JobSection]
    skills: list[str]
    age_neutral: bool
    target: str | None = None
    notes: list[Note] = field(default_factory=list)
    mode: str = "offline"

    def text(self) -> str:
        lines = ["SUMMARY", self.summary, "", "EXPERIENCE"]
        recent = [j for j in self.jobs if not j.earlier]
        earlier = [j for j in self.jobs if j.earlier]
        for job in recent:
            lines += ["", job.heading + (f" ({job.dates})" if job.dates else "")]
            lines += [f"- {b}" for b in job.bullets]
        if earlier:
            lines += ["", "EARLIER EXPERIENCE"]
            for job in earlier:
                lines += ["", job.heading] + [f"- {b}" for b in job.bullets]
        if self.skills:
            lines += ["", "SKILLS", ", ".join(self.skills)]
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict:
        return {
            "summary": self.summary,
            "jobs": [{**asdict(j), "heading": j.heading} for j in self.jobs],
            "skills": self.skills,
            "age_neutral": self.age_neutral,
            "target": self.target,
            "notes": [note.text for note in self.notes],
            "note_keys": [note.as_dict() for note in self.notes],
            "mode": self.mode,
            "text": self.text(),
        }

    @classmethod
    def from_dict(cls, data: dict) -> ResumeDraft:
        jobs = [
            JobSection(j["title"], j["employer"], j["dates"], list(j["bullets"]), j.get("earlier", False))
            for j in data["jobs"]
        ]
        return cls(
            data["summary"],
            jobs,
            list(data["skills"]),
            data["age_neutral"],
            data.get("target"),
            [Note(n["key"], n["values"]) for n in data.get("note_keys", []) if n["key"] in NOTES],
            data.get("mode", "offline"),
        )


def sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _dates(job: dict) -> str | None:
    start, end = job.get("start_year"), job.get("end_year")
    if start and end:
        return str(start) if start == end else f"{start}–{end}"
    if start:
        return f"{start}–present"
    return str(end) if end else None


def years_of_experience(jobs: list[dict], this_year: int) -> int | None:
    """Calendar years covered by at least one job with a start year (overlaps count once)."""
    years: set[int] = set()
    for job in jobs:
        if job.get("start_year"):
            years |= set(range(job["start_year"], (job.get("end_year") or this_year) + 1))
    return len(years) or None


def _recency(job: dict, this_year: int) -> tuple:
    return (job.get("end_year") or this_year, job.get("start_year") or 0)


def draft_resume(
    jobs: list[dict],
    tasks: dict[int, dict],
    skills: list[str],
    *,
    age_neutral: bool,
    target_title: str | None = None,
    target_task_ids: set[int] | None = None,
    this_year: int | None = None,
) -> ResumeDraft:
    """`jobs`: the profile's jobs (title, employer, start_year, end_year, task_ids, duties); `tasks`: task_id →
    {task_statement, score}; `target_task_ids`: the person's tasks sharing work activities with the target."""
    this_year = this_year or dt.date.today().year
    target_task_ids = target_task_ids or set()
    ordered = sorted(jobs, key=lambda j: _recency(j, this_year), reverse=True)
    sections = []
    for job in ordered:
        mine = [tasks[t] for t in job["task_ids"] if t in tasks]
        mine.sort(
            key=lambda t: (
                t["task_id"] not in target_task_ids,
                float(t["score"]) if t.get("score") is not None else 1.0,
                t["task_id"],
            )
        )
        bullets = [sentence(to_past_tense(t["task_statement"])) for t in mine[:TASK_BULLETS_PER_JOB]]
        bullets += [sentence(d) for d in job["duties"]]
        ended = job.get("end_year") or this_year
        earlier = age_neutral and ended < this_year - AGE_NEUTRAL_YEARS
        dates = None if earlier else _dates(job)
        sections.append(JobSection(job["title"], job.get("employer"), dates, bullets, earlier))
    latest = ordered[0]["title"]
    years = years_of_experience(jobs, this_year)
    if years and not age_neutral:
        summary = f"{latest} with {years} {'year' if years == 1 else 'years'} of experience"
    else:
        summary = f"Experienced {latest}"
    if skills:
        summary += " in " + _join([s.lower() for s in skills[:3]])
    summary += "."
    if target_title:
        summary += f" Looking to bring this experience to work as {target_title.lower()}."
    return ResumeDraft(summary, sections, skills, age_neutral, target_title)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
