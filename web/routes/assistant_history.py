"""The assistant's pages for building a profile: the start page, the work history (find the job, years and
employer, tick the tasks, own duties), an existing résumé read and confirmed, and "delete everything".

Plain forms that work without JavaScript, each POST answered by a redirect (POST-redirect-GET). Every write
goes through the same code as the JSON API (occurisk_assets.defs.assistant.profiles: validated against the
O*NET version, one transaction), so a page can never save half of what it was sent."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse

from api.assistant_db import AssistantConnectionDep
from api.deps import VersionDep
from api.routes.profiles import ProfileId
from occurisk_assets.defs.assistant import profiles
from web.render import PageDep

router = APIRouter(include_in_schema=False)

BASE = "/my-work"


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def load_profile(conn, profile_id: str) -> dict:
    row = await profiles.load(conn, profile_id)
    if row is None:
        raise HTTPException(404)
    return row


@router.get(BASE, response_class=HTMLResponse)
async def start(page: PageDep, version: VersionDep) -> HTMLResponse:
    return page.render("assistant/start.html", data_version=version)


@router.get(BASE + "/deleted", response_class=HTMLResponse)
async def deleted(page: PageDep) -> HTMLResponse:
    page.private = True
    return page.render("assistant/deleted.html", data_version=None)


@router.get(BASE + "/{profile_id}", response_class=HTMLResponse)
async def history(page: PageDep, profile_id: ProfileId, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    page.private = True
    private_link = str(page.request.url_for("history", profile_id=profile_id))
    return page.render(
        "assistant/history.html",
        profile=row,
        base=f"{BASE}/{profile_id}",
        private_link=private_link,
        data_version=row["data_version"],
    )


@router.get(BASE + "/{profile_id}/delete", response_class=HTMLResponse)
async def confirm_delete(page: PageDep, profile_id: ProfileId, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    return page.render(
        "assistant/delete.html", profile=row, base=f"{BASE}/{profile_id}", data_version=row["data_version"]
    )


@router.post(BASE + "/{profile_id}/delete")
async def delete_everything(profile_id: ProfileId, conn: AssistantConnectionDep) -> RedirectResponse:
    """The API's delete: the profile and every row that hangs off it."""
    if not await profiles.delete(conn, profile_id):
        raise HTTPException(404)
    return see_other(BASE + "/deleted")
