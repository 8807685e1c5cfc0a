"""The result pages of a person's profile, reached from their private profile link (the id is in the URL;
there is no listing): their exposure, where their experience carries, their résumé (choices, edit,
downloads) and a cover letter for a job posting. They reuse the JSON API's code (api/routes/profiles.py)
and link to its downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse
from psycopg import AsyncConnection

from api.assistant_db import AssistantConnectionDep
from api.pages.render import Page, PageDep, PageError
from api.routes import profiles as profile_api
from occurisk_assets.assistant import exposure, profiles, skills
from occurisk_assets.lib.codes import PROFILE_ID, SOC_CODE

router = APIRouter(include_in_schema=False)

MAX_TEXT = 20000
MIN_POSTING = 20
# The steps, in order: (URL, i18n key); the work history is assistant_history's page.
STEPS = (
    ("/my-work/{id}", "step_history"),
    ("/profile/{id}/exposure", "step_exposure"),
    ("/profile/{id}/transitions", "step_transitions"),
    ("/profile/{id}/resume", "step_resume"),
    ("/profile/{id}/cover-letter", "step_letter"),
    ("/profile/{id}/postings", "step_postings"),
)
NO_STORE = {"cache-control": "no-store"}


async def load_profile(conn: AsyncConnection, profile_id: str) -> dict:
    """The profile, or the not-found page (a malformed id is no profile either: nothing to tell apart)."""
    row = await profiles.load(conn, profile_id) if PROFILE_ID.fullmatch(profile_id) else None
    if row is None:
        raise PageError(404, [("profile", "profile_unknown", "")])
    return row


def render(page: Page, template: str, row: dict, step: str, status: int = 200, **context) -> HTMLResponse:
    steps = [
        {"url": url.format(id=row["id"]), "key": key, "current": url.endswith("/" + step)}
        for url, key in STEPS
    ]
    page.private = True  # personal data: never kept by any cache
    return page.render(
        template, status=status, profile=row, steps=steps, data_version=row["data_version"], **context
    )


def redirect(url: str) -> RedirectResponse:
    # 303: the browser follows with a GET, so reloading the result page never posts the form again.
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


@router.get("/profile/{profile_id}/exposure", response_class=HTMLResponse)
async def exposure_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    result = await exposure.personal_exposure(conn, row)
    jobs_by_ordinal = {job["ordinal"]: job for job in result["jobs"]}
    return render(
        page, "profile_exposure.html", row, "exposure", result=result, jobs_by_ordinal=jobs_by_ordinal
    )


@router.get("/profile/{profile_id}/transitions", response_class=HTMLResponse)
async def transitions_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    socs = profiles.socs_of(row)
    _, moves = await skills.personal_transitions(conn, row["data_version"], profiles.task_ids_of(row), socs)
    titles = await exposure.occupation_scores(conn, row["data_version"], socs)
    return render(page, "profile_transitions.html", row, "transitions", moves=moves, own=titles)


async def _resume_targets(conn: AsyncConnection, row: dict) -> list[dict]:
    """The occupations a résumé can aim at: where the person's experience carries (the transitions page)."""
    _, moves = await skills.personal_transitions(
        conn, row["data_version"], profiles.task_ids_of(row), profiles.socs_of(row)
    )
    return [{"soc_code": m["soc_code"], "title": m["title"]} for m in moves]


async def _current_resume(conn: AsyncConnection, row: dict) -> dict:
    """The saved résumé (the last draft, with the person's edit when they made one), else a fresh offline
    draft (not saved until the person asks for one)."""
    stored = await profiles.stored_document(conn, row["id"], "resume")
    if stored is not None:
        return stored
    draft, _ = await profile_api.facts_and_draft(conn, row, row["target_soc_code"], row["age_neutral"])
    return draft.as_dict()


async def _resume_response(
    page: Page, conn: AsyncConnection, row: dict, status: int = 200, problems=(), **values
) -> HTMLResponse:
    resume = await _current_resume(conn, row)
    return render(
        page,
        "profile_resume.html",
        row,
        "resume",
        status=status,
        resume=resume,
        resume_text=values.get("text", resume.get("edited_text") or resume["text"]),
        targets=await _resume_targets(conn, row),
        problems=[(name, page.error_text(name, key, value)) for name, key, value in problems],
        saved=page.request.query_params.get("done"),
    )


@router.get("/profile/{profile_id}/resume", response_class=HTMLResponse)
async def resume_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    return await _resume_response(page, conn, await load_profile(conn, profile_id))


@router.post("/profile/{profile_id}/resume", response_class=HTMLResponse)
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
    await profile_api.make_resume(profile_id, conn, profile_api.ResumeRequest(use_llm=use_llm is not None))
    return redirect(f"/profile/{profile_id}/resume?done=draft#draft")


@router.post("/profile/{profile_id}/resume/text", response_class=HTMLResponse)
async def save_resume_text(
    profile_id: str, page: PageDep, conn: AssistantConnectionDep, text: Annotated[str, Form()] = ""
):
    """The person's own edit of the résumé text, kept as they wrote it (and used by the downloads)."""
    row = await load_profile(conn, profile_id)
    if not text.strip() or len(text) > MAX_TEXT:
        key = "resume_text_empty" if not text.strip() else "resume_text_long"
        return await _resume_response(page, conn, row, 400, [("text", key, MAX_TEXT)], text=text[:MAX_TEXT])
    current = await _current_resume(conn, row)
    saved = {**current, "edited_text": text.replace("\r\n", "\n")}
    await profiles.save_document(conn, profile_id, "resume", saved)
    return redirect(f"/profile/{profile_id}/resume?done=text#edit")


@router.get("/profile/{profile_id}/cover-letter", response_class=HTMLResponse)
async def letter_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    letter = await profiles.stored_document(conn, profile_id, "cover_letter")
    return render(page, "profile_letter.html", row, "cover-letter", letter=letter, posting="", problems=[])


@router.post("/profile/{profile_id}/cover-letter", response_class=HTMLResponse)
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
            "profile_letter.html",
            row,
            "cover-letter",
            400,
            letter=letter,
            posting=posting[:MAX_TEXT],
            problems=[problem],
        )
    try:
        await profile_api.make_cover_letter(profile_id, profile_api.CoverLetterRequest(posting=posting), conn)
    except HTTPException as exc:  # the profile went away between the two steps
        raise PageError(404, [("profile", "profile_unknown", "")]) from exc
    return redirect(f"/profile/{profile_id}/cover-letter#letter")
