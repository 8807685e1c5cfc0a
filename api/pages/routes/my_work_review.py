"""The page "Make your résumé stronger" (/my-work/{id}/resume/review): the review of the saved résumé, each
suggestion a before → after with a button that makes the change; works without JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse

from api.assistant_db import AssistantConnectionDep
from api.pages.profile_steps import load_profile, redirect, render
from api.pages.render import PageDep
from api.services import resume_review
from api.services.errors import ServiceError
from occurisk_assets.assistant.korean_resume import is_korean

router = APIRouter(include_in_schema=False)
NOTICES = {"accepted", "stale"}


@router.get("/my-work/{profile_id}/resume/review", response_class=HTMLResponse)
async def review_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    _, _, suggestions, keywords = await resume_review.reviewed(conn, profile_id, [])
    shown = [
        {**s.as_dict(), "lang": "ko" if is_korean(f"{s.before} {s.after or ''}") else "en"}
        for s in suggestions
    ]
    done = page.request.query_params.get("done")
    return render(
        page,
        "my_work/resume_review.html",
        row,
        "resume",
        suggestions=shown,
        keywords=keywords,
        notice=done if done in NOTICES else None,
    )


@router.post("/my-work/{profile_id}/resume/review", response_class=HTMLResponse)
async def accept(
    profile_id: str,
    page: PageDep,
    conn: AssistantConnectionDep,
    suggestion: Annotated[str, Form(max_length=12)] = "",
):
    """Make the chosen change; a suggestion that no longer fits (the résumé changed) shows a fresh review."""
    await load_profile(conn, profile_id)
    try:
        await resume_review.accept(conn, profile_id, suggestion)
    except (ServiceError, ValueError):
        return redirect(f"/my-work/{profile_id}/resume/review?done=stale#suggestions")
    return redirect(f"/my-work/{profile_id}/resume/review?done=accepted#suggestions")
