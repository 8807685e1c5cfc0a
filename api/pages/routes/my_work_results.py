"""The result pages of a person's profile, reached from their private profile link (the id is in the URL;
there is no listing): their exposure, where their experience carries, their résumé (choices, edit,
downloads) and a cover letter for a job posting. The same services as the JSON API's (api/services/profiles.py);
they link to its downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse
from psycopg import AsyncConnection

from api.assistant_db import AssistantConnectionDep
from api.pages.profile_steps import load_profile, redirect, render
from api.pages.render import Page, PageDep, PageError
from api.services import profiles as service
from api.services.errors import NotFound
from occurisk_assets.assistant import exposure, profiles
from occurisk_assets.lib.codes import SOC_CODE

router = APIRouter(include_in_schema=False)

MAX_TEXT = 20000
MIN_POSTING = 20


@router.get("/my-work/{profile_id}/exposure", response_class=HTMLResponse)
async def exposure_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    result = await service.personal_exposure(conn, row)
    jobs_by_ordinal = {job["ordinal"]: job for job in result["jobs"]}
    return render(
        page, "my_work/exposure.html", row, "exposure", result=result, jobs_by_ordinal=jobs_by_ordinal
    )


@router.get("/my-work/{profile_id}/transitions", response_class=HTMLResponse)
async def transitions_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    _, moves = await service.personal_transitions(conn, row)
    titles = await exposure.occupation_scores(conn, row["data_version"], profiles.socs_of(row))
    return render(page, "my_work/transitions.html", row, "transitions", moves=moves, own=titles)


async def _resume_targets(conn: AsyncConnection, row: dict) -> list[dict]:
    """The occupations a résumé can aim at: where the person's experience carries (the transitions page)."""
    _, moves = await service.personal_transitions(conn, row)
    return [{"soc_code": m["soc_code"], "title": m["title"]} for m in moves]


async def _resume_response(
    page: Page, conn: AsyncConnection, row: dict, status: int = 200, problems=(), **values
) -> HTMLResponse:
    resume = await service.current_resume(conn, row)
    return render(
        page,
        "my_work/resume_draft.html",
        row,
        "resume/draft",
        status=status,
        resume=resume,
        resume_text=values.get("text", resume.get("edited_text") or resume["text"]),
        targets=await _resume_targets(conn, row),
        problems=[(name, page.error_text(name, key, value)) for name, key, value in problems],
        saved=page.request.query_params.get("done"),
    )


@router.get("/my-work/{profile_id}/resume/draft", response_class=HTMLResponse)
async def resume_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    return await _resume_response(page, conn, await load_profile(conn, profile_id))


@router.post("/my-work/{profile_id}/resume/draft", response_class=HTMLResponse)
async def make_resume(
    profile_id: str,
    page: PageDep,
    conn: AssistantConnectionDep,
    target: Annotated[str, Form(max_length=20)] = "",
    age_neutral: Annotated[str | None, Form()] = None,
    use_llm: Annotated[str | None, Form()] = None,
):
    """A new draft with the person's choices (kept on the profile for the next visit and the downloads)."""
    row = await load_profile(conn, profile_id)
    targets = {t["soc_code"] for t in await _resume_targets(conn, row)}
    if target and not (SOC_CODE.fullmatch(target) and target in targets):
        return await _resume_response(page, conn, row, 400, [("target", "resume_target", target)])
    await profiles.set_resume_choices(
        conn, profile_id, target or None, age_neutral is not None, use_llm is not None
    )
    await service.make_resume(conn, profile_id, use_llm=use_llm is not None)
    return redirect(f"/my-work/{profile_id}/resume/draft?done=draft#draft")


@router.post("/my-work/{profile_id}/resume/draft/text", response_class=HTMLResponse)
async def save_resume_text(
    profile_id: str, page: PageDep, conn: AssistantConnectionDep, text: Annotated[str, Form()] = ""
):
    """The person's own edit of the résumé text, kept as they wrote it (and used by the downloads)."""
    row = await load_profile(conn, profile_id)
    if not text.strip() or len(text) > MAX_TEXT:
        key = "resume_text_empty" if not text.strip() else "resume_text_long"
        return await _resume_response(page, conn, row, 400, [("text", key, MAX_TEXT)], text=text[:MAX_TEXT])
    current = await service.current_resume(conn, row)
    saved = {**current, "edited_text": text.replace("\r\n", "\n")}
    await profiles.save_document(conn, profile_id, "resume", saved)
    return redirect(f"/my-work/{profile_id}/resume/draft?done=text#edit")


@router.get("/my-work/{profile_id}/cover-letter", response_class=HTMLResponse)
async def letter_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    letter = await profiles.stored_document(conn, profile_id, "cover_letter")
    return render(
        page, "my_work/cover_letter.html", row, "cover-letter", letter=letter, posting="", problems=[]
    )


@router.post("/my-work/{profile_id}/cover-letter", response_class=HTMLResponse)
async def make_letter(
    profile_id: str, page: PageDep, conn: AssistantConnectionDep, posting: Annotated[str, Form()] = ""
):
    row = await load_profile(conn, profile_id)
    posting = posting.strip()
    if not MIN_POSTING <= len(posting) <= MAX_TEXT:
        key = "posting_short" if len(posting) < MIN_POSTING else "posting_long"
        problem = (
            "posting",
            page.error_text("posting", key, MIN_POSTING if key == "posting_short" else MAX_TEXT),
        )
        letter = await profiles.stored_document(conn, profile_id, "cover_letter")
        return render(
            page,
            "my_work/cover_letter.html",
            row,
            "cover-letter",
            400,
            letter=letter,
            posting=posting[:MAX_TEXT],
            problems=[problem],
        )
    try:
        await service.make_cover_letter(conn, profile_id, posting)
    except NotFound as exc:  # the profile went away between the two steps
        raise PageError(404, [("profile", "profile_unknown", "")]) from exc
    return redirect(f"/my-work/{profile_id}/cover-letter#letter")
