"""'Make your résumé stronger': suggestions on the saved résumé (each a before → after from the person's own
text), and accepting one, which edits the saved résumé after the fact check. The work of
POST /profiles/{id}/resume/review(/accept) and of the page /my-work/{id}/resume/review."""

from __future__ import annotations

from api.queries import occupations as occupation_queries
from api.services import profiles as profile_service
from api.services.errors import Conflict
from occurisk_assets.assistant import exposure, profiles, review, skills
from occurisk_assets.assistant.pasttense import to_past_tense
from occurisk_assets.assistant.resume import AGE_NEUTRAL_YEARS, sentence
from occurisk_assets.text.requirements import judge, split_demands

TARGET_SKILLS = 8


def _sections_by_job(document: dict, row: dict) -> list[str | None]:
    """The saved draft's heading for each of the profile's jobs (matched by title and employer)."""
    headings = {(j["title"], j["employer"]): j["heading"] for j in document.get("jobs", [])}
    return [headings.get((job["title"], job["employer"])) for job in row["jobs"]]


async def reviewed(conn, profile_id: str, postings: list[str]) -> tuple[dict, dict, list, list]:
    """(profile row, saved résumé, suggestions, keyword coverage); the saved résumé is the last draft or
    edit, else a fresh offline draft (saved, so an accepted change has something to change)."""
    row = await profile_service.load(conn, profile_id)
    document = await profiles.stored_document(conn, profile_id, "resume")
    if document is None:
        draft, _ = await profile_service.facts_and_draft(
            conn, row, row["target_soc_code"], row["age_neutral"]
        )
        document = draft.as_dict()
        await profiles.save_document(conn, profile_id, "resume", document)
    version, target = row["data_version"], row["target_soc_code"]
    statements = await exposure.task_scores(conn, version, profiles.task_ids_of(row))
    shared = (
        await skills.tasks_sharing_activities(conn, version, profiles.task_ids_of(row), target)
        if target
        else set()
    )
    hidden: dict[str, list[str]] = {}
    history: list[tuple[str, str]] = []  # (job heading, one of the person's own lines)
    for job, heading in zip(row["jobs"], _sections_by_job(document, row), strict=True):
        if heading is None:
            continue
        ticked = [
            (t, sentence(to_past_tense(statements[t]["task_statement"])))
            for t in job["task_ids"]
            if t in statements
        ]
        hidden[heading] = [line for t, line in ticked if t in shared]
        history += [(heading, line) for _, line in ticked] + [(heading, sentence(d)) for d in job["duties"]]
    keywords: list[dict] = []
    if target:
        coverage = review.keyword_coverage(
            document, await occupation_queries.top_skills(conn, version, target, TARGET_SKILLS)
        )
        keywords += [{**k, "source": "occupation"} for k in coverage]
    resume_lines = [line for _, line in review.lines_of(document) if line]
    for posting in postings:
        demands = split_demands(posting)
        in_resume = judge(demands, resume_lines)
        in_history = judge(demands, [line for _, line in history])
        for on_resume, in_past in zip(in_resume, in_history, strict=True):
            keywords.append({"keyword": on_resume.requirement, "found": on_resume.met, "source": "posting"})
            if in_past.met and not on_resume.met:  # their history shows it, their wording hides it
                heading = next((h for h, line in history if in_past.evidence in line), None)
                if heading is not None:
                    hidden.setdefault(heading, []).append(in_past.evidence)
    suggestions = review.review(document, age_neutral=row["age_neutral"], hidden=hidden)
    return row, document, suggestions, keywords


async def accept(conn, profile_id: str, suggestion_id: str) -> dict:
    """Make one suggestion's change to the saved résumé (checked: it adds no fact); Conflict when the
    suggestion no longer fits the saved résumé."""
    row, document, suggestions, _ = await reviewed(conn, profile_id, [])
    chosen = next((s for s in suggestions if s.id == suggestion_id), None)
    if chosen is None:
        raise Conflict("id: no such suggestion for the saved résumé now; review it again")
    _, facts = await profile_service.facts_and_draft(conn, row, row["target_soc_code"], row["age_neutral"])
    facts.add(document.get("edited_text") or document["text"])
    facts.add(str(AGE_NEUTRAL_YEARS))
    if chosen.kind == "hidden":
        facts.add(chosen.after or "")  # the person's own line: a ticked task (O*NET's words) or a duty
    try:
        changed = review.apply(document, chosen, facts)
    except review.NotApplicable as exc:
        raise Conflict(str(exc)) from exc
    await profiles.save_document(conn, profile_id, "resume", changed)
    return changed
