"""The page "Make your résumé stronger": the review of the saved résumé (api/routes/resume_review.py's code),
each suggestion a before → after with a button that makes the change; works without JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse

from api.assistant_db import AssistantConnectionDep
from api.routes import resume_review as review_api
from occurisk_assets.defs.assistant.korean_resume import is_korean
from web.render import PageDep
from web.routes.assistant_results import load_profile, redirect, render

router = APIRouter(include_in_schema=False)
NOTICES = {"accepted", "stale"}


@router.get("/profile/{profile_id}/resume/review", response_class=HTMLResponse)
async def review_page(profile_id: str, page: PageDep, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    _, _, suggestions, keywords = await review_api.reviewed(conn, profile_id, [])
    shown = [
        {**s.as_dict(), "lang": "ko" if is_korean(f"{s.before} {s.after or ''}") else "en"}
        for s in suggestions
    ]
    done = page.request.query_params.get("done")
    return render(
        page,
        "profile_resume_review.html",
        row,
        "resume",
        suggestions=shown,
        keywords=keywords,
        notice=done if done in NOTICES else None,
    )


@router.post("/profile/{profile_id}/resume/review", response_class=HTMLResponse)
async def accept(
    profile_id: str,
    page: PageDep,
    conn: AssistantConnectionDep,
    suggestion: Annotated[str, Form(max_length=12)] = "",
):
    """Make the chosen change; a suggestion that no longer fits (the résumé changed) shows a fresh review."""
    await load_profile(conn, profile_id)
    try:
        await review_api.accept_suggestion(profile_id, review_api.AcceptRequest(id=suggestion), conn)
    except (HTTPException, ValueError):
        return redirect(f"/profile/{profile_id}/resume/review?done=stale#suggestions")
    return redirect(f"/profile/{profile_id}/resume/review?done=accepted#suggestions")
