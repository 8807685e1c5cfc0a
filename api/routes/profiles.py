"""A person's profile: work history, exposure, transitions, résumé and cover letter. Personal data: every
route takes the profile's random id; there is no listing, and DELETE removes every row of it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel, Field

from api.assistant_db import AssistantConnectionDep
from api.deps import VersionDep
from api.profile_access import ProfileId
from api.schemas.common import UNPROCESSABLE
from api.schemas.profiles import CoverLetter, Exposure, PersonalTransitions, Profile, Resume
from api.services import profiles as service
from occurisk_assets.assistant import documents, profiles
from occurisk_assets.assistant.resume import ResumeDraft
from occurisk_assets.lib.clean_text import CleanText
from occurisk_assets.lib.codes import SOC_CODE_PATTERN

router = APIRouter(tags=["profiles"])

MEDIA_TYPES = {
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# The downloads are files, not JSON: documented as such (each route answers one of these by its `fmt`); a 422
# names `language` when the Korean document would state a fact the profile does not.
DOWNLOAD_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "The document as an attachment.",
        "content": {
            t.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for t in MEDIA_TYPES.values()
        },
    },
    **UNPROCESSABLE,
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
    return _public(await service.create(conn, version, body))


@router.get("/profiles/{profile_id}", response_model=Profile)
async def get_profile(profile_id: ProfileId, conn: AssistantConnectionDep) -> dict:
    return _public(await service.load(conn, profile_id))


@router.put("/profiles/{profile_id}", response_model=Profile, responses=UNPROCESSABLE)
async def replace_profile(
    profile_id: ProfileId, body: profiles.ProfileIn, conn: AssistantConnectionDep
) -> dict:
    """Replace the whole work history (in one transaction; on any error the previous one stays)."""
    return _public(await service.replace_history(conn, profile_id, body))


@router.delete("/profiles/{profile_id}", status_code=204)
async def delete_profile(profile_id: ProfileId, conn: AssistantConnectionDep) -> Response:
    """Delete everything: the profile, its jobs and tasks, drafts, letters and cached rewrites."""
    await service.delete(conn, profile_id)
    return Response(status_code=204)


@router.get("/profiles/{profile_id}/exposure", response_model=Exposure)
async def get_exposure(profile_id: ProfileId, conn: AssistantConnectionDep) -> dict:
    """A personal AI-exposure score over the tasks this person did (weighting in `weighting` and
    docs/methodology.md), their most and least exposed tasks with each rater's score, and their
    occupations' average for comparison."""
    row = await service.load(conn, profile_id)
    return {"data_version": row["data_version"], **await service.personal_exposure(conn, row)}


@router.get("/profiles/{profile_id}/transitions", response_model=PersonalTransitions)
async def get_transitions(profile_id: ProfileId, conn: AssistantConnectionDep) -> dict:
    """Where the person's experience carries: the careers transitions (safer, within reach, similar pay) from
    each of their occupations, ranked by how much of their own ticked work (detailed work activities) each
    target shares; what carries over and the skill gaps."""
    row = await service.load(conn, profile_id)
    method, found = await service.personal_transitions(conn, row)
    return {"data_version": row["data_version"], "method": method, "transitions": found}


class ResumeRequest(BaseModel):
    target_soc_code: str | None = Field(default=None, pattern=SOC_CODE_PATTERN)
    age_neutral: bool | None = Field(default=None, description="default: the profile's setting")
    use_llm: bool = Field(default=False, description="reword with an LLM (needs llm_opt_in on the profile)")
    text: CleanText | None = Field(
        default=None, max_length=20000, description="your edited résumé text, kept as is"
    )


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
    return await service.make_resume(
        conn, profile_id, body.target_soc_code, body.age_neutral, body.use_llm, body.text
    )


DocumentLanguage = Annotated[
    Literal["en", "ko"] | None,
    Query(
        description="ko: a Korean 이력서 / 자기소개서; default: ko when the work history is written in Korean"
    ),
]


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
    row = await service.load(conn, profile_id)
    if service.document_language(row, language) == "ko":
        return attachment(await service.korean_document(conn, row, "resume", fmt), fmt, "resume-ko")
    body = await service.current_resume(conn, row)
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
    return attachment(content, fmt, "resume")


class CoverLetterRequest(BaseModel):
    posting: CleanText = Field(min_length=20, max_length=20000, description="the job posting's text")


@router.post("/profiles/{profile_id}/cover-letter", response_model=CoverLetter, responses=UNPROCESSABLE)
async def make_cover_letter(
    profile_id: ProfileId, body: CoverLetterRequest, conn: AssistantConnectionDep
) -> dict:
    """A cover letter from the résumé and the posting, and the posting's single demands matched to the
    person's experience (a checklist: shown, partly shown or not shown, and the résumé line that shows it)."""
    return await service.make_cover_letter(conn, profile_id, body.posting)


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
    row = await service.load(conn, profile_id)
    if service.document_language(row, language) == "ko":
        return attachment(
            await service.korean_document(conn, row, "cover_letter", fmt), fmt, "cover-letter-ko"
        )
    text = (await service.stored_cover_letter(conn, profile_id))["text"]
    content = {
        "txt": lambda: text.encode(),
        "docx": lambda: documents.text_docx(text),
        "pdf": lambda: documents.text_pdf(text),
    }[fmt]()
    return attachment(content, fmt, "cover-letter")
