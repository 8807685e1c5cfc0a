"""'Make your résumé stronger': suggestions on the saved résumé (each a before → after from the person's own
text), and accepting one, which edits the saved résumé after the fact check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException
from pydantic import BaseModel, Field

from api.assistant_db import AssistantConnectionDep
from api.profile_access import ProfileId, profile_or_404
from api.routes.profiles import facts_and_draft
from api.schemas.common import UNPROCESSABLE
from api.schemas.profiles import Resume
from api.schemas.review import ResumeReview
from occurisk_assets.clean_text import CleanText
from occurisk_assets.defs.assistant import exposure, profiles, review, skills
from occurisk_assets.defs.assistant.pasttense import to_past_tense
from occurisk_assets.defs.assistant.resume import AGE_NEUTRAL_YEARS, sentence
from occurisk_assets.text.requirements import judge, split_demands

router = APIRouter(tags=["profiles"])
TARGET_SKILLS = 8


class ReviewRequest(BaseModel):
    postings: list[CleanText] = Field(
        default_factory=list, max_length=5, description="job postings you pasted (their requirements)"
    )


class AcceptRequest(BaseModel):
    id: str = Field(pattern=r"^[0-9a-f]{12}$", description="a suggestion's id from …/resume/review")


async def _target_skills(conn, version: str, target: str) -> list[str]:
    cur = await conn.execute(
        "SELECT element_name FROM onet_raw.skills WHERE data_version = %s AND left(onetsoc_code, 7) = %s "
        "AND scale_id = 'IM' GROUP BY element_name ORDER BY max(data_value) DESC, element_name LIMIT %s",
        [version, target, TARGET_SKILLS],
    )
    return [r[0] for r in await cur.fetchall()]


def _sections_by_job(document: dict, row: dict) -> list[str | None]:
    """The saved draft's heading for each of the profile's jobs (matched by title and employer)."""
    headings = {(j["title"], j["employer"]): j["heading"] for j in document.get("jobs", [])}
    return [headings.get((job["title"], job["employer"])) for job in row["jobs"]]


async def reviewed(conn, profile_id: str, postings: list[str]) -> tuple[dict, dict, list, list]:
    """(profile row, saved résumé, suggestions, keyword coverage); the saved résumé is the last draft or
    edit, else a fresh offline draft (saved, so an accepted change has something to change)."""
    row = await profile_or_404(conn, profile_id)
    document = await profiles.stored_document(conn, profile_id, "resume")
    if document is None:
        draft, _ = await facts_and_draft(conn, row, row["target_soc_code"], row["age_neutral"])
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
        coverage = review.keyword_coverage(document, await _target_skills(conn, version, target))
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


@router.post("/profiles/{profile_id}/resume/review", response_model=ResumeReview, responses=UNPROCESSABLE)
async def review_resume(
    profile_id: ProfileId,
    conn: AssistantConnectionDep,
    body: Annotated[ReviewRequest | None, Body()] = None,
) -> dict:
    """Suggestions for the saved résumé, most helpful first: work your target occupation needs that you
    did but your wording hides, vague openings, age signals (only when you chose the age-neutral form),
    outdated terms, entries too long or too short, and duties with no number; and keyword coverage."""
    body = body or ReviewRequest()
    _, _, suggestions, keywords = await reviewed(conn, profile_id, body.postings)
    return {"suggestions": [s.as_dict() for s in suggestions], "keywords": keywords}


@router.post(
    "/profiles/{profile_id}/resume/review/accept",
    response_model=Resume,
    response_model_exclude_unset=True,
    responses=UNPROCESSABLE,
)
async def accept_suggestion(profile_id: ProfileId, body: AcceptRequest, conn: AssistantConnectionDep) -> dict:
    """Make one suggestion's change to the saved résumé (checked: it adds no fact) and return the résumé."""
    row, document, suggestions, _ = await reviewed(conn, profile_id, [])
    chosen = next((s for s in suggestions if s.id == body.id), None)
    if chosen is None:
        raise HTTPException(409, "id: no such suggestion for the saved résumé now; review it again")
    _, facts = await facts_and_draft(conn, row, row["target_soc_code"], row["age_neutral"])
    facts.add(document.get("edited_text") or document["text"])
    facts.add(str(AGE_NEUTRAL_YEARS))
    if chosen.kind == "hidden":
        facts.add(chosen.after or "")  # the person's own line: a ticked task (O*NET's words) or a duty
    try:
        changed = review.apply(document, chosen, facts)
    except review.NotApplicable as exc:
        raise HTTPException(409, str(exc)) from exc
    await profiles.save_document(conn, profile_id, "resume", changed)
    return changed
