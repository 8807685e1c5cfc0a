"""The start of a person's work (/my-work), their work history and "delete everything". The other steps:
my_work_jobs (a job: find it, years and employer, tasks and own duties), my_work_resume (an existing résumé
read and confirmed), my_work_results (exposure, transitions, résumé draft, cover letter), my_work_postings.

Plain forms that work without JavaScript, each POST answered by a redirect (POST-redirect-GET). Every write
goes through the same code as the JSON API (occurisk_assets.assistant.profiles: validated against the
O*NET version, one transaction), so a page can never save half of what it was sent.

/my-work/{profile_id} is registered after every other /my-work page (api/pages/app.py)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse

from api.assistant_db import AssistantConnectionDep
from api.deps import VersionDep
from api.pages.my_work import (
    BASE,
    load_profile,
    see_other,
)
from api.pages.render import PageDep
from api.profile_access import ProfileId
from occurisk_assets.assistant import profiles

router = APIRouter(include_in_schema=False)


@router.get(BASE, response_class=HTMLResponse)
async def start(page: PageDep, version: VersionDep) -> HTMLResponse:
    return page.render("my_work/start.html", data_version=version)


@router.get(BASE + "/deleted", response_class=HTMLResponse)
async def deleted(page: PageDep) -> HTMLResponse:
    page.private = True
    return page.render("my_work/deleted.html", data_version=None)


@router.get(BASE + "/{profile_id}/delete", response_class=HTMLResponse)
async def confirm_delete(page: PageDep, profile_id: ProfileId, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    return page.render(
        "my_work/delete.html", profile=row, base=f"{BASE}/{profile_id}", data_version=row["data_version"]
    )


@router.post(BASE + "/{profile_id}/delete")
async def delete_everything(profile_id: ProfileId, conn: AssistantConnectionDep) -> RedirectResponse:
    """The API's delete: the profile and every row that hangs off it."""
    if not await profiles.delete(conn, profile_id):
        raise HTTPException(404)
    return see_other(BASE + "/deleted")


# Last: /my-work/{profile_id} would otherwise take /my-work/resume and the like.
@router.get(BASE + "/{profile_id}", response_class=HTMLResponse)
async def history(page: PageDep, profile_id: ProfileId, conn: AssistantConnectionDep) -> HTMLResponse:
    row = await load_profile(conn, profile_id)
    page.private = True
    private_link = str(page.request.url_for("history", profile_id=profile_id))
    return page.render(
        "my_work/history.html",
        profile=row,
        base=f"{BASE}/{profile_id}",
        private_link=private_link,
        data_version=row["data_version"],
    )
