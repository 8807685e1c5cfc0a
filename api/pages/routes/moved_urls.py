"""The old addresses of a person's result pages (/profile/{id}/…, before every step of their work moved
under /my-work/{id}/…): a permanent redirect to the new one, so saved links and bookmarks keep working."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from api.pages.profile_steps import NO_STORE
from api.pages.render import PageError
from occurisk_assets.lib.codes import PROFILE_ID

router = APIRouter(include_in_schema=False)

# Each old page (after /profile/{id}/) and where it is now (after /my-work/{id}/).
OLD_PAGE = re.compile(
    r"exposure|transitions|resume(/text|/review)?|cover-letter|postings(/[0-9]{1,19}/outcome)?"
)
RENAMED = {"resume": "resume/draft", "resume/text": "resume/draft/text"}


@router.api_route("/profile/{profile_id}/{old:path}", methods=["GET", "POST"])
async def moved(profile_id: str, old: str, request: Request) -> RedirectResponse:
    if not (PROFILE_ID.fullmatch(profile_id) and OLD_PAGE.fullmatch(old)):
        raise PageError(404, [("profile", "profile_unknown", "")])
    url = f"/my-work/{profile_id}/{RENAMED.get(old, old)}"
    if request.url.query:
        url += "?" + request.url.query
    # 301 for a link; a form sent to the old address keeps its method and body (308).
    status = 301 if request.method == "GET" else 308
    return RedirectResponse(url, status_code=status, headers=NO_STORE)
