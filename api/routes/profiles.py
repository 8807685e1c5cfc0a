"""A person's profile: work history, exposure, transitions, résumé and cover letter. Personal data: every
route takes the profile's random id; there is no listing, and DELETE removes every row of it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Body, HTTPException, Query, Response
from pydantic import BaseModel, Field

from api.assistant_db import AssistantConnectionDep
from api.deps import VersionDep
from api.profile_access import NOT_FOUND, ProfileId, profile_or_404
from api.schemas.common import UNPROCESSABLE
from api.schemas.profiles import CoverLetter, Exposure, PersonalTransitions, Profile, Resume
from occurisk_assets.clean_text import CleanText
from occurisk_assets.codes import SOC_CODE_PATTERN
from occurisk_assets.defs.assistant import documents, exposure, korean_resume, profiles, skills
from occurisk_assets.defs.assistant.facts import Facts
from occurisk_assets.defs.assistant.letter import checklist, draft_letter
from occurisk_assets.defs.assistant.resume import Note, ResumeDraft, draft_resume
from occurisk_assets.defs.assistant.rewrite import rewrite_draft

router = APIRouter(tags=["profiles"])

MEDIA_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# The downloads are files, not JSON: documented as such (each route answers one of these by its `fmt`).
DOWNLOAD_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "The document as an attachment.",
        "content": {
            t.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for t in MEDIA_TYPES.values()
        },
    }
}


def _public(row: dict) -> dict:
    return {
        "id": row["id"],
        "data_version": row["data_version"],
        "target_soc_code": row["target_soc_code"],
        "age_neutral": row["age_neutral"],
        "llm_opt_in": row["llm_opt_in"],
        "created_at": row["created_at"],
        "last_opened_at": row["last_opened_at"],
        "jobs": [{k: v for k, v in job.items() if k != "ordinal"} for job in row["jobs"]],
    }


@router.post("/profiles", status_code=201, response_model=Profile, responses=UNPROCESSABLE)
async def create_profile(body: profiles.ProfileIn, conn: AssistantConnectionDep, version: VersionDep) -> dict:
    """Save a work history; the answer's `id` (192 random bits) is the only way back to it."""
    try:
        await profiles.validate_against_catalog(conn, version, body)
    except profiles.InvalidProfile as exc:
        raise HTTPException(422, str(exc)) from exc
    profile_id = profiles.new_profile_id()
    await profiles.save(conn, profile_id, version, body, new=True)
    return _public(await profile_or_404(conn, profile_id))


@router.get("/profiles/{profile_id}", response_model=Profile)
async def get_profile(profile_id: ProfileId, conn: AssistantConnectionDep) -> dict:
    return _public(await profile_or_404(conn, profile_id))


@router.put("/profiles/{profile_id}", response_model=Profile, responses=UNPROCESSABLE)
async def replace_profile(
    profile_id: ProfileId, body: profiles.ProfileIn, conn: AssistantConnectionDep
) -> dict:
    """Replace the whole work history (in one transaction; on any error the previous one stays)."""
    row = await profile_or_404(conn, profile_id)
    try:
        await profiles.validate_against_catalog(conn, row["data_version"], body)
    except profiles.InvalidProfile as exc:
        raise HTTPException(422, str(exc)) from exc
    await profiles.save(conn, profile_id, row["data_version"], body, new=False)
    return _public(await profile_or_404(conn, profile_id))


@router.delete("/profiles/{profile_id}", status_code=204)
async def delete_profile(profile_id: ProfileId, conn: AssistantConnectionDep) -> Response:
    """Delete everything: the profile, its jobs and tasks, drafts, letters and cached rewrites."""
    if not await profiles.delete(conn, profile_id):
        raise HTTPException(404, NOT_FOUND)
    return Response(status_code=204)


@router.get("/profiles/{profile_id}/exposure", response_model=Exposure)
async def get_exposure(profile_id: ProfileId, conn: AssistantConnectionDep) -> dict:
    """A personal AI-exposure score over the tasks this person did (weighting in `weighting` and
    docs/methodology.md), their most and least exposed tasks with each rater's score, and their
    occupations' average for comparison."""
    row = await profile_or_404(conn, profile_id)
    return {"data_version": row["data_version"], **await exposure.personal_exposure(conn, row)}


@router.get("/profiles/{profile_id}/transitions", response_model=PersonalTransitions)
async def get_transitions(profile_id: ProfileId, conn: AssistantConnectionDep) -> dict:
    """Where the person's experience carries: the careers transitions (safer, within reach, similar pay) from
    each of their occupations, ranked by how much of their own ticked work (detailed work activities) each
    target shares; what carries over and the skill gaps."""
    row = await profile_or_404(conn, profile_id)
    method, found = await skills.personal_transitions(
        conn, row["data_version"], profiles.task_ids_of(row), profiles.socs_of(row)
    )
    return {"data_version": row["data_version"], "method": method, "transitions": found}


class ResumeRequest(BaseModel):
    target_soc_code: str | None = Field(default=None, pattern=SOC_CODE_PATTERN)
    age_neutral: bool | None = Field(default=None, description="default: the profile's setting")
    use_llm: bool = Field(default=False, description="reword with an LLM (needs llm_opt_in on the profile)")
    text: CleanText | None = Field(
        default=None, max_length=20000, description="your edited résumé text, kept as is"
    )


async def facts_and_draft(
    conn, row: dict, target: str | None, age_neutral: bool
) -> tuple[ResumeDraft, Facts]:
    version = row["data_version"]
    tasks = await exposure.task_scores(conn, version, profiles.task_ids_of(row))
    supported = await skills.supported_skills(conn, version, profiles.task_ids_of(row), profiles.socs_of(row))
    target_title, target_tasks = None, set()
    if target:
        occupation = (await exposure.occupation_scores(conn, version, [target])).get(target)
        if occupation is None:
            raise HTTPException(422, f"target_soc_code: no occupation {target} in O*NET {version}")
        target_title = occupation["title"]
        target_tasks = await skills.tasks_sharing_activities(conn, version, profiles.task_ids_of(row), target)
    draft = draft_resume(
        row["jobs"],
        tasks,
        [s["skill"] for s in supported],
        age_neutral=age_neutral,
        target_title=target_title,
        target_task_ids=target_tasks,
    )
    facts = Facts.of(
        *[
            job["title"] + " " + (job["employer"] or "") + " " + " ".join(job["duties"])
            for job in row["jobs"]
        ],
        *[str(job[k]) for job in row["jobs"] for k in ("start_year", "end_year") if job[k]],
        draft.text(),  # the offline draft states only the person's facts (and O*NET text)
    )
    return draft, facts


# exclude_unset: `edited_text` stays absent unless the person sent their own text.
@router.post(
    "/profiles/{profile_id}/resume",
    response_model=Resume,
    response_model_exclude_unset=True,
    responses=UNPROCESSABLE,
)
async def make_resume(
    profile_id: ProfileId,
    conn: AssistantConnectionDep,
    body: Annotated[ResumeRequest | None, Body()] = None,
) -> dict:
    """A résumé draft: past-tense bullets per job (least exposed and target-relevant tasks first), a summary
    and the O*NET skills the person's tasks support. `text` saves the person's own edit instead."""
    body = body or ResumeRequest()
    row = await profile_or_404(conn, profile_id)
    age_neutral = row["age_neutral"] if body.age_neutral is None else body.age_neutral
    draft, facts = await facts_and_draft(
        conn, row, body.target_soc_code or row["target_soc_code"], age_neutral
    )
    if body.use_llm:
        if not row["llm_opt_in"]:
            raise HTTPException(
                409, "use_llm: this profile has not agreed to send its text to an LLM provider (llm_opt_in)"
            )
        draft = await rewrite_draft(conn, profile_id, draft, facts)
    if body.text is not None:
        draft = replace(draft, notes=[*draft.notes, Note("edited")])
    result = draft.as_dict()
    if body.text is not None:
        result["edited_text"] = body.text
    await profiles.save_document(conn, profile_id, "resume", result)
    return result


DocumentLanguage = Annotated[
    Literal["en", "ko"] | None,
    Query(
        description="ko: a Korean 이력서 / 자기소개서; default: ko when the work history is written in Korean"
    ),
]


def language_of(row: dict, asked: str | None) -> str:
    own = " ".join(f"{job['title']} {' '.join(job['duties'])}" for job in row["jobs"])
    return asked or ("ko" if korean_resume.is_korean(own) else "en")


async def korean_download(conn, row: dict, kind: str, fmt: str, filename: str) -> Response:
    """The Korean 이력서 (kind "resume") or 자기소개서 ("cover_letter"), fresh from the profile and
    fact-checked against it; .docx and .pdf in Noto Sans CJK KR."""
    version = row["data_version"]
    tasks = await exposure.task_scores(conn, version, profiles.task_ids_of(row))
    target = None
    if kind == "resume":
        document = korean_resume.korean_resume(row["jobs"], tasks, age_neutral=row["age_neutral"])
    else:
        if row["target_soc_code"]:
            occupation = (await exposure.occupation_scores(conn, version, [row["target_soc_code"]])).get(
                row["target_soc_code"]
            )
            target = occupation["title"] if occupation else None
        document = korean_resume.korean_cover_letter(
            row["jobs"], age_neutral=row["age_neutral"], target_title=target
        )
    facts = korean_resume.person_facts(row["jobs"], tasks, date.today().year)
    if target:
        facts.add(target)
    document = korean_resume.fact_checked(document, facts)
    content = {
        "txt": lambda: document.text().encode(),
        "docx": lambda: korean_resume.korean_docx(document),
        "pdf": lambda: documents.text_pdf(document.text()),
    }[fmt]()
    return attachment(content, fmt, filename)


def attachment(content: bytes, fmt: str, name: str) -> Response:
    """A download: never kept by any cache (personal data)."""
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="{name}.{fmt}"', "cache-control": "no-store"},
    )


@router.get("/profiles/{profile_id}/resume.{fmt}", response_class=Response, responses=DOWNLOAD_RESPONSES)
async def download_resume(
    profile_id: ProfileId,
    fmt: Literal["txt", "docx", "pdf"],
    conn: AssistantConnectionDep,
    language: DocumentLanguage = None,
) -> Response:
    """The saved résumé (your edit when you made one; else the last draft; else a fresh offline draft); in
    Korean (`language=ko`, or a history written in Korean), a 이력서 in Korean conventions."""
    row = await profile_or_404(conn, profile_id)
    if language_of(row, language) == "ko":
        return await korean_download(conn, row, "resume", fmt, "resume-ko")
    body = await profiles.stored_document(conn, profile_id, "resume")
    if body is None:
        draft, _ = await facts_and_draft(conn, row, row["target_soc_code"], row["age_neutral"])
        body = draft.as_dict()
    text = body.get("edited_text") or body["text"]
    if fmt == "txt":
        content = text.encode("utf-8")
    elif fmt == "docx":
        content = (
            documents.text_docx(text)
            if body.get("edited_text")
            else documents.resume_docx(ResumeDraft.from_dict(body))
        )
    else:
        content = documents.text_pdf(text)
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="resume.{fmt}"', "cache-control": "no-store"},
    )


class CoverLetterRequest(BaseModel):
    posting: CleanText = Field(min_length=20, max_length=20000, description="the job posting's text")


@router.post("/profiles/{profile_id}/cover-letter", response_model=CoverLetter, responses=UNPROCESSABLE)
async def make_cover_letter(
    profile_id: ProfileId, body: CoverLetterRequest, conn: AssistantConnectionDep
) -> dict:
    """A cover letter from the résumé and the posting, and the posting's single demands matched to the
    person's experience (a checklist: shown, partly shown or not shown, and the résumé line that shows it)."""
    row = await profile_or_404(conn, profile_id)
    stored = await profiles.stored_document(conn, profile_id, "resume")
    if stored is not None:
        draft = ResumeDraft.from_dict(stored)
    else:
        draft, _ = await facts_and_draft(conn, row, row["target_soc_code"], row["age_neutral"])
    items = checklist(body.posting, draft)
    result = {
        "text": draft_letter(draft, items, body.posting),
        "checklist": [
            {"requirement": r.requirement, "status": r.status, "met": r.met, "evidence": r.evidence}
            for r in items
        ],
    }
    await profiles.save_document(conn, profile_id, "cover_letter", result)
    return result


@router.get(
    "/profiles/{profile_id}/cover-letter.{fmt}", response_class=Response, responses=DOWNLOAD_RESPONSES
)
async def download_cover_letter(
    profile_id: ProfileId,
    fmt: Literal["txt", "docx", "pdf"],
    conn: AssistantConnectionDep,
    language: DocumentLanguage = None,
) -> Response:
    """The saved cover letter; in Korean (`language=ko`, or a history written in Korean), a 자기소개서 from the
    work history."""
    row = await profile_or_404(conn, profile_id)
    if language_of(row, language) == "ko":
        return await korean_download(conn, row, "cover_letter", fmt, "cover-letter-ko")
    body = await profiles.stored_document(conn, profile_id, "cover_letter")
    if body is None:
        raise HTTPException(404, "no cover letter yet: POST a posting to /profiles/{id}/cover-letter first")
    text = body["text"]
    content = {
        "txt": lambda: text.encode(),
        "docx": lambda: documents.text_docx(text),
        "pdf": lambda: documents.text_pdf(text),
    }[fmt]()
    return attachment(content, fmt, "cover-letter")
