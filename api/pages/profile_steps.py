"""What every page of a person's profile shares: the steps of their work (the step bar), the profile or
the not-found page, the private render and the redirect after a form."""

from __future__ import annotations

from fastapi.responses import HTMLResponse, RedirectResponse
from psycopg import AsyncConnection

from api.pages.render import Page, PageError
from occurisk_assets.assistant import profiles
from occurisk_assets.lib.codes import PROFILE_ID

# The steps, in order: (URL, i18n key); the work history is api/pages/routes/my_work.py's page.
STEPS = (
    ("/my-work/{id}", "step_history"),
    ("/my-work/{id}/exposure", "step_exposure"),
    ("/my-work/{id}/transitions", "step_transitions"),
    ("/my-work/{id}/resume/draft", "step_resume"),
    ("/my-work/{id}/cover-letter", "step_letter"),
    ("/my-work/{id}/postings", "step_postings"),
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
